namespace SalesFlow.Functions.Hosting;

/// <summary>
/// Under the Functions host (FUNCTIONS_CUSTOMHANDLER_PORT set) the host triggers queues and timers
/// through the invocation endpoints; standalone, the QueueRunner and TimerRunner do it.
/// </summary>
public sealed record HostingMode(bool UnderFunctionsHost)
{
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static HostingMode From(IConfiguration configuration) => new(!string.IsNullOrEmpty(configuration[PortSetting]));

    public string Name => UnderFunctionsHost ? "functions-host" : "standalone";
}
