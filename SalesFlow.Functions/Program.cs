using Microsoft.Azure.Functions.Worker.Builder;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;

// Started by the Functions host (it passes --functions-uri, see HostingMode): the isolated worker with ASP.NET Core
// integration runs the [Function] classes in Triggers/. Otherwise: standalone, exactly as `dotnet run` always did.
var mode = HostingMode.FromStartup(args);
return mode.UnderFunctionsHost ? await RunUnderFunctionsHostAsync(args, mode) : await RunStandaloneAsync(args, mode);

static async Task<int> RunUnderFunctionsHostAsync(string[] args, HostingMode mode)
{
    var builder = FunctionsApplication.CreateBuilder(args);
    builder.ConfigureFunctionsWebApplication();
    // No AddSalesFlowLogging here: it clears the providers, and the worker's own provider (WorkerLoggerProvider) sends
    // the logs to the host, which already records the worker's console output too.
    builder.AddSalesFlowTelemetry();
    builder.AddSalesFlow(mode);
    if (DataDirectoryCheck.Problem(builder.Configuration) is { } problem)
    {
        await Console.Error.WriteLineAsync(problem);
        return DataDirectoryCheck.ExitCode;
    }

    using var host = builder.Build();
    if (await StartupProblemsAsync(host.Services) is { } exitCode)
    {
        return exitCode;
    }

    await host.RunAsync();
    return 0;
}

static async Task<int> RunStandaloneAsync(string[] args, HostingMode mode)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddSalesFlowLogging();
    builder.AddSalesFlowTelemetry();
    builder.AddSalesFlow(mode);
    if (DataDirectoryCheck.Problem(builder.Configuration) is { } problem)
    {
        await Console.Error.WriteLineAsync(problem);
        return DataDirectoryCheck.ExitCode;
    }

    await using var app = builder.Build();
    if (await StartupProblemsAsync(app.Services) is { } exitCode)
    {
        return exitCode;
    }

    app.UseSalesFlowPipeline();
    await app.RunAsync();
    return 0;
}

static async Task<int?> StartupProblemsAsync(IServiceProvider services)
{
    if (SettingsCheck.Problems(services) is not { Count: > 0 } invalid)
    {
        return null;
    }

    foreach (var line in invalid)
    {
        await Console.Error.WriteLineAsync(line);
    }

    return SettingsCheck.ExitCode;
}

/// <summary>Entry point marker for tests that host the app.</summary>
public partial class Program;
