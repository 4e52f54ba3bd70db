namespace SalesFlow.Tests.Hosting;

/// <summary>Dependencies point inward: the domain knows ports, never the SDKs of the systems behind them.</summary>
public sealed class DependencyDirectionTests
{
    private static readonly string[] SdkAssemblyPrefixes =
    [
        "Azure.", "Microsoft.Azure.", "Microsoft.Data.Sqlite", "OpenAI", "Twilio", "SendGrid", "Polly", "Microsoft.Extensions.Http.Resilience",
        "Microsoft.DurableTask", "Newtonsoft.Json",
    ];

    [Fact]
    public void CoreReferencesNoAzureOrVendorSdk()
    {
        var core = typeof(Core.Leads.Lead).Assembly;
        var sdks = core.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => SdkAssemblyPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(sdks);
    }

    [Fact]
    public void CoreDoesNotReferenceTheAdaptersOrTheHost()
    {
        var names = typeof(Core.Leads.Lead).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("SalesFlow.Infrastructure", names);
        Assert.DoesNotContain("SalesFlow.Functions", names);
        Assert.Equal("SalesFlow.Infrastructure", typeof(Infrastructure.Embedded.SqliteDatabase).Assembly.GetName().Name);
    }

    [Fact]
    public void TheProjectFileOfCoreNamesNoSdkPackage()
    {
        var project = RepoFiles.Read("SalesFlow.Core", "SalesFlow.Core.csproj");

        Assert.All(SdkAssemblyPrefixes, prefix => Assert.DoesNotContain($"Include=\"{prefix}", project, StringComparison.Ordinal));
    }

    [Fact]
    public void WebhookSignaturesAreVerifiedInTheAdaptersWithTheVendorsValidators()
    {
        var adapters = typeof(Infrastructure.Signatures.TwilioSignature).Assembly;
        var names = adapters.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Twilio", names);
        Assert.Contains("SendGrid", names);
        Assert.DoesNotContain(typeof(Core.Leads.Lead).Assembly.GetTypes(), t => t.Namespace?.EndsWith(".Signatures", StringComparison.Ordinal) == true);
    }
}
