using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;

// Publish runs `SalesFlow.Functions --write-function-metadata <dir>`: write function.json files and exit, no web host.
if (FunctionMetadataWriter.TryRun(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSalesFlowLogging();
builder.AddSalesFlowTelemetry();
builder.AddSalesFlow();
if (DataDirectoryCheck.Problem(builder.Configuration) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return DataDirectoryCheck.ExitCode;
}

var app = builder.Build();
if (SettingsCheck.Problems(app.Services) is { Count: > 0 } invalid)
{
    foreach (var line in invalid)
    {
        await Console.Error.WriteLineAsync(line);
    }

    return SettingsCheck.ExitCode;
}

app.UseCorrelation();
app.UseSalesFlowErrors();
app.MapSalesFlow();
await app.RunAsync();
return 0;

/// <summary>Entry point marker for tests that host the app.</summary>
public partial class Program;
