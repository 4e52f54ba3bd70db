using SalesFlow.Core.Clients;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The client a turn has just read, for what the turn runs inline after it (the integration-event reactions, e.g.
/// the CRM sync's "is HubSpot configured?"), so a turn reads its client once. Held in an <see cref="AsyncLocal{T}"/>
/// for the turn's own flow only; it is never handed out for another client id, and outside a turn it is empty.
/// </summary>
public static class TurnClient
{
    private static readonly AsyncLocal<Client?> Held = new();

    /// <summary>Holds <paramref name="client"/> until the returned scope is disposed.</summary>
    public static IDisposable Hold(Client client)
    {
        var previous = Held.Value;
        Held.Value = client;
        return new Scope(previous);
    }

    /// <summary>The held client when it is <paramref name="clientId"/>'s, else null (read it from the store).</summary>
    public static Client? For(string clientId) => Held.Value is { } client && client.Id == clientId ? client : null;

    private sealed class Scope(Client? previous) : IDisposable
    {
        public void Dispose() => Held.Value = previous;
    }
}
