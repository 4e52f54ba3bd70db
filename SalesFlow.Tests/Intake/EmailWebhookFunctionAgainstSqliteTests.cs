using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Runners;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Intake;

/// <summary>
/// The EmailWebhook function (SendGrid Inbound Parse) invoked in-process through the app's own route and DI container,
/// built with the same AddSalesFlow/MapSalesFlow calls as Program.cs, on the embedded SQLite store; the turn is then
/// run by the same ConversationEngine the process-inbound queue calls.
/// </summary>
public sealed class EmailWebhookFunctionAgainstSqliteTests : IAsyncDisposable
{
    private const string Secret = "email-webhook-secret";
    private const string Address = "jonas@weber-bau.example";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "salesflow-email-webhook-" + Guid.NewGuid().ToString("N"));
    private readonly List<WebApplication> _apps = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private WebApplication BuildApp(string? requireSenderAuthentication = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["SalesFlow:DataDir"] = Path.Combine(_dataDir, _apps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.Configuration["DemoClient:Enabled"] = "false";
        if (requireSenderAuthentication is not null)
        {
            builder.Configuration["Email:RequireSenderAuthentication"] = requireSenderAuthentication;
        }

        builder.AddSalesFlow(new SalesFlow.Functions.Hosting.HostingMode(UnderFunctionsHost: false));
        var app = builder.Build();
        app.MapSalesFlow();
        _apps.Add(app);
        return app;
    }

    /// <summary>The client and a lead who has written from <see cref="Address"/> before.</summary>
    private static async Task<(Client Client, Lead Lead)> SeedAsync(WebApplication app)
    {
        var client = new Client("acme", "Acme", ClientAuthenticator.HashKey("sf_acme"), new ClientChannelSecrets("wa", "verify", "twilio", Secret), "49", "Europe/Berlin");
        Assert.True(await app.Services.GetRequiredService<IClientStore>().TryCreateAsync(client, default));
        var now = DateTimeOffset.UtcNow;
        var (lead, _) = await app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync("acme", IdentityKind.Email, Address, () => new Lead
        {
            Id = "lead_jonas",
            ClientId = "acme",
            Name = "Jonas Weber",
            Email = Address,
            CreatedAt = now,
            UpdatedAt = now,
        }, default);
        return (client, lead);
    }

    /// <summary>POSTs the form to the EmailWebhook route's own request delegate, with the client's secret as ?key=.</summary>
    private static async Task<JsonElement> PostAsync(WebApplication app, MultipartFormDataContent form)
    {
        var endpoint = AppEndpoints.Named(app, "EmailWebhook");
        using var scope = app.Services.CreateScope();
        using (form)
        {
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/api/webhooks/email/acme";
            http.Request.QueryString = new QueryString("?key=" + Secret);
            http.Request.RouteValues["clientId"] = "acme";
            http.Request.ContentType = form.Headers.ContentType!.ToString();
            http.Request.Body = new MemoryStream(await form.ReadAsByteArrayAsync());
            var response = new MemoryStream();
            http.Response.Body = response;

            await endpoint(http);
            // The app is not started, so its journal runner is not either: store what the webhook journaled, as it would.
            Assert.Equal(1, await app.Services.GetRequiredService<InboundJournalRunner>().StoreDueAsync(CancellationToken.None));

            Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
            return JsonDocument.Parse(response.ToArray()).RootElement.Clone();
        }
    }

    private static async Task<IReadOnlyList<Message>> MessagesAsync(WebApplication app, string leadId)
    {
        var conversations = app.Services.GetRequiredService<IConversationStore>();
        var conversation = await conversations.FindForLeadAsync("acme", leadId, default);
        return await conversations.ListMessagesAsync("acme", conversation!.Id, 100, default);
    }

    [Fact]
    public async Task AForgedStopPostedToTheWebhookIsStoredUntrustedAndTheTurnNeitherRepliesNorOptsTheLeadOut()
    {
        var app = BuildApp();
        var (_, lead) = await SeedAsync(app);

        var result = await PostAsync(app, Webhooks.ForgedSendGridEmail(Address, "STOP"));
        await app.Services.GetRequiredService<ConversationEngine>().ProcessLeadAsync("acme", lead.Id, default);

        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        var stored = Assert.Single(await MessagesAsync(app, lead.Id));
        Assert.Equal("STOP", stored.Text);
        Assert.False(stored.Answerable);
        Assert.True(stored.IsUntrusted());
        Assert.False((await app.Services.GetRequiredService<ILeadStore>().GetAsync("acme", lead.Id, default))!.OptedOut);
        Assert.Empty(await app.Services.GetRequiredService<IOutboxStore>().ListAsync("acme", lead.Id, null, 10, default));
    }

    [Fact]
    public async Task AnAuthenticatedEmailPostedToTheWebhookIsAnswered()
    {
        var app = BuildApp();
        var (_, lead) = await SeedAsync(app);

        await PostAsync(app, Webhooks.AuthenticSendGridEmail(Address, "What does it cost for 5 users?"));
        var turn = await app.Services.GetRequiredService<ConversationEngine>().ProcessLeadAsync("acme", lead.Id, default);

        Assert.Equal(Address, turn!.Reply!.Recipient);
        Assert.Equal(OutboxPurpose.Reply, turn.Reply.Purpose);
        Assert.False(Assert.Single(await MessagesAsync(app, lead.Id), m => m.Direction == MessageDirection.Inbound).IsUntrusted());
    }

    [Fact]
    public async Task WithRequireSenderAuthenticationOffAForgedStopOptsTheLeadOutAsBefore()
    {
        var app = BuildApp(requireSenderAuthentication: "false");
        var (_, lead) = await SeedAsync(app);

        await PostAsync(app, Webhooks.ForgedSendGridEmail(Address, "STOP"));
        var turn = await app.Services.GetRequiredService<ConversationEngine>().ProcessLeadAsync("acme", lead.Id, default);

        Assert.Equal(OutboxPurpose.OptOutConfirmation, turn!.Reply!.Purpose);
        Assert.True((await app.Services.GetRequiredService<ILeadStore>().GetAsync("acme", lead.Id, default))!.OptedOut);
    }

    [Fact]
    public void EnforcementIsOnUnlessTurnedOff()
    {
        Assert.True(BuildApp().Services.GetRequiredService<IOptions<EmailIntakeOptions>>().Value.RequireSenderAuthentication);
        Assert.False(BuildApp(requireSenderAuthentication: "false").Services.GetRequiredService<IOptions<EmailIntakeOptions>>().Value.RequireSenderAuthentication);
    }

    [Fact]
    public void ARequireSenderAuthenticationThatIsNotABooleanStopsTheStart()
    {
        var app = BuildApp(requireSenderAuthentication: "maybe");

        // What the host runs before it starts anything (ValidateOnStart).
        var error = Assert.ThrowsAny<Exception>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("RequireSenderAuthentication", error.ToString(), StringComparison.Ordinal);
    }
}
