using SalesFlow.Core.Qualification;

namespace SalesFlow.Functions.Extensions;

public static class QualificationExtensions
{
    /// <summary>The rep-facing qualification services: the lead score reader.</summary>
    public static IServiceCollection AddQualification(this IServiceCollection services)
    {
        services.AddSingleton<LeadScoreReader>();
        return services;
    }
}
