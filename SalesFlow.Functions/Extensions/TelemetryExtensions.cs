using System.Reflection;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SalesFlow.Core.Observability;

namespace SalesFlow.Functions.Extensions;

/// <summary>
/// The one place telemetry leaves the process: SalesFlow's meter, ASP.NET Core, HttpClient and runtime metrics,
/// request and outgoing-call spans, and logs with their scopes (correlation id, client), exported over OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set and to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set.
/// With neither set nothing is registered at all: no listener, no exporter, no overhead.
/// </summary>
public static class TelemetryExtensions
{
    public const string DefaultServiceName = "salesflow";

    public static IHostApplicationBuilder AddSalesFlowTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var azureMonitor = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString ? connectionString : null;
        if (!otlp && azureMonitor is null)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName,
                serviceVersion: ServiceVersion()))
            .WithMetrics(m => m
                .AddMeter(SalesFlowMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null))
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) => activity.SetTag("url.full", WithoutQuery(request.RequestUri))))
            .WithLogging(_ => { }, o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            });

        if (otlp)
        {
            // Endpoint, protocol, headers and intervals come from the standard OTEL_* settings.
            telemetry.UseOtlpExporter();
        }

        if (azureMonitor is not null)
        {
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = azureMonitor;
                // Infra turns local auth off on Application Insights: the app's identity sends the telemetry.
                if (configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
                {
                    o.Credential = new DefaultAzureCredential();
                }
            });
        }

        // Hosting's request-start log line carries the query string (webhook keys): never exported, whatever the level.
        builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    /// <summary>Query strings can hold secrets (e-mail webhook keys, tokens): spans keep scheme, host and path only.</summary>
    private static string? WithoutQuery(Uri? uri) =>
        uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Path) : null;

    private static string ServiceVersion()
    {
        var assembly = typeof(TelemetryExtensions).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        // Drop the "+<commit>" build metadata the SDK appends.
        return version.Split('+')[0];
    }
}
