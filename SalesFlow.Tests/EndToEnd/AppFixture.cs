using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>One running app shared by the end-to-end tests that need no restart.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public SalesFlowAppProcess App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await SalesFlowAppProcess.StartAsync(new() { ["SALESFLOW_ADMIN_KEY"] = AdminKey });

    public Task DisposeAsync() => App.DisposeAsync().AsTask();

    public const string AdminKey = "test-admin-key";
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "end-to-end";
}
