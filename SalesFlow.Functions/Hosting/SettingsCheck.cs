using Microsoft.Extensions.Options;

namespace SalesFlow.Functions.Hosting;

/// <summary>
/// Runs the options validation the host would run when it starts (every <c>ValidateOnStart</c>), before it starts: the
/// host logs a failed validation with its stack trace and the process dies with an unhandled-exception dump, where an
/// operator needs one line per invalid setting.
/// </summary>
public static class SettingsCheck
{
    public const int ExitCode = 2;

    /// <summary>One line per invalid setting; empty when every setting is valid.</summary>
    public static IReadOnlyList<string> Problems(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return Lines([e]);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return Lines(e.InnerExceptions.Cast<OptionsValidationException>());
        }
    }

    private static List<string> Lines(IEnumerable<OptionsValidationException> failures) =>
        failures.SelectMany(f => f.Failures).Select(message => "SalesFlow cannot start: " + message).ToList();
}
