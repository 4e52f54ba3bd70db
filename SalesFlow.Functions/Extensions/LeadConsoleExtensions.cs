using SalesFlow.Core.Conversations;
using SalesFlow.Functions.Apis;

namespace SalesFlow.Functions.Extensions;

/// <summary>What the console's lead page needs beyond the lead APIs: the timeline, taking a lead over and a rep's replies.</summary>
public static class LeadConsoleExtensions
{
    public static IServiceCollection AddLeadConsole(this IServiceCollection services) => services.AddSingleton<RepTakeover>();

    public static IEndpointRouteBuilder MapLeadConsoleApis(this IEndpointRouteBuilder app) => app.MapLeadTimelineApi().MapLeadTakeoverApi();
}
