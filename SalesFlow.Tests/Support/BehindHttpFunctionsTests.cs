namespace SalesFlow.Tests.Support;

/// <summary>
/// Base of the tests that reach routes through the HTTP functions (the Functions host's shape) with Storage queues on
/// Azurite: one app per test, as each derived class needs.
/// </summary>
public abstract class BehindHttpFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    protected InProcessApp Functions { get; private set; } = null!;

    public async Task InitializeAsync() => Functions = await InProcessApp.BehindHttpFunctionsAsync(new()
    {
        ["SalesFlow:Queue"] = "storage",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
    });

    public async Task DisposeAsync() => await Functions.DisposeAsync();
}
