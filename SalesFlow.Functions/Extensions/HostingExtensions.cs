using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Outreach;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Apis;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Orchestrations;
using SalesFlow.Functions.Runners;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Extensions;

public static class HostingExtensions
{
    /// <summary>Everything SalesFlow needs; configuration picks the adapters (see <see cref="AdapterExtensions"/>).</summary>
    public static IHostApplicationBuilder AddSalesFlow(this IHostApplicationBuilder builder, HostingMode mode)
    {
        builder.AddSalesFlowConfiguration(mode);
        var services = builder.Services;
        services.AddSingleton(mode);
        services.AddProblemDetails();
        services.AddSalesFlowOpenApi();
        // Binding failures (bad JSON, wrong types) reach the exception handler, which names the field, in every environment.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton(TimeProvider.System);
        // Created here, not by the container: the Cosmos client is built at registration and reports to it too.
        var health = new Core.Observability.RuntimeHealth();
        services.AddSingleton(health);
        services.AddSalesFlowAdapters(builder.Configuration, mode, health);
        services.AddIntegrationEvents(builder.Configuration);
        services.AddAlerts();
        services.AddSingleton<ITimerHandler, RetentionCleanupTimer>();
        builder.AddAiBrain();
        services.AddSingleton<IComplianceFilter, RulesComplianceFilter>();
        services.AddSingleton(sp => ProcessSecrets.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ComplianceGate>();
        services.AddSingleton<LeadProfileService>();
        services.AddSingleton<IntakeService>();
        services.AddSalesFlowMemory();
        services.AddMeetingCalendar();
        // The confirmation link of an address typed in chat points at the app's public address.
        services.AddSingleton(sp => new EmailVerification(
            sp.GetRequiredService<ILeadStore>(),
            sp.GetRequiredService<IOutboxStore>(),
            sp.GetRequiredService<IOptions<SalesFlowOptions>>().Value.PublicBaseUrl ?? sp.GetRequiredService<IConfiguration>()["urls"]?.Split(';')[0],
            sp.GetRequiredService<ILogger<EmailVerification>>()));
        services.AddSingleton<LeadMergeService>();
        services.AddSingleton<LeadTurnUpdater>();
        services.AddSingleton<TurnKnowledge>();
        services.AddSingleton<TurnMemory>();
        services.AddSingleton<ReplyWriter>();
        services.AddSingleton<LeadTurnGate>();
        services.AddSingleton<ConversationEngine>();
        services.AddMeetingDialogue();
        services.AddQualification();
        services.AddSingleton<InlineTurns>();
        services.AddSingleton<DeliveryRateLimiter>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<OutboxSweeper>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<IWorkHandler, ProcessInboundHandler>();
        services.AddSingleton<IWorkHandler, DeliverHandler>();
        services.AddSingleton<ITimerHandler, OutboxSweepTimer>();
        services.AddSingleton<InboundSweeper>();
        services.AddSingleton<ITimerHandler, InboundSweepTimer>();
        builder.AddKnowledge();
        services.AddSingleton<ITimerHandler, SummaryRefreshTimer>();
        services.AddSingleton<FollowUpService>();
        services.AddSingleton<StoreFollowUpDriver>();
        services.AddSingleton<FollowUpOverviewReader>();
        services.AddSingleton<SpeedToLeadService>();
        services.AddSingleton<ITimerHandler, FollowUpSweepTimer>();
        services.AddCrm();
        services.AddRecommendations();
        services.AddAnalytics();
        services.AddLeadConsole();
        // Standalone: the queue and the store timers drive a lead's conversation (AddDurableFollowUps replaces this under the host).
        services.AddSingleton<ILeadConversationSignals, StoreTimerConversationSignals>();
        services.AddSingleton<DurableClientAccessor>();
        if (mode.UnderFunctionsHost)
        {
            // Under the host a lead's Durable orchestration drives its conversation: turns and follow-ups.
            services.AddDurableFollowUps();
        }

        services.AddHostedService<DemoClientSeeder>();
        services.AddSingleton<QueueRunner>();
        services.AddSingleton<WorkDispatcher>();
        services.AddSingleton<TimerDispatcher>();
        services.AddSingleton<HttpFunctionDispatcher>();
        if (!mode.UnderFunctionsHost)
        {
            // Standalone: do the Functions host's job. Under the host, it triggers queues and timers itself.
            services.AddHostedService(sp => sp.GetRequiredService<QueueRunner>());
            services.AddHostedService<TimerRunner>();
        }

        return builder;
    }

    /// <summary>
    /// The request pipeline and its one route table, for both ways to run: standalone on the WebApplication, under the
    /// Functions host inside the HTTP functions (<see cref="HttpFunctionDispatcher"/>). Routing first, so the correlation
    /// scope sees the route's clientId (WebApplication put it first implicitly before).
    /// </summary>
    public static IApplicationBuilder UseSalesFlowPipeline(this IApplicationBuilder app)
    {
        app.UseRouting();
        app.UseCorrelation();
        app.UseSalesFlowErrors();
        app.UseEndpoints(endpoints => endpoints.MapSalesFlow());
        return app;
    }

    /// <summary>Every route of the HTTP APIs.</summary>
    public static IEndpointRouteBuilder MapSalesFlow(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        app.MapWebhooksApi();
        app.MapConversationsApi();
        app.MapLeadsApi();
        app.MapLeadIntakeApi();
        app.MapVerificationApi();
        app.MapOutboxApi();
        app.MapIntelligenceApi();
        app.MapComplianceApi();
        app.MapUsageApi();
        app.MapChatApi();
        app.MapClientsApi();
        app.MapClientConfigApi();
        app.MapPoisonQueuesApi();
        app.MapKnowledgeApi();
        app.MapCrmApi();
        app.MapMeetingsApi();
        app.MapQualificationApi();
        app.MapLeadIntelligenceApi();
        app.MapPersonalityApi();
        app.MapLeadListApi();
        app.MapScriptsApi();
        app.MapRecommendationsApi();
        app.MapPlaybooksApi();
        app.MapAnalyticsApi();
        app.MapLeadConsoleApis();
        app.MapScoreDistributionApi();
        app.MapOperationsApi();
        app.MapConsoleApi();
        app.MapSalesFlowOpenApi();
        return app;
    }

    /// <summary>Binds and validates options at start-up so a bad setting fails fast with a clear message.</summary>
    private static void AddSalesFlowConfiguration(this IHostApplicationBuilder builder, HostingMode mode)
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
        builder.Services.AddOptions<EmailIntakeOptions>().BindConfiguration(EmailIntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<FollowUpOptions>().BindConfiguration(FollowUpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Core.Memory.MemoryOptions>().BindConfiguration(Core.Memory.MemoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Standalone defaults to the Functions port 7071. Under the host the worker's ASP.NET Core integration picks
        // its own loopback address (HttpUriProvider) and tells the host, which proxies HTTP triggers to it.
        if (!mode.UnderFunctionsHost && string.IsNullOrEmpty(env["urls"]))
        {
            env["urls"] = "http://localhost:7071";
        }

        var maxBody = env.GetValue<long?>("SalesFlow:MaxRequestBodyBytes") ?? new SalesFlowOptions().MaxRequestBodyBytes;
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k =>
        {
            k.Limits.MaxRequestBodySize = maxBody;

            // Kestrel's own header decoding refuses a NUL or invalid UTF-8 with a bare 400 before the app sees the request;
            // this one marks such a value, and ErrorHandling answers problem+json naming the header.
            k.RequestHeaderEncodingSelector = _ => RequestHeaderEncoding.Instance;
        });
    }
}
