using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>
/// In Cosmos a message's sequence number is handed out before the message is written. A turn that
/// reads in between must not answer past the hole, or the late message would never be answered.
/// </summary>
[Collection(CosmosStandInCollection.Name)]
public sealed class CosmosSequenceHoleAgainstCosmosStandInTests(CosmosStandInFixture cosmos)
{
    private static Message Inbound(Conversation c, string text) => new()
    {
        Id = Ids.New("msg"),
        ClientId = c.ClientId,
        LeadId = c.LeadId,
        ConversationId = c.Id,
        Direction = MessageDirection.Inbound,
        Channel = ChannelKind.Sms,
        Text = text,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task AReaderStopsBeforeAHoleUntilTheLateMessageLands()
    {
        using var stores = await cosmos.CreateStoresAsync();
        var conversation = await stores.Conversations.GetOrCreateForLeadAsync("acme", "lead_1", ChannelKind.Sms, DateTimeOffset.UtcNow, default);
        var (first, _) = await stores.Conversations.AddInboundAsync(Inbound(conversation, "one"), default);

        // A concurrent intake has taken the next number but not yet written its message.
        await stores.Containers.Conversations.PatchItemAsync<JsonObject>(CosmosConversationStore.CounterDocId, new PartitionKey("acme/lead_1"), [PatchOperation.Increment("/seq", 1)]);
        await stores.Conversations.AddInboundAsync(Inbound(conversation, "three"), default);

        var beforeTheHole = await stores.Conversations.ListInboundAfterAsync("acme", conversation.Id, 0, default);
        Assert.Equal(["one"], beforeTheHole.Select(m => m.Text));

        // Past the grace time the hole counts as a dead writer's and is passed over.
        var afterGrace = await stores.Conversations.ListInboundAfterAsync("acme", conversation.Id, first.Seq, default);
        Assert.Equal(["three"], afterGrace.Select(m => m.Text));
    }

    private static Message Held(Conversation c, string text, DateTimeOffset createdAt) => Inbound(c, text) with
    {
        Channel = ChannelKind.Email,
        Answerable = false,
        Metadata = new Dictionary<string, string> { [SenderTrust.UntrustedKey] = SenderTrust.SenderNotAuthenticated },
        CreatedAt = createdAt,
    };

    private static readonly Dictionary<string, string> Vouched = new() { [SenderTrust.TrustedByKey] = "api" };

    [Fact]
    public async Task TheNumberAReadmittedMessageLeftIsNotAHoleToWaitFor()
    {
        using var stores = await cosmos.CreateStoresAsync();
        var conversation = await stores.Conversations.GetOrCreateForLeadAsync("acme", "lead_1", ChannelKind.Sms, DateTimeOffset.UtcNow, default);
        var (first, _) = await stores.Conversations.AddInboundAsync(Inbound(conversation, "one"), default);
        var (held, _) = await stores.Conversations.AddInboundAsync(Held(conversation, "held", DateTimeOffset.UtcNow), default);
        await stores.Conversations.AddInboundAsync(Inbound(conversation, "three"), default);
        await stores.Conversations.ReadmitInboundAsync(held, true, Vouched, default);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var listed = await stores.Conversations.ListInboundAfterAsync("acme", conversation.Id, first.Seq, default);

        Assert.Equal(["three", "held"], listed.Select(m => m.Text));
        Assert.True(started.Elapsed < CosmosConversationStore.HoleGrace, $"waited {started.Elapsed} for the vacated number");
    }

    [Fact]
    public async Task AReadmittedOldMessageDoesNotMakeAFreshHoleBeforeItLookOld()
    {
        using var stores = await cosmos.CreateStoresAsync();
        var conversation = await stores.Conversations.GetOrCreateForLeadAsync("acme", "lead_1", ChannelKind.Sms, DateTimeOffset.UtcNow, default);
        var (first, _) = await stores.Conversations.AddInboundAsync(Inbound(conversation, "one"), default);
        var (held, _) = await stores.Conversations.AddInboundAsync(Held(conversation, "held a day ago", DateTimeOffset.UtcNow.AddDays(-1)), default);

        // A concurrent intake takes the next number; the readmit the one after it.
        var pk = new PartitionKey("acme/lead_1");
        var taken = (await stores.Containers.Conversations.PatchItemAsync<JsonObject>(CosmosConversationStore.CounterDocId, pk, [PatchOperation.Increment("/seq", 1)])).Resource["seq"]!.GetValue<long>();
        await stores.Conversations.ReadmitInboundAsync(held, true, Vouched, default);

        var listing = stores.Conversations.ListInboundAfterAsync("acme", conversation.Id, first.Seq, default);
        await Task.Delay(300);
        var late = CosmosDocuments.ToDocument(Inbound(conversation, "late") with { Seq = taken }, "message", Ids.New("msg"));
        late["leadKey"] = "acme/lead_1";
        await stores.Containers.Conversations.CreateItemAsync(late, pk);

        Assert.Equal(["late", "held a day ago"], (await listing).Select(m => m.Text));
    }
}
