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
/// it is locked only by its own failures. Kept in memory: the portal is the warehouse's one writer and one process.
/// </summary>
public sealed class SignInThrottle(AuthOptions options, TimeProvider clock)
{
    private const int MaxTracked = 50_000;

    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ThrottleVerdict Check(string name, string? address, string? trustedDevice)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (trustedDevice is not null && LockedFor(DeviceKey(trustedDevice), now) is null)
            {
                return new ThrottleVerdict.Allowed();
            }
            if (address is not null && LockedFor(AddressKey(address), now) is { } addressWait)
            {
                return new ThrottleVerdict.AddressThrottled(addressWait);
            }
            return LockedFor(NameKey(name), now) is { } nameWait
                ? new ThrottleVerdict.NameLocked(nameWait)
                : new ThrottleVerdict.Allowed();
        }
    }

    /// <summary>A wrong password (or a name that cannot sign in here): counted for the address, and for the name or the device.</summary>
    public void Failed(string name, string? address, string? trustedDevice)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (address is not null)
            {
                Count(AddressKey(address), options.MaxFailedAttemptsPerAddress, now);
            }
            var deviceTrusted = trustedDevice is not null && LockedFor(DeviceKey(trustedDevice), now) is null;
            Count(deviceTrusted ? DeviceKey(trustedDevice!) : NameKey(name), options.MaxFailedAttempts, now);
            Prune(now);
        }
    }

    /// <summary>The right password: the name and the device start again (the address does not: one good account must not clear a spray).</summary>
    public void Succeeded(string name, string? trustedDevice)
    {
        lock (_lock)
        {
            _counters.Remove(NameKey(name));
            if (trustedDevice is not null)
            {
                _counters.Remove(DeviceKey(trustedDevice));
            }
        }
    }

    /// <summary>For the administrators' user list: whether new browsers are locked out of this name now.</summary>
    public bool IsNameLocked(string name)
    {
        lock (_lock)
        {
            return LockedFor(NameKey(name), clock.GetUtcNow()) is not null;
        }
    }

    private static string NameKey(string name) => "n:" + name;
    private static string AddressKey(string address) => "a:" + address;
    private static string DeviceKey(string device) => "d:" + device;

    private TimeSpan? LockedFor(string key, DateTimeOffset now) =>
        _counters.TryGetValue(key, out var counter) && counter.LockedUntil > now ? counter.LockedUntil - now : null;

    private void Count(string key, int limit, DateTimeOffset now)
    {
        if (!_counters.TryGetValue(key, out var counter))
        {
            counter = new Counter();
            _counters[key] = counter;
        }
        var window = TimeSpan.FromMinutes(options.LockoutMinutes);
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
            var minutes = Math.Min(options.LockoutMinutes, Math.Pow(2, counter.Locks));
            counter.Locks++;
            counter.LockedUntil = now + TimeSpan.FromMinutes(minutes);
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

    private sealed class Counter
    {
        public List<DateTimeOffset> Failures { get; } = [];
        public DateTimeOffset LockedUntil { get; set; }
        public DateTimeOffset LastFailure { get; set; }
        public int Locks { get; set; }
    }
}
