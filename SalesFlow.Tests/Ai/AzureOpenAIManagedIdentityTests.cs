using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using SalesFlow.Core.Ai;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

/// <summary>Tests that set the process's managed-identity variables run alone: every credential in the process reads them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>
/// The managed-identity path end to end: the real Azure.Identity <c>ManagedIdentityCredential</c> (as the app builds it
/// when AI:ApiKey is unset) fetches a token from an in-test identity endpoint speaking App Service's protocol
/// (IDENTITY_ENDPOINT, IDENTITY_HEADER), and AzureOpenAIClient sends it to the deployment as the bearer token.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class AzureOpenAIManagedIdentityTests
{
    private const string IdentityPath = "/msi/token";

    [Fact]
    public async Task The_user_assigned_identity_token_reaches_the_deployment_as_the_bearer_token()
    {
        await using var identity = await OpenAIReplayServer.StartAsync();
        await using var azure = await OpenAIReplayServer.StartAsync();
        identity.Script(IdentityPath, ReplayResponse.Json(200, new JsonObject
        {
            ["access_token"] = "mi-token-for-cognitive-services",
            ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = "https://cognitiveservices.azure.com",
            ["token_type"] = "Bearer",
            ["client_id"] = "11111111-2222-3333-4444-555555555555",
        }.ToJsonString()));
        azure.Script("/chat/completions", OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));

        var endpoint = new Uri(identity.BaseUrl, IdentityPath).ToString();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "identity-header-secret");
        try
        {
            using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(azure, o =>
            {
                o.Provider = AiProvider.AzureOpenAI;
                o.Endpoint = new Uri(azure.BaseUrl, "/").ToString();
                o.ApiKey = null;
                o.ManagedIdentityClientId = "11111111-2222-3333-4444-555555555555";
            }));

            var response = await new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

            Assert.Equal("Hello! How can I assist you today?", response.Text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
        }

        var tokenRequest = Assert.Single(identity.Received);
        Assert.Equal("identity-header-secret", tokenRequest.Headers["X-IDENTITY-HEADER"]);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(tokenRequest.Query);
        Assert.Equal("https://cognitiveservices.azure.com", query["resource"].ToString());
        Assert.Equal("11111111-2222-3333-4444-555555555555", query["client_id"].ToString());
        var sent = Assert.Single(azure.Received);
        Assert.Equal("/openai/deployments/gpt-4o-mini/chat/completions", sent.Path);
        Assert.Equal("Bearer mi-token-for-cognitive-services", sent.Headers["Authorization"]);
        Assert.False(sent.Headers.ContainsKey("api-key"));
    }
}
