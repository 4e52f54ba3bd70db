using System.Text.Json;
using System.Text.RegularExpressions;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The settings catalogue (AppSettings.All) is the one list of settings the app reads; infra/app/api.bicep,
/// local.settings.sample.json and docs/configuration.md must agree with it.
/// </summary>
public sealed partial class AppSettingsDriftTests
{
    /// <summary>Settings of the Functions platform itself: infra may set them although the app does not read them.</summary>
    private static bool IsPlatformSetting(string name) =>
        name is "FUNCTIONS_EXTENSION_VERSION" or "AZURE_CLIENT_ID"
        || name.StartsWith("APPLICATIONINSIGHTS_", StringComparison.Ordinal)
        || name.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal);

    private static IReadOnlyList<(string Name, string Value)> InfraSettings => RepoFiles.BicepAppSettings();

    private static Dictionary<string, string> SampleValues()
    {
        using var json = JsonDocument.Parse(RepoFiles.Read("local.settings.sample.json"));
        Assert.False(json.RootElement.GetProperty("IsEncrypted").GetBoolean());
        return json.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    [Fact]
    public void CatalogueNamesAreUniqueAndInEnvironmentForm()
    {
        var names = AppSettings.All.Select(s => s.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(AppSettings.All, s =>
        {
            Assert.DoesNotContain(':', s.Name);
            Assert.False(string.IsNullOrWhiteSpace(s.Description), $"{s.Name} has no description.");
        });
    }

    [Fact]
    public void InfraSetsEverySettingTheCloudRequires()
    {
        var infra = InfraSettings.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var missing = AppSettings.All
            .Where(s => s.RequiredInCloud && s.Scope is SettingScope.Cloud or SettingScope.Both)
            .Where(s => !infra.Contains(s.Name))
            .Select(s => s.Name);
        Assert.Empty(missing);
    }

    [Fact]
    public void InfraSetsOnlyCatalogueOrPlatformSettings()
    {
        var unknown = InfraSettings.Select(s => s.Name).Where(n => AppSettings.Find(n) is null && !IsPlatformSetting(n));
        Assert.Empty(unknown);
    }

    [Fact]
    public void InfraNeverSetsLocalOnlyOrHostProvidedSettings()
    {
        var wrong = InfraSettings.Select(s => AppSettings.Find(s.Name)).Where(s => s is { Scope: SettingScope.LocalOnly } or { SetByHost: true });
        Assert.Empty(wrong);
    }

    [Fact]
    public void InfraSetsNoSettingTwice()
    {
        var names = InfraSettings.Select(s => s.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void LocalSampleHasEverySettingExceptCloudOnlyOnes()
    {
        var sample = SampleValues();
        var missing = AppSettings.All
            .Where(s => s.Scope != SettingScope.Cloud && !s.SetByHost)
            .Where(s => !sample.ContainsKey(s.Name))
            .Select(s => s.Name);
        Assert.Empty(missing);
        Assert.Equal("dotnet-isolated", sample["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", sample["AzureWebJobsStorage"]);
    }

    [Fact]
    public void LocalSampleHasOnlyCatalogueOrHostSettings()
    {
        var unknown = SampleValues().Keys.Where(n => AppSettings.Find(n) is null && n != "FUNCTIONS_WORKER_RUNTIME");
        Assert.Empty(unknown);
    }

    [Fact]
    public void LocalSampleSetsNoSecret()
    {
        var sample = SampleValues();
        var filled = AppSettings.All
            .Where(s => s.Secret && s.Name != "AzureWebJobsStorage")
            .Where(s => sample.TryGetValue(s.Name, out var v) && v.Length > 0)
            .Select(s => s.Name);
        Assert.Empty(filled);
    }

    [Fact]
    public void ConfigurationDocMentionsEverySetting()
    {
        var doc = RepoFiles.Read("docs", "configuration.md");
        var everySetting = AppSettings.All.Select(s => s.Name)
            .Concat(InfraSettings.Select(s => s.Name))
            .Concat(SampleValues().Keys)
            .Distinct(StringComparer.Ordinal);
        var undocumented = everySetting.Where(n => !doc.Contains($"`{n}`", StringComparison.Ordinal));
        Assert.Empty(undocumented);
    }

    [Fact]
    public void NoSettingValueLooksLikeAKey()
    {
        var offenders = InfraSettings.Select(s => ($"infra/app/api.bicep {s.Name}", s.Value))
            .Concat(SampleValues().Select(p => ($"local.settings.sample.json {p.Key}", p.Value)))
            .Where(s => KeyLike().IsMatch(s.Value))
            .Select(s => s.Item1);
        Assert.Empty(offenders);
    }

    [Fact]
    public void NoBicepFileReadsOrWritesAKey()
    {
        var offenders = RepoFiles.Bicep().Where(f => KeyLike().IsMatch(f.Value) || ListKeys().IsMatch(f.Value)).Select(f => f.Key);
        Assert.Empty(offenders);
    }

    [Fact]
    public void DriftDetectorSeesTheSettingsOfApiBicep()
    {
        // Guards the parser: if api.bicep changed shape, the checks above would pass on an empty list.
        var names = InfraSettings.Select(s => s.Name).ToList();
        Assert.Contains("SalesFlow__Store", names);
        Assert.Contains("AzureWebJobsStorage__credential", names);
        Assert.Equal("'cosmos'", InfraSettings.Single(s => s.Name == "SalesFlow__Store").Value);
        Assert.Equal("'storage'", InfraSettings.Single(s => s.Name == "SalesFlow__Queue").Value);
        Assert.Equal("'managedidentity'", InfraSettings.Single(s => s.Name == "CosmosDb__credential").Value);
    }

    [GeneratedRegex(@"AccountKey=|SharedAccessSignature|[?&;]sig=|^sig=|SharedAccessKey=", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex KeyLike();

    [GeneratedRegex(@"listKeys\(|\.listKeys|listConnectionStrings\(|primaryMasterKey|primaryAccessKey", RegexOptions.IgnoreCase)]
    private static partial Regex ListKeys();
}
