namespace SalesFlow.Core.Conversations;

/// <summary>
/// One turn per lead at a time in this process. The inline turn of a message sent through the API and its queued copy
/// (due after the burst window) ran side by side when the turn took longer than the window: both fetched the calendar's
/// free slots, and with a model both would have paid for the same reply. The ETag-guarded commit kept the outcome right;
/// this keeps the cost single. Across instances the commit still decides.
/// </summary>
public sealed class LeadTurnGate
{
    private readonly Dictionary<(string ClientId, string LeadId), Entry> _entries = [];

    /// <summary>Waits until no other turn of the lead runs here; dispose the result to let the next one in.</summary>
    public async Task<IDisposable> EnterAsync(string clientId, string leadId, CancellationToken ct)
    {
        var key = (clientId, leadId);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                _entries[key] = entry = new Entry();
            }

            entry.Users++;
        }

        try
        {
            await entry.Turn.WaitAsync(ct);
        }
        catch
        {
            Leave(key, entry, entered: false);
            throw;
        }

        return new Pass(this, key, entry);
    }

    /// <summary>How many leads have a turn running or waiting (entries are dropped with their last user).</summary>
    internal int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    private void Leave((string, string) key, Entry entry, bool entered)
    {
        if (entered)
        {
            entry.Turn.Release();
        }

        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Turn.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Pass(LeadTurnGate gate, (string, string) key, Entry entry) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                gate.Leave(key, entry, entered: true);
            }
        }
    }
}
