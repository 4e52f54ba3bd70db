using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;
using SalesFlow.Infrastructure.Crm;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Crm;

/// <summary>
/// The CRM sync as the app runs it, on a real SQLite file and the real HubSpot adapter talking to an in-test HubSpot:
/// the sync-crm handler, the embedded queue on a hand-moved clock, and a lead with conversation, profile and summary.
/// </summary>
public sealed class CrmTestBed : IAsyncDisposable
{
    public const string Token = "pat-eu1-test-token-0a0a";
    public const string ClientId = "acme";

    private readonly ServiceProvider _http;

    private CrmTestBed(HubSpotApiServer server, IMeetingStore? meetings, TimeSpan callTimeout)
    {
        var http = new ServiceCollection();
        http.AddHttpClient(HubSpotCrmGateway.HttpClientName, c => c.Timeout = callTimeout);
        _http = http.BuildServiceProvider();
        Server = server;
        Clients = new SqliteClientStore(Temp.Db, Clock);
        Leads = new SqliteLeadStore(Temp.Db);
        Conversations = new SqliteConversationStore(Temp.Db);
        Profiles = new SqliteLeadProfileStore(Temp.Db);
        Memory = new SqliteMemoryStore(Temp.Db);
        Queue = new SqliteWorkQueue(Temp.Db, Clock);
        Outcomes = new SqliteLeadOutcomeStore(Temp.Db);
        Links = new FlakyLinkStore(new SqliteCrmLinkStore(Temp.Db));
        Gateway = new HubSpotCrmGateway(_http.GetRequiredService<IHttpClientFactory>(), Options.Create(new HubSpotApiOptions { ApiBaseUrl = server.BaseUrlSetting }), new HubSpotRateLimits(), Clock);
        Sync = new CrmSyncService(Clients, Leads, Profiles, Memory, Conversations, meetings ?? new SqliteMeetingStore(Temp.Db), Links, Gateway, Outcomes, Queue, Clock, NullLogger<CrmSyncService>.Instance);
        Handler = new SyncCrmHandler(Sync);
    }

    public TempDatabase Temp { get; } = new();
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public HubSpotApiServer Server { get; }
    public SqliteClientStore Clients { get; }
    public SqliteLeadStore Leads { get; }
    public SqliteConversationStore Conversations { get; }
    public SqliteLeadProfileStore Profiles { get; }
    public SqliteMemoryStore Memory { get; }
    public SqliteWorkQueue Queue { get; }
    public SqliteLeadOutcomeStore Outcomes { get; }
    public FlakyLinkStore Links { get; }
    public HubSpotCrmGateway Gateway { get; }
    public CrmSyncService Sync { get; }
    public SyncCrmHandler Handler { get; }

    public static async Task<CrmTestBed> StartAsync(IMeetingStore? meetings = null) => new(await HubSpotApiServer.StartAsync(Token), meetings, TimeSpan.FromSeconds(100));

    /// <summary>With HubSpot calls that give up after <paramref name="callTimeout"/> (the app's is 30 s), for timeout tests.</summary>
    public static async Task<CrmTestBed> StartAsync(TimeSpan callTimeout) => new(await HubSpotApiServer.StartAsync(Token), null, callTimeout);

    public async Task AddClientAsync(HubSpotConfig? hubspot, string clientId = ClientId) =>
        Assert.True(await Clients.TryCreateAsync(
            new Client(clientId, "Acme", "hash-" + clientId, new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin", new ClientConfig(HubSpot: hubspot)),
            default));

    /// <summary>A lead with an e-mail and phone, its conversation at <paramref name="state"/> and a profile of the given BANT scores.</summary>
    public async Task<Lead> AddLeadAsync(ConversationState state, double bant, string? email = "anna.meyer@acme.example", string? phone = "+4917012345678", string clientId = ClientId)
    {
        var now = Clock.GetUtcNow();
        var (lead, _) = await Leads.GetOrCreateByIdentityAsync(clientId, IdentityKind.Phone, phone ?? "+4917099" + Random.Shared.Next(10000, 99999), () => new Lead
        {
            Id = Ids.New("lead"),
            ClientId = clientId,
            Name = "Anna Meyer",
            Email = email,
            Phone = phone,
            CreatedAt = now,
            UpdatedAt = now,
        }, default);
        await SetStateAsync(lead, state);
        var dimension = new BantDimension(bant, ["we need it this quarter"]);
        await Profiles.SaveAsync(LeadProfile.New(clientId, lead.Id) with
        {
            Bant = new BantAssessment(dimension, dimension, dimension, dimension),
            Facts = new ProfileFacts("Anna Meyer", "Acme GmbH", "CTO", "50k EUR", "Q1", ["manual lead routing"], email),
            Turns = 1,
            UpdatedAt = now,
        }, default);
        await Memory.SaveSummaryAsync(new ConversationSummary(clientId, lead.Id, "Anna asked about routing leads automatically and wants a demo.", ProfileFacts.Empty, SentimentSnapshot.Empty, 3, now), default);
        return lead;
    }

    public async Task SetStateAsync(Lead lead, ConversationState state)
    {
        var conversation = await Conversations.GetOrCreateForLeadAsync(lead.ClientId, lead.Id, ChannelKind.WhatsApp, Clock.GetUtcNow(), default);
        await Conversations.ReplaceAsync(conversation with { State = state, LastInboundAt = Clock.GetUtcNow() }, default);
    }

    /// <summary>Runs one sync-crm message through the handler, as the queue runner or the queue trigger would.</summary>
    public Task HandleAsync(Lead lead) =>
        Handler.HandleAsync(new WorkItem(Ids.New("job"), Queues.SyncCrm, SyncCrmWork.Serialize(new SyncCrmWork(lead.ClientId, lead.Id)), 1), default);

    public Task<WorkItem?> ClaimAsync() => Queue.ClaimAsync(Queues.SyncCrm, TimeSpan.FromMinutes(1), default);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _http.DisposeAsync();
        Temp.Dispose();
    }
}

/// <summary>The SQLite link store that can be told to "crash" (throw) on its next save: the crash between a CRM create and storing the id.</summary>
public sealed class FlakyLinkStore(ICrmLinkStore inner) : ICrmLinkStore
{
    /// <summary>Throws on the next save whose link matches; then behaves.</summary>
    public Func<CrmLink, bool>? CrashOnSave { get; set; }

    public Task<CrmLink?> GetAsync(string clientId, string leadId, CancellationToken ct) => inner.GetAsync(clientId, leadId, ct);

    public Task<CrmLink?> FindByDealAsync(string clientId, string dealId, CancellationToken ct) => inner.FindByDealAsync(clientId, dealId, ct);

    public Task<IReadOnlyList<CrmLink>> ListRetryDueAsync(DateTimeOffset now, int max, CancellationToken ct) => inner.ListRetryDueAsync(now, max, ct);

    public Task<CrmLink> SaveAsync(CrmLink link, CancellationToken ct)
    {
        if (CrashOnSave is { } crash && crash(link))
        {
            CrashOnSave = null;
            throw new IOException("process died before the link was stored");
        }

        return inner.SaveAsync(link, ct);
    }
}
