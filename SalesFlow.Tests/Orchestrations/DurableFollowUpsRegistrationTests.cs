using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.FollowUps;
using SalesFlow.Functions.Orchestrations;

namespace SalesFlow.Tests.Orchestrations;

public sealed class DurableFollowUpsRegistrationTests
{
    [Fact]
    public void AddDurableFollowUps_replaces_the_standalone_signals_with_the_durable_ones()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeadConversationSignals, StoreTimerConversationSignals>();

        services.AddDurableFollowUps();

        var signals = Assert.Single(services, d => d.ServiceType == typeof(ILeadConversationSignals));
        Assert.Equal(typeof(DurableLeadConversationSignals), signals.ImplementationType);
        Assert.Contains(services, d => d.ServiceType == typeof(DurableClientAccessor));
        Assert.Contains(services, d => d.ServiceType == typeof(LeadConversationActivities));
    }

    [Fact]
    public void The_signals_refuse_to_run_without_the_invocation_s_durable_client()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DurableClientAccessor().Client);
        Assert.Contains("[DurableClient]", error.Message, StringComparison.Ordinal);
    }
}
