using System.Diagnostics;
using System.Reflection;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The README's first command, <c>dotnet run --project SalesFlow.Functions</c>, starts the app itself (standalone on the
/// embedded default). The Functions Worker SDK would make it run <c>func start</c> instead, which fails where the Core
/// Tools are not installed; Directory.Build.targets takes that over. The end-to-end tests run the built app.
/// </summary>
public sealed class DotnetRunTests
{
    [Fact]
    public async Task DotnetRunStartsTheAppItselfNotTheFunctionsCoreTools()
    {
        var configuration = typeof(DotnetRunTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoFiles.Root,
        };
        foreach (var arg in new[] { "msbuild", Path.Combine("SalesFlow.Functions", "SalesFlow.Functions.csproj"), "-t:ComputeRunArguments", "-getProperty:RunCommand", "-getProperty:RunArguments", $"-p:Configuration={configuration}", "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet msbuild.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var printed = await output + await error;
        Assert.True(process.ExitCode == 0, printed);
        Assert.Contains($"{Path.DirectorySeparatorChar}SalesFlow.Functions", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("\"RunCommand\": \"func\"", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Core Tools", printed, StringComparison.Ordinal);
    }
}
