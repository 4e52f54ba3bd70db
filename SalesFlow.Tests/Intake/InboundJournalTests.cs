using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Runners;
using SalesFlow.Functions.Security;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Intake;

/// <summary>
/// The embedded store's webhook intake (JournaledWebhookIntake + InboundJournalRunner) on a real SQLite file, built by
/// the app's own AddSalesFlow: a delivery is journaled before its 200 and stored once right after; duplicates, bad
/// senders, failures, order and erasure behave as if the message had been stored at once. The app is not started, so the
/// runner runs only when a test calls it.
/// </summary>
public sealed class InboundJournalTests : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "salesflow-journal-" + Guid.NewGuid().ToString("N"));
    private readonly WebApplication _app;
    private readonly Client _client = new("acme", "Acme", ClientAuthenticator.HashKey("sf_acme"), new ClientChannelSecrets("wa", "verify", "twilio", "mail"), "49", "Europe/Berlin");

    public InboundJournalTests()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["SalesFlow:DataDir"] = _dataDir;
        builder.Configuration["DemoClient:Enabled"] = "false";
        builder.AddSalesFlow(new SalesFlow.Functions.Hosting.HostingMode(UnderFunctionsHost: false));
        _app = builder.Build();
        _app.MapSalesFlow();
    }

    private IWebhookIntake Intake => _app.Services.GetRequiredService<IWebhookIntake>();

    private InboundJournalRunner Runner => _app.Services.GetRequiredService<InboundJournalRunner>();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static InboundMessage WhatsApp(string wamid, string text, string from = "+491701234567") =>
        new(ChannelKind.WhatsApp, wamid, from, "Anna Meyer", null, text, "text", DateTimeOffset.UtcNow);

    private async Task SeedClientAsync() => Assert.True(await _app.Services.GetRequiredService<IClientStore>().TryCreateAsync(_client, default));

    private long Count(string table)
    {
        using var connection = _app.Services.GetRequiredService<SqliteDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private async Task<IReadOnlyList<Message>> MessagesOfAnnaAsync()
    {
        var leadId = await _app.Services.GetRequiredService<ILeadStore>().FindIdentityOwnerAsync("acme", IdentityKind.Phone, "+491701234567", default);
        var conversations = _app.Services.GetRequiredService<IConversationStore>();
        var conversation = await conversations.FindForLeadAsync("acme", leadId!, default);
        return await conversations.ListMessagesAsync("acme", conversation!.Id, 100, default);
    }

    [Fact]
    public async Task AJournaledMessageIsStoredOnceByTheRunnerAndLeavesTheJournal()
    {
        await SeedClientAsync();

        var result = await Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.j1", "Hi, what does it cost?")], []), "corr-1", default);

        Assert.Equal([false], result.Duplicates);
        Assert.Equal((1L, 0L), (Count("inbound_journal"), Count("messages")));
        Assert.Equal(1, await Runner.StoreDueAsync(default));
        Assert.Equal(0, await Runner.StoreDueAsync(default));
        var stored = Assert.Single(await MessagesOfAnnaAsync());
        Assert.Equal(("wamid.j1", "Hi, what does it cost?"), (stored.ProviderMessageId, stored.Text));
        Assert.Equal((0L, 1L), (Count("inbound_journal"), Count("messages")));
        Assert.Equal(1L, Count("jobs")); // its turn is queued, as a directly stored message's is
    }

    [Fact]
    public async Task ARepeatedDeliveryIsADuplicateWhileJournaledAndAfterItIsStored()
    {
        await SeedClientAsync();
        var batch = new WebhookBatch([WhatsApp("wamid.dup", "Hello")], []);

        await Intake.AcceptAsync(_client, batch, "corr-1", default);
        var whileJournaled = await Intake.AcceptAsync(_client, batch, "corr-2", default);
        await Runner.StoreDueAsync(default);
        var afterStored = await Intake.AcceptAsync(_client, batch, "corr-3", default);

        Assert.Equal([true], whileJournaled.Duplicates);
        Assert.Equal([true], afterStored.Duplicates);
        Assert.Equal(0, await Runner.StoreDueAsync(default));
        Assert.Equal((0L, 1L), (Count("inbound_journal"), Count("messages")));
    }

    [Fact]
    public async Task ADeliveryWithAnUnusableSenderIsRefusedWholeAndNothingIsJournaled()
    {
        await SeedClientAsync();

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.ok", "Hi"), WhatsApp("wamid.bad", "Hi", from: "not a number")], []), "corr", default));

        Assert.Equal("from", refused.Field);
        Assert.Equal(0L, Count("inbound_journal"));
    }

    [Fact]
    public async Task AnEntryWhoseIntakeFailsStaysWithItsErrorAndWaitsBeforeItIsTriedAgain()
    {
        await SeedClientAsync();
        // Journaled past the webhook's check (as an entry written by an older version might be): the intake refuses it.
        var journal = _app.Services.GetRequiredService<SqliteInboundJournal>();
        Assert.True(await journal.AppendAsync("acme", "msg_broken", "x", "corr", SqliteInboundJournal.Payload(WhatsApp("wamid.broken", "Hi", from: "not a number")), default));

        Assert.Equal(1, await Runner.StoreDueAsync(default));

        Assert.Equal((1L, 0L), (Count("inbound_journal"), Count("messages")));
        Assert.Empty(await journal.DueAsync(10, default)); // waiting out its retry
        using var connection = _app.Services.GetRequiredService<SqliteDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT attempts, last_error FROM inbound_journal";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Contains("not a valid phone number", reader.GetString(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesOfOneLeadAreStoredInTheOrderTheyArrived()
    {
        await SeedClientAsync();
        var texts = Enumerable.Range(1, 12).Select(i => "message " + i).ToList();
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
        {
            await Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.o" + i, text)], []), "corr", default);
        }

        Assert.Equal(12, await Runner.StoreDueAsync(default));

        Assert.Equal(texts, (await MessagesOfAnnaAsync()).OrderBy(m => m.Seq).Select(m => m.Text));
    }

    /// <summary>GET /health through the app's own route (the app is not started).</summary>
    private async Task<JsonElement> HealthQueueAsync(string name)
    {
        var endpoint = AppEndpoints.Named(_app, "Health");
        using var scope = _app.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = HttpMethods.Get;
        http.Request.Path = "/health";
        var body = new MemoryStream();
        http.Response.Body = body;
        await endpoint(http);
        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
        return JsonDocument.Parse(body.ToArray()).RootElement.GetProperty("queues").GetProperty(name).Clone();
    }

    [Fact]
    public async Task HealthShowsTheWebhooksAcknowledgedButNotStoredYet()
    {
        await SeedClientAsync();
        await Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.h1", "One"), WhatsApp("wamid.h2", "Two")], []), "corr", default);

        var waiting = await HealthQueueAsync("inbound-journal");
        await Runner.StoreDueAsync(default);
        var caughtUp = await HealthQueueAsync("inbound-journal");

        Assert.Equal(2, waiting.GetProperty("length").GetInt32());
        Assert.True(waiting.GetProperty("oldestAgeSeconds").GetDouble() >= 0);
        Assert.Equal(0, caughtUp.GetProperty("length").GetInt32());
        Assert.Equal(JsonValueKind.Null, caughtUp.GetProperty("oldestAgeSeconds").ValueKind);
    }

    [Fact]
    public async Task ErasingALeadRemovesItsMessagesStillInTheJournal()
    {
        await SeedClientAsync();
        await Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.e1", "First")], []), "corr", default);
        await Runner.StoreDueAsync(default);
        await Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.e2", "My address is Hauptstr. 1")], []), "corr", default);
        await Intake.AcceptAsync(_client, new WebhookBatch([WhatsApp("wamid.other", "Someone else", from: "+491709999999")], []), "corr", default);
        var leadId = await _app.Services.GetRequiredService<ILeadStore>().FindIdentityOwnerAsync("acme", IdentityKind.Phone, "+491701234567", default);

        var report = await _app.Services.GetRequiredService<ILeadEraser>().EraseAsync("acme", leadId!, default);

        Assert.Equal(1, report!.Removed["inbound_journal"]);
        Assert.Equal(1L, Count("inbound_journal")); // the other sender's message stays
    }
}
