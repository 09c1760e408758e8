using System.Collections.Concurrent;

namespace RetentionAnalytics.Core.Sms;

/// <summary>
/// The local gateway for the demo and the tests (mapped under <c>/sms-gateway</c> when <c>Sms:Gateway:Simulator</c> is
/// true): accepts a key once and answers a repeat with the same message id, delivers at once unless told to fail, and
/// can refuse the next requests to exercise retries. It keeps keys and states only, never numbers or texts.
/// </summary>
public sealed class SmsGatewaySimulator
{
    private readonly ConcurrentDictionary<string, string> _idByKey = new();
    private readonly ConcurrentDictionary<string, string> _statusById = new();
    private int _failNextRequests;
    private int _failNextDeliveries;
    private int _requests;
    private long _nextId;

    public sealed record Stats(int Requests, int DistinctKeys, int Delivered, int Failed);

    /// <summary>Null: refused (the endpoint answers 503); otherwise the message id for the key.</summary>
    public string? Accept(string idempotencyKey)
    {
        Interlocked.Increment(ref _requests);
        if (TryTake(ref _failNextRequests))
        {
            return null;
        }
        return _idByKey.GetOrAdd(idempotencyKey, _ =>
        {
            var id = "SIM" + Interlocked.Increment(ref _nextId).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            _statusById[id] = TryTake(ref _failNextDeliveries) ? "failed" : "delivered";
            return id;
        });
    }

    public IReadOnlyList<GatewayReceipt> Receipts(IEnumerable<string> messageIds) =>
        messageIds.Select(id => new GatewayReceipt(id, _statusById.GetValueOrDefault(id, "pending"))).ToList();

    /// <summary>The next <paramref name="count"/> send requests are refused with 503.</summary>
    public void FailNextRequests(int count) => Interlocked.Exchange(ref _failNextRequests, count);

    /// <summary>The next <paramref name="count"/> new messages get a failed delivery receipt.</summary>
    public void FailNextDeliveries(int count) => Interlocked.Exchange(ref _failNextDeliveries, count);

    public Stats Current() => new(_requests, _idByKey.Count,
        _statusById.Values.Count(s => s == "delivered"), _statusById.Values.Count(s => s == "failed"));

    public bool HasKey(string idempotencyKey) => _idByKey.ContainsKey(idempotencyKey);

    private static bool TryTake(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
