namespace SalesFlow.Functions.Hosting;

/// <summary>Where a setting is meant to be set.</summary>
public enum SettingScope
{
    /// <summary>Only in Azure (set by infra/app/api.bicep); meaningless on a laptop.</summary>
    Cloud,

    /// <summary>Only on a laptop or under <c>func start</c> (local.settings.sample.json); never set by infra.</summary>
    LocalOnly,

    /// <summary>Meaningful everywhere; has a default that works in both places unless infra overrides it.</summary>
    Both,
}

/// <summary>
/// One setting the app reads, in environment-variable form (<c>Section__Key</c>; the Functions host and
/// ASP.NET Core both map <c>__</c> to the <c>:</c> of configuration keys).
/// </summary>
/// <param name="Name">Environment form, e.g. <c>SalesFlow__Store</c>.</param>
/// <param name="Description">What it does, one sentence.</param>
/// <param name="Default">Value when unset; null when unset means "off" or "none".</param>
/// <param name="Scope">Where it is meant to be set.</param>
/// <param name="Secret">True when the value is a secret: never in source, never in a log.</param>
/// <param name="RequiredInCloud">True when infra must set it for the cloud deployment to work as designed.</param>
/// <param name="SetByHost">True when the Functions host sets it for the process; nobody configures it.</param>
public sealed record AppSetting(
    string Name,
    string Description,
    string? Default,
    SettingScope Scope,
    bool Secret = false,
    bool RequiredInCloud = false,
    bool SetByHost = false);

/// <summary>
/// The single list of settings SalesFlow reads. infra/app/api.bicep, local.settings.sample.json and
/// docs/configuration.md are checked against it by AppSettingsDriftTests; add a setting here first.
/// </summary>
public static class AppSettings
{
    public static IReadOnlyList<AppSetting> All { get; } =
    [
        // ── Adapters ────────────────────────────────────────────────────────────────────────
        new("SalesFlow__Store", "Which store adapter holds clients, leads, conversations and the outbox: embedded (SQLite file) or cosmos (Azure Cosmos DB).",
            "embedded", SettingScope.Both, RequiredInCloud: true),
        new("SalesFlow__Queue", "Which work queue carries process-inbound and deliver: embedded (SQLite, polled in-process) or storage (Azure Storage queues, triggered by the Functions host).",
            "embedded", SettingScope.Both, RequiredInCloud: true),

        new("DataProtection__KeyEncryptionKey", "Secret (16+ characters) that encrypts the Data Protection key ring, which encrypts client secrets at rest; required with SalesFlow__Store=cosmos (the ring then lives in Cosmos), optional on the embedded store (the ring in the data folder is then encrypted too). In Azure a Key Vault reference.",
            null, SettingScope.Both, Secret: true, RequiredInCloud: true),

        // ── Host-wide options (SalesFlowOptions) ────────────────────────────────────────────
        new("SalesFlow__DataDir", "Directory of the embedded SQLite store (salesflow.db).",
            ".salesflow", SettingScope.LocalOnly),
        new("SALESFLOW_DATA_DIR", "Short form of SalesFlow__DataDir; wins over it.",
            null, SettingScope.LocalOnly),
        new("SalesFlow__PublicBaseUrl", "Public base URL the providers call (https://…); needed behind a proxy because Twilio signs the exact URL it called (the Functions host is one: it forwards to the handler on http://127.0.0.1); also the base of the link in the confirmation e-mail to an address a lead types in chat.",
            null, SettingScope.Both, RequiredInCloud: true),
        new("AzureWebJobsDisableHomepage", "true: the Functions host leaves the site root to the web console (the \"home\" function) instead of its own \"your Functions app is running\" page; read by the host, meaningless standalone.",
            "false", SettingScope.Both, RequiredInCloud: true),
        new("SalesFlow__MaxRequestBodyBytes", "Largest request body accepted, in bytes (1 KiB to 64 MiB).",
            "1048576", SettingScope.Both),
        new("SalesFlow__LogFormat", "Console log format: 'json' for one JSON object per line with scopes (correlation, client, lead, invocation); anything else is single-line text.",
            "text", SettingScope.Both),
        // ── Telemetry export (TelemetryExtensions; with neither exporter set nothing is collected or exported) ──
        new("OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP collector URL (e.g. http://localhost:4317 for grpc, http://localhost:4318 for http/protobuf); when set, SalesFlow's metrics, request spans and logs are exported over OTLP.",
            null, SettingScope.Both),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "OTLP transport: grpc or http/protobuf.",
            "grpc", SettingScope.Both),
        new("OTEL_SERVICE_NAME", "service.name of the exported telemetry (service.version is the app's version).",
            "salesflow", SettingScope.Both),
        new("APPLICATIONINSIGHTS_CONNECTION_STRING", "Application Insights connection string; when set, metrics, request spans and logs are exported to Azure Monitor (the Functions host reads it too).",
            null, SettingScope.Both, RequiredInCloud: true),
        new("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "'ClientId=<identity client id>;Authorization=AAD': telemetry is sent with the identity (DefaultAzureCredential, AZURE_CLIENT_ID), as local auth is off.",
            null, SettingScope.Cloud),
        new("SalesFlow__AdminKey", "Bearer key of the operator API (client onboarding); the API is off while unset.",
            null, SettingScope.Both, Secret: true),
        new("SALESFLOW_ADMIN_KEY", "Short form of SalesFlow__AdminKey; wins over it.",
            null, SettingScope.LocalOnly, Secret: true),
        new("SalesFlow__WorkersPerQueue", "Worker loops per queue when the app runs standalone (embedded queue); 1 to 32.",
            "2", SettingScope.LocalOnly),
        new("SalesFlow__MaxDequeueCount", "Tries before a queue message is parked in <queue>-poison; keep equal to host.json queues.maxDequeueCount.",
            "5", SettingScope.Both),

        // ── Conversation engine (ConversationOptions) ──────────────────────────────────────
        new("Conversation__BurstWindow", "How long to wait for more messages of a burst before answering them together (0 to 60 s, hh:mm:ss).",
            "00:00:01.5", SettingScope.Both),
        new("Conversation__SuggestionConfidence", "How sure the brain must be (0 to 1) before its suggested next sales stage is taken instead of the rules' transition; only allowed edges are ever taken.",
            "0.7", SettingScope.Both),

        // ── Inbound e-mail (EmailIntakeOptions) ─────────────────────────────────────────────
        new("Email__RequireSenderAuthentication", "true: an inbound e-mail whose From domain neither DKIM nor SPF (as SendGrid reports them) vouches for is stored but never answered or acted on; false only behind a relay that runs neither check.",
            "true", SettingScope.Both),

        // ── Memory (MemoryOptions) ──────────────────────────────────────────────────────────
        new("Memory__HotWindow", "How many of the newest messages (all channels) the brain sees verbatim (1 to 200); older ones reach it through the summary and recall.",
            "20", SettingScope.Both),
        new("Memory__TokenBudget", "Tokens the reply prompt may take in all (system prompt, key facts, summary, recalls, newest messages); 500 to 200000.",
            "6000", SettingScope.Both),
        new("Memory__RecallTop", "How many older messages semantic recall adds at most (0 to 50; 0 turns recall off).",
            "5", SettingScope.Both),

        // ── Follow-ups (FollowUpOptions) ────────────────────────────────────────────────────
        new("FollowUps__Cadence", "When the follow-ups of an unanswered reply are due, as ISO-8601 durations after it, comma-separated and increasing (short steps such as PT10S are fine for demos and tests).",
            "PT1H,P1D,P3D,P7D", SettingScope.Both),
        new("FollowUps__QuietFrom", "Local time (the lead's time zone, from the phone number, else the client's) from which no follow-up is sent.",
            "21:00", SettingScope.Both),
        new("FollowUps__QuietUntil", "Local time until which no follow-up is sent; a step due in the quiet hours moves to this time.",
            "08:00", SettingScope.Both),
        new("FollowUps__QuietOnWeekends", "true: no follow-ups on Saturdays and Sundays (local); a step due then moves to Monday at QuietUntil.",
            "false", SettingScope.Both),
        new("FollowUps__ClaimLease", "How long the standalone follow-up sweep holds a due step it claimed; a step cut off by a crash runs again after it, never twice (00:00:05 to 01:00:00).",
            "00:02:00", SettingScope.Both),

        // ── Delivery (DeliveryOptions) ──────────────────────────────────────────────────────
        new("Delivery__MaxAttempts", "Vendor calls per outbound message before a retryable failure (429, 5xx, a connection that never opened) marks it failed with the reason (1 to 50); resend through POST /api/outbox/{id}/resend.",
            "6", SettingScope.Both),
        new("Delivery__RetryBaseDelay", "Backoff before the second attempt; it doubles per attempt with jitter, and is never shorter than the vendor's Retry-After (00:00:00.1 to 01:00:00).",
            "00:00:05", SettingScope.Both),
        new("Delivery__RetryMaxDelay", "Longest backoff between two attempts, the vendor's Retry-After included (at least RetryBaseDelay, at most 1.00:00:00).",
            "00:10:00", SettingScope.Both),
        new("Delivery__VendorCallTimeout", "How long one send call to WhatsApp, Twilio or SendGrid may take; after it the message is in_doubt, not resent (00:00:00.1 to 00:05:00; keep it under SendingLease).",
            "00:00:30", SettingScope.Both),
        new("Delivery__SendingLease", "How long a claimed message (status sending) is left to its delivery run; after that, without a recorded vendor answer it is marked in_doubt and not resent (00:00:10 to 01:00:00).",
            "00:02:00", SettingScope.Both),
        new("Delivery__PerSenderPerSecond", "Messages per second from one client's sender on one channel, per instance (WhatsApp Cloud API allows about 80 per number); more wait in the queue.",
            "80", SettingScope.Both),
        new("Delivery__PerRecipientInterval", "Least time between two messages to the same recipient on one channel, per instance (WhatsApp: about one per 6 s to a user); 00:00:00 turns it off.",
            "00:00:06", SettingScope.Both),
        // ── Outbound delivery: the vendors' API base URLs (Infrastructure/Delivery) ─────────
        new("WhatsApp__GraphBaseUrl", "Base URL of Meta's Graph API for WhatsApp Cloud API sends (a proxy or a test server); absolute http(s) URL.",
            "https://graph.facebook.com", SettingScope.Both),
        new("WhatsApp__GraphVersion", "Graph API version in the send path ({base}/{version}/{phone-number-id}/messages), e.g. v23.0.",
            "v23.0", SettingScope.Both),
        new("Twilio__ApiBaseUrl", "Base URL of the Twilio REST API for SMS and Twilio WhatsApp sends (a proxy or a test server); absolute http(s) URL.",
            "https://api.twilio.com", SettingScope.Both),
        new("SendGrid__ApiBaseUrl", "Base URL of the SendGrid v3 API for e-mail sends (https://api.eu.sendgrid.com for EU subusers, a proxy or a test server); absolute http(s) URL.",
            "https://api.sendgrid.com", SettingScope.Both),
        new("HubSpot__ApiBaseUrl", "Base URL of HubSpot's CRM API for the CRM sync (contacts, deals, notes, properties; bearer = the client's hubspot.accessToken); a proxy or a test server; absolute http(s) URL.",
            "https://api.hubapi.com", SettingScope.Both),
        new("CalCom__ApiBaseUrl", "Base URL of Cal.com API v2 for the clients that configured calcom (a self-hosted Cal.com, a proxy or a test server); absolute http(s) URL.",
            "https://api.cal.com", SettingScope.Both),

        // ── Demo client (DemoClientOptions) ─────────────────────────────────────────────────
        new("DemoClient__Enabled", "Create the demo client on first start and print its keys to the console once. Off in the cloud: the host forwards stdout to the logs.",
            "true", SettingScope.Both, RequiredInCloud: true),
        new("DemoClient__Knowledge", "Give the demo client, when it is created, a knowledge base about SalesFlow (58 FAQs, 29 topics in English and German, Demo/demo-knowledge.csv), indexed with the configured embeddings.",
            "true", SettingScope.LocalOnly),
        new("SALESFLOW_DEMO_API_KEY", "Fixes the demo client's API key (scripting, tests); random when unset.",
            null, SettingScope.LocalOnly, Secret: true),
        new("SALESFLOW_DEMO_WHATSAPP_APP_SECRET", "Fixes the demo client's WhatsApp app secret (X-Hub-Signature-256); random when unset.",
            null, SettingScope.LocalOnly, Secret: true),
        new("SALESFLOW_DEMO_WHATSAPP_VERIFY_TOKEN", "Fixes the demo client's WhatsApp webhook verify token; random when unset.",
            null, SettingScope.LocalOnly, Secret: true),
        new("SALESFLOW_DEMO_TWILIO_AUTH_TOKEN", "Fixes the demo client's Twilio auth token (X-Twilio-Signature); random when unset.",
            null, SettingScope.LocalOnly, Secret: true),
        new("SALESFLOW_DEMO_EMAIL_WEBHOOK_SECRET", "Fixes the demo client's e-mail (Inbound Parse) webhook secret; random when unset.",
            null, SettingScope.LocalOnly, Secret: true),

        // ── Cosmos DB (SalesFlow__Store=cosmos) ─────────────────────────────────────────────
        new("CosmosDb__accountEndpoint", "Cosmos DB account endpoint (https://<account>.documents.azure.com:443/), used with an Entra credential.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("CosmosDb__credential", "managedidentity: authenticate to Cosmos DB with the managed identity named by CosmosDb__clientId.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("CosmosDb__clientId", "Client id of the user-assigned identity used for Cosmos DB.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("CosmosDb__connectionString", "Connection string of a local Cosmos DB stand-in or emulator; wins over accountEndpoint. Never used in the cloud (keys are disabled there).",
            null, SettingScope.LocalOnly, Secret: true),
        new("CosmosDb__databaseName", "Cosmos DB database holding the clients, leads, conversations and outbox containers.",
            "salesflow", SettingScope.Both, RequiredInCloud: true),
        new("CosmosDb__createIfMissing", "Create the database and containers at start-up when missing. Defaults to true with a connection string and false with managed identity (infra/ creates them; the data-plane role cannot).",
            null, SettingScope.LocalOnly),

        // ── Storage queues (SalesFlow__Queue=storage); shared with the Functions host ───────
        new("AzureWebJobsStorage", "Storage connection string for local runs (UseDevelopmentStorage=true for Azurite). In the cloud the identity-based AzureWebJobsStorage__* settings replace it.",
            null, SettingScope.LocalOnly, Secret: true),
        new("AzureWebJobsStorage__queueServiceUri", "Queue endpoint (https://<account>.queue.core.windows.net/) for identity-based access.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("AzureWebJobsStorage__credential", "managedidentity: reach storage with the managed identity named by AzureWebJobsStorage__clientId.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("AzureWebJobsStorage__clientId", "Client id of the user-assigned identity used for storage.",
            null, SettingScope.Cloud, RequiredInCloud: true),

        // ── Integration events (optional Service Bus topic, section IntegrationEvents) ──────
        new("IntegrationEvents__ServiceBusNamespace", "Fully qualified Service Bus namespace (<namespace>.servicebus.windows.net) of the topic integration events are published to, reached with the identity (Azure Service Bus Data Sender); empty: events are not published.",
            null, SettingScope.Both),
        new("IntegrationEvents__Topic", "The integration-events topic (lead.became_hot, lead.state_changed, lead.opted_out, lead.escalated); required when a namespace or connection string is set.",
            null, SettingScope.Both),
        new("IntegrationEvents__ManagedIdentityClientId", "Client id of the user-assigned identity used for Service Bus; empty: DefaultAzureCredential.",
            null, SettingScope.Cloud),
        new("IntegrationEvents__ConnectionString", "Service Bus connection string (a local emulator); wins over IntegrationEvents__ServiceBusNamespace. Never used in the cloud (local auth is off there).",
            null, SettingScope.LocalOnly, Secret: true),

        // ── Model access (AiOptions, section AI) ────────────────────────────────────────────
        new("AI__Provider", "Which model service answers: none (the embedded rules brain answers everything), openai (api.openai.com or an OpenAI-compatible server) or azureopenai (Azure OpenAI /openai/v1/).",
            "none", SettingScope.Both, RequiredInCloud: true),
        new("AI__Endpoint", "Azure: https://<resource>.openai.azure.com (/openai/v1/ is added when missing); OpenAI: empty for api.openai.com or the base URL of an OpenAI-compatible server. Required for azureopenai.",
            null, SettingScope.Both, RequiredInCloud: true),
        new("AI__ApiKey", "API key: required for openai (unless AI__Endpoint names a keyless compatible server); for azureopenai, unset means Entra ID. Never set in the cloud (Azure OpenAI keys are disabled).",
            null, SettingScope.LocalOnly, Secret: true),
        new("AI__ManagedIdentityClientId", "Client id of the user-assigned identity used for Azure OpenAI when AI__ApiKey is unset; empty: DefaultAzureCredential.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("AI__ChatModel", "The large model (Azure: the deployment name) for hard turns.",
            "gpt-4o", SettingScope.Both, RequiredInCloud: true),
        new("AI__SmallChatModel", "The small model (Azure: the deployment name) for routine turns, extraction and memory summaries.",
            "gpt-4o-mini", SettingScope.Both, RequiredInCloud: true),
        new("AI__EmbeddingModel", "The embedding model (Azure: the deployment name) for knowledge-base vectors.",
            "text-embedding-3-small", SettingScope.Both, RequiredInCloud: true),
        new("AI__Timeout", "Time one model call attempt may take, the whole streamed answer included (hh:mm:ss, up to 10 min).",
            "00:00:20", SettingScope.Both),
        new("AI__MaxRetries", "Retries after the first attempt on 408/429/5xx, network errors and attempt timeouts (0 to 10).",
            "2", SettingScope.Both),
        new("AI__RetryBaseDelay", "First retry delay; doubles each retry, with jitter (0 to 1 min).",
            "00:00:00.5", SettingScope.Both),
        new("AI__CircuitBreakerMinimumThroughput", "Calls in the sampling window before the circuit breaker may open (it opens when at least half of them fail); at least 2.",
            "5", SettingScope.Both),
        new("AI__CircuitBreakerSamplingDuration", "Sampling window of the circuit breaker (at least 0.5 s).",
            "00:00:30", SettingScope.Both),
        new("AI__CircuitBreakerBreakDuration", "How long an open breaker rejects calls at once while the rules brain answers (at least 0.5 s).",
            "00:00:30", SettingScope.Both),
        new("AI__ReplyDeadline", "How long a lead may wait for a model-written reply before the rules brain answers instead (positive).",
            "00:00:30", SettingScope.Both),
        new("AI__LargeModelScore", "Complexity score from which a turn goes to the large model (ModelRouter).",
            "3", SettingScope.Both),
        new("AI__LargeDealValue", "Deal value (client currency) from which a deal counts as large for routing; 0 turns the deal rule off.",
            "10000", SettingScope.Both),
        new("AI__MonthlyBudgetUsd", "Spend limit per client and calendar month (UTC) in US dollars; 0 = no limit. AI__Clients__<clientId>__MonthlyBudgetUsd overrides it per client.",
            "0", SettingScope.Both),

        // ── Knowledge bases and RAG (KnowledgeOptions, section Knowledge) ───────────────────
        new("Knowledge__Index", "Knowledge index: embedded (SQLite FTS5 + in-memory vectors) or azuresearch (Azure AI Search; needs Search__Endpoint). azuresearch in the cloud, where bases and sources live in Cosmos DB.",
            "embedded", SettingScope.Both, RequiredInCloud: true),
        new("Knowledge__MaxDocumentBytes", "Largest document accepted, in bytes of UTF-8 text (1 KiB to 16 MiB); beyond it the API answers 413.",
            "524288", SettingScope.Both),
        new("Knowledge__InlineIngestTokens", "Documents estimated above this many tokens are ingested as queue work (202) rather than inline (201); 0 to 1,000,000.",
            "4000", SettingScope.Both),
        new("Knowledge__ChunkTokens", "Chunk size in tokens (64 to 8000).",
            "500", SettingScope.Both),
        new("Knowledge__ChunkOverlapTokens", "Tokens shared by consecutive chunks (0 to 1000, less than half of Knowledge__ChunkTokens).",
            "50", SettingScope.Both),
        new("Knowledge__VectorMinScore", "Default minimum score of vector-only search (cosine, 0 to 1).",
            "0.75", SettingScope.Both),
        new("Knowledge__HybridMinScore", "Default minimum score of hybrid search (cosine of the fused hits, 0 to 1); calibrated for the hashed embedder, another embedder needs its own calibration.",
            "0.35", SettingScope.Both),
        new("Knowledge__KeywordMinScore", "Default minimum score of keyword-only search (normalised BM25, 0 to 1).",
            "0", SettingScope.Both),
        new("Knowledge__DefaultTop", "Default number of hits a search returns (1 to 50).",
            "5", SettingScope.Both),
        new("Knowledge__MaxBasesPerClient", "Knowledge bases one client may hold (1 to 10,000); one more is refused with 409.",
            "20", SettingScope.Both),
        new("Knowledge__MaxDocumentsPerClient", "Documents one client may hold over all its bases (1 to 1,000,000; FAQs count as chunks only); one more is refused with 409, replacing one by id is not one more.",
            "2000", SettingScope.Both),
        new("Knowledge__MaxChunksPerClient", "Chunks (document chunks and FAQs) one client may hold over all its bases (1 to 10,000,000); beyond it an import is refused with 409, or a queued document fails with the reason in its status.",
            "100000", SettingScope.Both),
        new("Knowledge__VectorCacheMegabytes", "Memory the embedded index keeps for vectors between searches, over all clients (0 to 1,048,576 MB); least recently searched bases are dropped first.",
            "512", SettingScope.Both),

        // ── Azure AI Search (AzureSearchOptions; read when Knowledge__Index=azuresearch) ────
        new("Search__Endpoint", "AI Search service URL, https://<service>.search.windows.net; required when Knowledge__Index is azuresearch.",
            null, SettingScope.Both, RequiredInCloud: true),
        new("Search__IndexName", "Index holding the knowledge chunks (2 to 128 lower-case letters, digits or dashes).",
            "salesflow-knowledge", SettingScope.Both),
        new("Search__ManagedIdentityClientId", "Client id of the user-assigned identity used for AI Search; unset: the default credential chain.",
            null, SettingScope.Cloud, RequiredInCloud: true),
        new("Search__ApiVersion", "AI Search REST API version.",
            "2024-07-01", SettingScope.Both),
    ];

    /// <summary>The setting of that name (environment form, case-insensitive), or null.</summary>
    public static AppSetting? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
