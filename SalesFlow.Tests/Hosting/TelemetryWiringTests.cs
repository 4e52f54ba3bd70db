using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Tests.Hosting;

/// <summary>Which exporters AddSalesFlowTelemetry wires is decided by configuration alone.</summary>
public sealed class TelemetryWiringTests
{
    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSalesFlowTelemetry();
        return builder;
    }

    private static bool RegistersOpenTelemetry(IServiceCollection services) =>
        services.Any(d => d.ServiceType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true
            || d.ImplementationType?.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true);

    [Fact]
    public void WithoutAnExporterSettingNothingIsRegisteredSoNothingIsCollectedOrExported()
    {
        var builder = Builder([]);

        Assert.False(RegistersOpenTelemetry(builder.Services));
        using var host = builder.Build();
        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void AnOtlpEndpointWiresMetricsAndTraces()
    {
        using var host = Builder(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" }).Build();

        Assert.NotNull(host.Services.GetService<MeterProvider>());
        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void AnApplicationInsightsConnectionStringWiresTelemetry()
    {
        // Not built: the Azure Monitor exporter would start talking to Azure.
        var builder = Builder(new() { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/" });

        Assert.True(RegistersOpenTelemetry(builder.Services));
        Assert.Contains(builder.Services, d => d.ServiceType.Assembly.GetName().Name!.StartsWith("Azure.Monitor", StringComparison.Ordinal)
            || d.ImplementationType?.Assembly.GetName().Name!.StartsWith("Azure.Monitor", StringComparison.Ordinal) == true);
    }
}
