using System.Collections.Concurrent;

namespace RetentionAnalytics.Core.Telephony;

/// <summary>
/// Tells an agent's open portal that a call for them was recorded (by call id: the portal reads the call from
/// <c>ops.inbound_call</c>). The in-process implementation serves one portal node; several nodes need one that crosses
/// processes (a database notification such as PostgreSQL's LISTEN/NOTIFY, or a message bus) -- the call itself is already
/// in the shared ops table.
/// </summary>
public interface IInboundCallNotifier
{
    void Notify(string agentUsername, long callId);

    /// <summary>Calls for the agent until the subscription is disposed (one per open portal tab).</summary>
    IDisposable Subscribe(string agentUsername, Action<long> onCall);
}

/// <summary>Subscribers per agent in this process; a failing subscriber does not keep the others from hearing.</summary>
public sealed class InProcessInboundCallNotifier : IInboundCallNotifier
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action<long>>> _listeners = new(StringComparer.Ordinal);

    public void Notify(string agentUsername, long callId)
    {
        if (!_listeners.TryGetValue(agentUsername, out var listeners))
        {
            return;
        }
        foreach (var listener in listeners.Values)
        {
            try
            {
                listener(callId);
            }
            catch (ObjectDisposedException)
            {
                // a tab closing while the call arrives
            }
        }
    }

    public IDisposable Subscribe(string agentUsername, Action<long> onCall)
    {
        var id = Guid.NewGuid();
        _listeners.GetOrAdd(agentUsername, _ => new())[id] = onCall;
        return new Subscription(() =>
        {
            if (_listeners.TryGetValue(agentUsername, out var listeners))
            {
                listeners.TryRemove(id, out _);
            }
        });
    }

    private sealed class Subscription(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
