namespace SalesFlow.Functions.Hosting;

/// <summary>
/// Under the Functions host the isolated worker runs the functions (the host triggers HTTP, queues and timers over
/// gRPC); standalone, Kestrel serves the same routes and the QueueRunner and TimerRunner do the host's job.
/// </summary>
public sealed record HostingMode(bool UnderFunctionsHost)
{
    /// <summary>
    /// The worker's own contract (azure-functions-dotnet-worker, src/DotNetWorker/Hosting/WorkerHostBuilderExtensions.cs
    /// RegisterCommandLine): the host starts the worker with <c>--functions-uri &lt;host gRPC endpoint&gt;</c> (plus
    /// --functions-worker-id, --functions-request-id, --functions-grpc-max-message-length), mapped to this key, which
    /// src/DotNetWorker.Grpc/GrpcServiceCollectionExtensions.cs requires ("Configuration is missing the 'HostEndpoint'").
    /// </summary>
    public const string HostEndpointKey = "Functions:Worker:HostEndpoint";

    /// <summary>
    /// Set by FunctionsNetHost (host/src/FunctionsNetHost/AppLoader/AppLoader.cs) when it loads the app in-process
    /// (Flex Consumption placeholders); the worker then talks to the host through the native interop client.
    /// </summary>
    public const string NativeHostAppContextKey = "AZURE_FUNCTIONS_NATIVE_HOST";

    public static HostingMode From(IConfiguration configuration) =>
        new(!string.IsNullOrEmpty(configuration[HostEndpointKey]) || AppContext.GetData(NativeHostAppContextKey) is not null);

    /// <summary>
    /// Before any host exists: <c>--functions-uri</c> on the command line (as <c>--functions-uri value</c> or
    /// <c>--functions-uri=value</c>, the forms the worker's AddCommandLine reads), the key in the environment
    /// (<c>Functions__Worker__HostEndpoint</c>) or the native host's marker.
    /// </summary>
    public static HostingMode FromStartup(string[] args)
    {
        const string UriSwitch = "--functions-uri";
        var given = Environment.GetEnvironmentVariable(HostEndpointKey.Replace(":", "__", StringComparison.Ordinal));
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == UriSwitch && i + 1 < args.Length)
            {
                given = args[i + 1];
            }
            else if (args[i].StartsWith(UriSwitch + "=", StringComparison.Ordinal))
            {
                given = args[i][(UriSwitch.Length + 1)..];
            }
        }

        return From(new ConfigurationBuilder().AddInMemoryCollection([new(HostEndpointKey, given)]).Build());
    }

    public string Name => UnderFunctionsHost ? "functions-host" : "standalone";
}
