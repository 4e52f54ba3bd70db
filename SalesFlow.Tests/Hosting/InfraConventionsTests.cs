using System.Text.Json;
using System.Text.RegularExpressions;

namespace SalesFlow.Tests.Hosting;

/// <summary>Security and azd conventions of infra/ and azure.yaml, checked on the text (BicepTemplatesCompileTests compiles and lints them).</summary>
public sealed partial class InfraConventionsTests
{
    [Fact]
    public void StorageRefusesSharedKeys() =>
        Assert.Matches(@"allowSharedKeyAccess:\s*false", RepoFiles.Read("infra", "app", "storage.bicep"));

    [Fact]
    public void StorageCreatesTheWorkQueuesAndTheirPoisonQueues()
    {
        var storage = RepoFiles.Read("infra", "app", "storage.bicep");
        Assert.Contains("'process-inbound'", storage);
        Assert.Contains("'deliver'", storage);
        Assert.Contains("'${queue}-poison'", storage);
    }

    [Fact]
    public void TheOutboxContainerHasTheCompositeIndexItsOrderedListingNeeds()
    {
        // The app's identity cannot change container settings in the cloud, so Bicep must create what the code creates locally.
        var cosmos = RepoFiles.Read("infra", "app", "cosmos.bicep");
        var outbox = cosmos[cosmos.IndexOf("name: 'outbox'", StringComparison.Ordinal)..cosmos.IndexOf("]\n\nresource", StringComparison.Ordinal)];
        Assert.Matches(@"path: '/createdAtMs'\s+order: 'ascending'\s+\}\s+\{\s+path: '/outboxId'\s+order: 'ascending'", outbox);
        Assert.Contains("compositeIndexes: container.compositeIndexes", cosmos);
        var code = RepoFiles.Read("SalesFlow.Infrastructure", "Azure", "Cosmos", "CosmosContainers.cs");
        Assert.Contains("Path = \"/createdAtMs\", Order = CompositePathSortOrder.Ascending", code);
        Assert.Contains("Path = \"/outboxId\", Order = CompositePathSortOrder.Ascending", code);
    }

    [Fact]
    public void TheNewestFirstListingsHaveTheirDescendingCompositeIndexesInBicepAsInTheCode()
    {
        var cosmos = RepoFiles.Read("infra", "app", "cosmos.bicep");
        var leads = cosmos[cosmos.IndexOf("name: 'leads'", StringComparison.Ordinal)..cosmos.IndexOf("name: 'conversations'", StringComparison.Ordinal)];
        var outbox = cosmos[cosmos.IndexOf("name: 'outbox'", StringComparison.Ordinal)..cosmos.IndexOf("]\n\nresource", StringComparison.Ordinal)];
        Assert.Matches(@"path: '/createdAtMs'\s+order: 'descending'\s+\}\s+\{\s+path: '/entryId'\s+order: 'descending'", leads);
        Assert.Matches(@"path: '/createdAtMs'\s+order: 'descending'\s+\}\s+\{\s+path: '/sourceId'\s+order: 'descending'", leads);
        Assert.Matches(@"path: '/createdAtMs'\s+order: 'descending'\s+\}\s+\{\s+path: '/outboxId'\s+order: 'descending'", outbox);
        var code = RepoFiles.Read("SalesFlow.Infrastructure", "Azure", "Cosmos", "CosmosContainers.cs");
        Assert.Contains("leads.IndexingPolicy.CompositeIndexes.Add(Descending(\"/createdAtMs\", \"/entryId\"))", code);
        Assert.Contains("leads.IndexingPolicy.CompositeIndexes.Add(Descending(\"/createdAtMs\", \"/sourceId\"))", code);
        Assert.Contains("outbox.IndexingPolicy.CompositeIndexes.Add(Descending(\"/createdAtMs\", \"/outboxId\"))", code);
    }

    [Fact]
    public void BicepLeavesTheSameLargeValuesUnindexedAsTheApp()
    {
        var cosmos = RepoFiles.Read("infra", "app", "cosmos.bicep");
        Assert.All(Infrastructure.Azure.Cosmos.CosmosContainers.NotIndexed, path => Assert.Contains($"path: '{path}'", cosmos));
    }

    [Theory]
    [InlineData("cosmos.bicep")]
    [InlineData("openai.bicep")]
    [InlineData("search.bicep")]
    [InlineData("monitoring.bicep")]
    [InlineData("servicebus.bicep")]
    public void ServiceDisablesLocalAuth(string file) =>
        Assert.Matches(new Regex(@"disableLocalAuth:\s*true", RegexOptions.IgnoreCase), RepoFiles.Read("infra", "app", file));

    [Fact]
    public void TheIntegrationEventsTopicIsOptionalDropsDuplicatesAndOnlyTheAppMaySendToIt()
    {
        var serviceBus = RepoFiles.Read("infra", "app", "servicebus.bicep");
        Assert.Contains("'69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'", serviceBus); // Azure Service Bus Data Sender
        Assert.Matches(@"scope:\s*topic", serviceBus);
        Assert.Matches(@"requiresDuplicateDetection:\s*true", serviceBus);
        var main = RepoFiles.Read("infra", "main.bicep");
        Assert.Contains("param integrationEventsEnabled bool = false", main);
        Assert.Matches(@"module serviceBus 'app/servicebus.bicep' = if \(integrationEventsEnabled\)", main);
    }

    [Fact]
    public void KeyVaultUsesRbacAuthorization() =>
        Assert.Matches(@"enableRbacAuthorization:\s*true", RepoFiles.Read("infra", "app", "keyvault.bicep"));

    [Fact]
    public void ExactlyOneUserAssignedIdentityIsDeclared()
    {
        var declarations = RepoFiles.Bicep().Values.Sum(text => IdentityDeclaration().Matches(text).Count(m => !m.Value.Contains("existing", StringComparison.Ordinal)));
        Assert.Equal(1, declarations);
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("00000000-0000-0000-0000-000000000002", "Cosmos DB Built-in Data Contributor")]
    [InlineData("8ebe5a00-799e-43f5-93ac-243d3dce84a7", "Search Index Data Contributor")]
    [InlineData("7ca78c08-252a-4471-8644-bb5ff32d4ba0", "Search Service Contributor")]
    [InlineData("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", "Cognitive Services OpenAI User")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher")]
    public void RbacGrantsRole(string roleDefinitionId, string role) =>
        Assert.True(RepoFiles.Read("infra", "app", "rbac.bicep").Contains($"'{roleDefinitionId}'", StringComparison.OrdinalIgnoreCase), $"rbac.bicep does not grant {role} ({roleDefinitionId}).");

    [Fact]
    public void CosmosRoleIsADataPlaneSqlRoleAssignment() =>
        Assert.Contains("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@", RepoFiles.Read("infra", "app", "rbac.bicep"));

    [Fact]
    public void FunctionAppIsTaggedAsTheApiService() =>
        Assert.Matches(@"'azd-service-name':\s*'api'", RepoFiles.Read("infra", "app", "api.bicep"));

    [Fact]
    public void FunctionAppIsAFlexConsumptionDotnetIsolatedApp()
    {
        var api = RepoFiles.Read("infra", "app", "api.bicep");
        Assert.Matches(@"name:\s*'FC1'", api);
        Assert.Matches(@"runtime:\s*\{\s*name:\s*'dotnet-isolated'\s*version:\s*'10\.0'\s*\}", api);
        // The Durable Task hub's tables, by identity.
        Assert.Contains(RepoFiles.BicepAppSettings(), s => s.Name == "AzureWebJobsStorage__tableServiceUri");
        Assert.Matches(@"type:\s*'UserAssignedIdentity'", api);
        // Flex Consumption rejects these: the runtime is functionAppConfig.runtime.
        Assert.DoesNotContain(RepoFiles.BicepAppSettings(), s => s.Name is "FUNCTIONS_WORKER_RUNTIME" or "FUNCTIONS_EXTENSION_VERSION");
    }

    [Fact]
    public void MainTemplateFollowsAzdConventions()
    {
        var main = RepoFiles.Read("infra", "main.bicep");
        Assert.Contains("targetScope = 'subscription'", main);
        Assert.Contains("toLower(uniqueString(subscription().id, environmentName, location))", main);
        Assert.Matches(@"'azd-env-name':\s*environmentName", main);
        Assert.Matches(@"output AZURE_FUNCTION_APP_NAME string", main);
    }

    [Fact]
    public void ParametersMapTheAzdVariables()
    {
        using var json = JsonDocument.Parse(RepoFiles.Read("infra", "main.parameters.json"));
        var parameters = json.RootElement.GetProperty("parameters");
        Assert.Equal("${AZURE_ENV_NAME}", parameters.GetProperty("environmentName").GetProperty("value").GetString());
        Assert.Equal("${AZURE_LOCATION}", parameters.GetProperty("location").GetProperty("value").GetString());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", parameters.GetProperty("principalId").GetProperty("value").GetString());
        // Model versions retire: they are chosen per environment, not by editing Bicep.
        Assert.Equal("${AZURE_OPENAI_CHAT_MODEL_VERSION}", parameters.GetProperty("chatModelVersion").GetProperty("value").GetString());
        Assert.Equal("${AZURE_OPENAI_LARGE_CHAT_MODEL_VERSION}", parameters.GetProperty("largeChatModelVersion").GetProperty("value").GetString());
        var main = RepoFiles.Read("infra", "main.bicep");
        foreach (var name in new[] { "chatModelName", "chatModelVersion", "largeChatModelName", "largeChatModelVersion" })
        {
            Assert.Contains($"param {name} string = ''", main);
            Assert.Contains($"{name}: empty({name}) ?", main);
        }
    }

    [Fact]
    public void AzureYamlDeploysTheFunctionsProjectAsADotnetFunctionApp()
    {
        var yaml = RepoFiles.Read("azure.yaml");
        Assert.Matches(@"(?m)^name:\s*salesflow\s*$", yaml);
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", yaml);
        Assert.Matches(@"(?m)^\s+language:\s*dotnet\s*$", yaml);
        Assert.Matches(@"(?m)^\s+project:\s*\./SalesFlow\.Functions\s*$", yaml);
        // azd's own `dotnet publish` output is the package: no hook, no dist folder of our own.
        Assert.DoesNotMatch(@"(?m)^\s+(hooks|dist):", yaml);
    }

    [GeneratedRegex(@"resource\s+\w+\s+'Microsoft\.ManagedIdentity/userAssignedIdentities@[^']+'\s*(existing)?")]
    private static partial Regex IdentityDeclaration();
}
