using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Access;

/// <summary>Whether an attempt may be checked at all, and for how long it may not be.</summary>
public abstract record ThrottleVerdict
{
    public sealed record Allowed : ThrottleVerdict;

    /// <summary>The account name has too many recent failures from browsers it was never used in.</summary>
    public sealed record NameLocked(TimeSpan RetryAfter) : ThrottleVerdict;

    /// <summary>The client's address has too many recent failures, whichever names it tried.</summary>
    public sealed record AddressThrottled(TimeSpan RetryAfter) : ThrottleVerdict;
}

/// <summary>
/// Anti-automation for the sign-in form (docs/portal.md, "Failed sign-ins"). Failures are counted per typed name —
/// an account or not, so an unknown name behaves exactly like a known one — per client address and per trusted
/// browser (<see cref="DeviceCookies"/>). <see cref="AuthOptions.MaxFailedAttempts"/> failures of a name lock it for
/// a while, <see cref="AuthOptions.MaxFailedAttemptsPerAddress"/> failures from an address throttle that address;
/// each lock lasts twice as long as the one before (1, 2, 4 … minutes, at most
/// <see cref="AuthOptions.LockoutMinutes"/>) and the doubling starts again after a quiet period of twice that.
/// A stranger cannot keep the owner out: a browser in which the account signed in before carries a device cookie,
/// and its attempts are checked whatever the name's or the address's lock (a correct password lifts the name's lock);
/// it is locked only by its own failures. The counters are kept in memory for one portal process, or in PostgreSQL
/// (<c>Ops:Provider=postgres</c>) so that every node of a cluster counts the same failures.
/// </summary>
public sealed class SignInThrottle
{
    private readonly AuthOptions _options;
    private readonly TimeProvider _clock;
    private readonly IThrottleCounters _counters;

    public SignInThrottle(AuthOptions options, TimeProvider clock)
        : this(options, clock, new MemoryThrottleCounters(options))
    {
    }

    /// <summary>The portal's: shared in PostgreSQL when the operational data lives there, else in memory.</summary>
    public SignInThrottle(AuthOptions options, TimeProvider clock, Db db)
        : this(options, clock, db.Ops.IsPostgres ? new PostgresThrottleCounters(db.Ops, options) : new MemoryThrottleCounters(options))
    {
    }

    private SignInThrottle(AuthOptions options, TimeProvider clock, IThrottleCounters counters)
    {
        _options = options;
        _clock = clock;
        _counters = counters;
    }

    public ThrottleVerdict Check(string name, string? address, string? trustedDevice)
    {
        var now = _clock.GetUtcNow();
        return _counters.Update(Keys(name, address, trustedDevice), now, counters =>
        {
            if (trustedDevice is not null && LockedFor(counters, DeviceKey(trustedDevice), now) is null)
            {
                return new ThrottleVerdict.Allowed();
            }
            if (address is not null && LockedFor(counters, AddressKey(address), now) is { } addressWait)
            {
                return new ThrottleVerdict.AddressThrottled(addressWait);
            }
            return LockedFor(counters, NameKey(name), now) is { } nameWait
                ? new ThrottleVerdict.NameLocked(nameWait)
                : (ThrottleVerdict)new ThrottleVerdict.Allowed();
        });
    }

    /// <summary>A wrong password (or a name that cannot sign in here): counted for the address, and for the name or the device.</summary>
    public void Failed(string name, string? address, string? trustedDevice)
    {
        var now = _clock.GetUtcNow();
        _counters.Update(Keys(name, address, trustedDevice), now, counters =>
        {
            if (address is not null)
            {
                Count(counters, AddressKey(address), _options.MaxFailedAttemptsPerAddress, now);
            }
            var deviceTrusted = trustedDevice is not null && LockedFor(counters, DeviceKey(trustedDevice), now) is null;
            Count(counters, deviceTrusted ? DeviceKey(trustedDevice!) : NameKey(name), _options.MaxFailedAttempts, now);
            return true;
        });
    }

    /// <summary>The right password: the name and the device start again (the address does not: one good account must not clear a spray).</summary>
    public void Succeeded(string name, string? trustedDevice)
    {
        _counters.Update(Keys(name, null, trustedDevice), _clock.GetUtcNow(), counters =>
        {
            counters.Remove(NameKey(name));
            if (trustedDevice is not null)
            {
                counters.Remove(DeviceKey(trustedDevice));
            }
            return true;
        });
    }

    /// <summary>For the administrators' user list: whether new browsers are locked out of this name now.</summary>
    public bool IsNameLocked(string name)
    {
        var now = _clock.GetUtcNow();
        return _counters.Update([NameKey(name)], now, counters => LockedFor(counters, NameKey(name), now) is not null);
    }

    private static string NameKey(string name) => "n:" + name;
    private static string AddressKey(string address) => "a:" + address;
    private static string DeviceKey(string device) => "d:" + device;

    private static List<string> Keys(string name, string? address, string? device)
    {
        var keys = new List<string> { NameKey(name) };
        if (address is not null)
        {
            keys.Add(AddressKey(address));
        }
        if (device is not null)
        {
            keys.Add(DeviceKey(device));
        }
        return keys;
    }

    private static TimeSpan? LockedFor(Dictionary<string, ThrottleCounter> counters, string key, DateTimeOffset now) =>
        counters.TryGetValue(key, out var counter) && counter.LockedUntil > now ? counter.LockedUntil - now : null;

    private void Count(Dictionary<string, ThrottleCounter> counters, string key, int limit, DateTimeOffset now)
    {
        if (!counters.TryGetValue(key, out var counter))
        {
            counter = new ThrottleCounter();
            counters[key] = counter;
        }
        var window = TimeSpan.FromMinutes(_options.LockoutMinutes);
        if (counter.LockedUntil > now)
        {
            return;
        }
        if (now - counter.LastFailure > 2 * window)
        {
            counter.Locks = 0;
        }
        counter.LastFailure = now;
        counter.Failures.RemoveAll(at => now - at > window);
        counter.Failures.Add(now);
        if (counter.Failures.Count >= limit)
        {
            counter.Failures.Clear();
            var minutes = Math.Min(_options.LockoutMinutes, Math.Pow(2, counter.Locks));
            counter.Locks++;
            counter.LockedUntil = now + TimeSpan.FromMinutes(minutes);
        }
    }
}

/// <summary>The failures of one name, address or device, and its lock.</summary>
public sealed class ThrottleCounter
{
    public List<DateTimeOffset> Failures { get; init; } = [];
    public DateTimeOffset LockedUntil { get; set; }
    public DateTimeOffset LastFailure { get; set; }
    public int Locks { get; set; }
}

/// <summary>
/// Where the counters are kept. <see cref="Update{T}"/> hands the work the counters of its keys that exist, alone
/// (no other attempt on those keys runs meanwhile, on any node), and keeps what the work leaves: counters it added or
/// changed are stored, counters it removed are deleted.
/// </summary>
internal interface IThrottleCounters
{
    T Update<T>(IReadOnlyList<string> keys, DateTimeOffset now, Func<Dictionary<string, ThrottleCounter>, T> work);
}

/// <summary>In the portal's memory: one process, bounded to the most recent names and addresses.</summary>
internal sealed class MemoryThrottleCounters(AuthOptions options) : IThrottleCounters
{
    private const int MaxTracked = 50_000;

    private readonly Dictionary<string, ThrottleCounter> _counters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public T Update<T>(IReadOnlyList<string> keys, DateTimeOffset now, Func<Dictionary<string, ThrottleCounter>, T> work)
    {
        lock (_lock)
        {
            var mine = new Dictionary<string, ThrottleCounter>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (_counters.TryGetValue(key, out var counter))
                {
                    mine[key] = counter;
                }
            }
            var result = work(mine);
            foreach (var key in keys)
            {
                if (mine.TryGetValue(key, out var counter))
                {
                    _counters[key] = counter;
                }
                else
                {
                    _counters.Remove(key);
                }
            }
            Prune(now);
            return result;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (_counters.Count <= MaxTracked)
        {
            return;
        }
        // names and addresses that are neither locked nor recently failing go first, oldest first
        foreach (var key in _counters.Where(c => c.Value.LockedUntil <= now && now - c.Value.LastFailure > TimeSpan.FromMinutes(options.LockoutMinutes))
                     .OrderBy(c => c.Value.LastFailure).Select(c => c.Key).Take(_counters.Count - MaxTracked / 2).ToList())
        {
            _counters.Remove(key);
        }
    }
}
