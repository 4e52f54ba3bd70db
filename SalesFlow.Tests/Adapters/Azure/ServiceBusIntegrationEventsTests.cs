using System.Text.Json;
using Azure.Core;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using SalesFlow.Core.Integration;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;
using SalesFlow.Infrastructure.Azure.ServiceBus;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>
/// The Service Bus adapter through the SDK's mockable clients (Moq of <see cref="ServiceBusSender"/> and
/// <see cref="ServiceBusClient"/>) and its model factory. No broker runs here: duplicate detection, filters on a
/// subscription and the identity's role are not exercised (docs/architecture.md, "Integration events").
/// </summary>
public sealed class ServiceBusIntegrationEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 9, 30, 0, TimeSpan.Zero);

    private static (ServiceBusIntegrationEvents Adapter, List<ServiceBusMessage> Sent) WithSender()
    {
        var sent = new List<ServiceBusMessage>();
        var sender = new Mock<ServiceBusSender>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(m))
            .Returns(Task.CompletedTask);
        return (new ServiceBusIntegrationEvents(sender.Object), sent);
    }

    [Fact]
    public async Task AnEventIsSentWithItsKeyAsMessageIdItsTypeAsSubjectAndPropertiesToFilterOn()
    {
        var (adapter, sent) = WithSender();

        await adapter.PublishAsync(new LeadOptedOut("acme", "lead_1", At, 7), default);

        var message = Assert.Single(sent);
        Assert.Equal("lead.opted_out/acme/lead_1/7", message.MessageId);
        Assert.Equal("lead.opted_out", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal("acme", message.ApplicationProperties["clientId"]);
        Assert.Equal("lead_1", message.ApplicationProperties["leadId"]);
        Assert.Equal("lead.opted_out", message.ApplicationProperties["eventType"]);
        var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal(1, body.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("lead.opted_out", body.GetProperty("eventType").GetString());
        Assert.Equal("acme", body.GetProperty("clientId").GetString());
        Assert.Equal(7, body.GetProperty("throughSeq").GetInt64());
        Assert.Equal(At, body.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task TheSameMomentPublishedTwiceCarriesTheSameMessageIdSoDuplicateDetectionDropsTheRepeat()
    {
        var (adapter, sent) = WithSender();

        await adapter.PublishAsync(new LeadStateChanged("acme", "lead_1", At, "conv_1", 3, "discovery", "price_negotiation", "pricing"), default);
        await adapter.PublishAsync(new LeadStateChanged("acme", "lead_1", At.AddSeconds(5), "conv_1", 3, "discovery", "price_negotiation", "pricing"), default);
        await adapter.PublishAsync(new LeadStateChanged("acme", "lead_1", At, "conv_1", 4, "price_negotiation", "closing", "ready"), default);

        Assert.Equal(sent[0].MessageId, sent[1].MessageId);
        Assert.NotEqual(sent[0].MessageId, sent[2].MessageId);
    }

    [Fact]
    public void AKeyLongerThanServiceBusAllowsBecomesItsHash()
    {
        var longLead = "lead_" + new string('x', 200);

        var id = ServiceBusIntegrationEvents.ToMessage(new LeadEscalated("acme", longLead, At, 1, "lead asked for a human")).MessageId;

        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.True(id.Length <= 128);
        Assert.Equal(id, ServiceBusIntegrationEvents.ToMessage(new LeadEscalated("acme", longLead, At.AddDays(1), 1, "other")).MessageId);
    }

    [Fact]
    public void ASubscriberReadsTheTypedEventBackFromWhatItReceives()
    {
        var published = new LeadBecameHot("acme", "lead_1", At, 12, 0.675);
        var sent = ServiceBusIntegrationEvents.ToMessage(published);

        // What a subscription hands a consumer, built by the SDK's model factory from what was sent.
        var received = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, subject: sent.Subject, contentType: sent.ContentType, properties: sent.ApplicationProperties, deliveryCount: 1);

        Assert.Equal(LeadBecameHot.Type, received.ApplicationProperties["eventType"]);
        Assert.Equal(published, JsonSerializer.Deserialize<IntegrationEvent>(received.Body.ToString(), JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task ABrokerFailureReachesTheCallerWhichLogsItAndCarriesOn()
    {
        var sender = new Mock<ServiceBusSender>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("namespace busy", ServiceBusFailureReason.ServiceBusy));
        var adapter = new ServiceBusIntegrationEvents(sender.Object);
        var evt = new LeadOptedOut("acme", "lead_1", At, 7);

        await Assert.ThrowsAsync<ServiceBusException>(() => adapter.PublishAsync(evt, default));
        await new ReactingIntegrationEvents([], adapter).PublishBestEffortAsync(evt, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, default);
    }

    [Fact]
    public async Task TheSenderIsCreatedForTheConfiguredTopicOfTheConfiguredNamespace()
    {
        var services = ServicesFor(new()
        {
            ["IntegrationEvents:ServiceBusNamespace"] = "sb-salesflow-test.servicebus.windows.net",
            ["IntegrationEvents:Topic"] = "lead-events",
        });
        var client = new Mock<ServiceBusClient>();
        var sender = new Mock<ServiceBusSender>();
        client.Setup(c => c.CreateSender("lead-events")).Returns(sender.Object);
        services.AddSingleton(client.Object); // the registration's own client would reach for the namespace

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IIntegrationEvents>().PublishAsync(new LeadOptedOut("acme", "lead_1", At, 7), default);

        client.Verify(c => c.CreateSender("lead-events"), Times.Once);
        sender.Verify(s => s.SendMessageAsync(It.Is<ServiceBusMessage>(m => m.Subject == LeadOptedOut.Type), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void ANamespaceSettingMakesAnIdentityClientForThatNamespace()
    {
        var options = new IntegrationEventsOptions { ServiceBusNamespace = "sb-salesflow-test.servicebus.windows.net", Topic = "lead-events" };

        var client = options.CreateClient(Mock.Of<TokenCredential>());

        Assert.Equal("sb-salesflow-test.servicebus.windows.net", client.FullyQualifiedNamespace);
    }

    [Fact]
    public void AConnectionStringWinsOverTheNamespace()
    {
        var options = new IntegrationEventsOptions
        {
            ServiceBusNamespace = "sb-salesflow-test.servicebus.windows.net",
            ConnectionString = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
            Topic = "lead-events",
        };

        Assert.Empty(options.Problems());
        Assert.Equal("localhost", options.CreateClient().FullyQualifiedNamespace);
    }

    [Fact]
    public void WithoutSettingsNothingIsPublished()
    {
        using var provider = ServicesFor([]).BuildServiceProvider();

        Assert.IsType<UnpublishedIntegrationEvents>(provider.GetRequiredService<IIntegrationEventPublisher>());
        Assert.Empty(SettingsCheck.Problems(provider));
    }

    [Theory]
    [InlineData("sb-salesflow-test.servicebus.windows.net", null, "IntegrationEvents__Topic")]
    [InlineData("https://sb-salesflow-test.servicebus.windows.net/", "lead-events", "IntegrationEvents__ServiceBusNamespace")]
    [InlineData(null, "lead-events", "IntegrationEvents__ServiceBusNamespace")]
    public void AnIncompleteOrInvalidSettingStopsTheStartNamingIt(string? ns, string? topic, string named)
    {
        using var provider = ServicesFor(new() { ["IntegrationEvents:ServiceBusNamespace"] = ns, ["IntegrationEvents:Topic"] = topic }).BuildServiceProvider();

        Assert.Contains(SettingsCheck.Problems(provider), line => line.Contains(named, StringComparison.Ordinal));
    }

    private static ServiceCollection ServicesFor(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddIntegrationEvents(config);
        return services;
    }
}
