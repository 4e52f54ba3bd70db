using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// infra/ is compiled and linted by the real Bicep CLI (restored from NuGet by SalesFlow.Tests.csproj), so a broken
/// template fails the suite instead of the next <c>azd provision</c>. Any error or warning fails: a linter rule that
/// does not apply is turned off in infra/bicepconfig.json with the reason.
/// </summary>
public sealed class BicepTemplatesCompileTests
{
    private const string Templates = "infra/**/*.bicep";

    [Fact]
    public void EveryTemplateCompilesWithoutDiagnostics()
    {
        var outDir = Directory.CreateTempSubdirectory("salesflow-bicep-");
        try
        {
            AssertClean(Bicep.Run("build", "--pattern", Templates, "--outdir", outDir.FullName), "bicep build --pattern " + Templates);
            Assert.True(File.Exists(Path.Combine(outDir.FullName, "main.json")), "bicep build wrote no main.json.");
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }

    [Fact]
    public void EveryTemplatePassesTheLinter() =>
        AssertClean(Bicep.Run("lint", "--pattern", Templates), "bicep lint --pattern " + Templates);

    [Fact]
    public void ParametersFileSetsOnlyDeclaredParametersAndEveryRequiredOne()
    {
        var build = Bicep.Run("build", "infra/main.bicep", "--stdout");
        AssertClean(build, "bicep build infra/main.bicep --stdout");
        using var template = JsonDocument.Parse(build.StandardOutput);
        var declared = template.RootElement.GetProperty("parameters").EnumerateObject().ToList();
        using var file = JsonDocument.Parse(RepoFiles.Read("infra", "main.parameters.json"));
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        // azd passes main.parameters.json to the deployment: an unknown name fails it, a missing required one prompts.
        Assert.Empty(given.Except(declared.Select(p => p.Name)));
        Assert.Empty(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name).Except(given));
    }

    private static void AssertClean(Bicep.Result result, string command) =>
        Assert.True(
            result.ExitCode == 0 && string.IsNullOrWhiteSpace(result.StandardError),
            $"'{command}' exited {result.ExitCode} with diagnostics:\n{result.StandardError}");

    /// <summary>The Bicep CLI binary of the NuGet package, at the path the build recorded.</summary>
    private static class Bicep
    {
        private static readonly string Executable = typeof(BicepTemplatesCompileTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;

        public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

        public static Result Run(params string[] arguments)
        {
            Assert.True(File.Exists(Executable), $"The Bicep CLI is not at {Executable}; restore SalesFlow.Tests (dotnet restore) to download it.");
            EnsureExecutable();
            var info = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoFiles.Root,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Only a guard against a hung CLI (it takes seconds); the assertion is on what it printed.
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish.");
            }

            return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }

        // A package extracted by another tool or user may have lost the executable bit.
        private static void EnsureExecutable()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var mode = File.GetUnixFileMode(Executable);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(Executable, mode | UnixFileMode.UserExecute);
            }
        }
    }
}
