using Microsoft.Extensions.Options;
using SalesFlow.Core.Adapters.Embedded;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Extensions;

public static class HostingExtensions
{
    /// <summary>Everything SalesFlow needs, chosen by configuration. Today: the embedded adapters.</summary>
    public static IHostApplicationBuilder AddSalesFlow(this IHostApplicationBuilder builder)
    {
        builder.AddSalesFlowConfiguration();
        var services = builder.Services;
        services.AddProblemDetails();
        // Binding failures (bad JSON, wrong types) reach the exception handler, which names the field, in every environment.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton(TimeProvider.System);
        services.AddEmbeddedAdapters();
        services.AddRulesBrain();
        services.AddSingleton<IntakeService>();
        services.AddSingleton<ConversationEngine>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<IWorkHandler, ProcessInboundHandler>();
        services.AddSingleton<IWorkHandler, DeliverHandler>();
        builder.AddKnowledge();
        services.AddHostedService<DemoClientSeeder>();
        services.AddSingleton<QueueRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueRunner>());
        return builder;
    }

    /// <summary>Binds and validates options at start-up so a bad setting fails fast with a clear message.</summary>
    private static void AddSalesFlowConfiguration(this IHostApplicationBuilder builder)
    {
        // Short environment names promised in the README win over the section form.
        var env = builder.Configuration;
        var overrides = new Dictionary<string, string?>();
        void Map(string variable, string key)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                overrides[key] = value;
            }
        }

        Map("SALESFLOW_DATA_DIR", "SalesFlow:DataDir");
        Map("SALESFLOW_ADMIN_KEY", "SalesFlow:AdminKey");
        Map("SALESFLOW_DEMO_API_KEY", "DemoClient:ApiKey");
        Map("SALESFLOW_DEMO_WHATSAPP_APP_SECRET", "DemoClient:WhatsAppAppSecret");
        Map("SALESFLOW_DEMO_WHATSAPP_VERIFY_TOKEN", "DemoClient:WhatsAppVerifyToken");
        Map("SALESFLOW_DEMO_TWILIO_AUTH_TOKEN", "DemoClient:TwilioAuthToken");
        Map("SALESFLOW_DEMO_EMAIL_WEBHOOK_SECRET", "DemoClient:EmailWebhookSecret");
        env.AddInMemoryCollection(overrides);

        builder.Services.AddOptions<SalesFlowOptions>().BindConfiguration(SalesFlowOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DemoClientOptions>().BindConfiguration("DemoClient");
        builder.Services.AddOptions<ConversationOptions>().BindConfiguration(ConversationOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // The Functions host tells a custom handler its port; standalone defaults to the Functions port 7071.
        if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
        {
            env["urls"] = $"http://127.0.0.1:{port}";
        }
        else if (string.IsNullOrEmpty(env["urls"]))
        {
            env["urls"] = "http://localhost:7071";
        }

        var maxBody = env.GetValue<long?>("SalesFlow:MaxRequestBodyBytes") ?? new SalesFlowOptions().MaxRequestBodyBytes;
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = maxBody);
    }

    private static void AddEmbeddedAdapters(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SalesFlowOptions>>().Value;
            return new SqliteDatabase(Path.Combine(options.DataDir, "salesflow.db"));
        });
        services.AddSingleton<IClientStore, SqliteClientStore>();
        services.AddSingleton<ILeadStore, SqliteLeadStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IOutboxStore, SqliteOutboxStore>();
        services.AddSingleton<SqliteWorkQueue>();
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        services.AddSingleton<IWorkQueueConsumer>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        services.AddSingleton<ILeadEraser, SqliteLeadEraser>();
        services.AddSingleton<IChannelSender, OutboxSink>();
    }

    private static void AddRulesBrain(this IServiceCollection services)
    {
        services.AddSingleton<IMessageAnalyzer, RulesMessageAnalyzer>();
        services.AddSingleton<IReplyGenerator, RulesReplyGenerator>();
    }
}
