namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The embedded schema. Every table carries client_id and every query filters by it
/// (tenant isolation); times are Unix milliseconds.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Columns added after the first release: ALTERed into an older file (CREATE TABLE IF NOT EXISTS leaves it as it was).</summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("clients", "config_json", "TEXT"),
        ("clients", "previous_api_key_hash", "TEXT"),
        ("clients", "previous_api_key_expires_at", "INTEGER"),
        ("clients", "etag", "TEXT NOT NULL DEFAULT ''"),
        ("outbox", "template_json", "TEXT"),
        ("leads", "time_zone", "TEXT"),
        ("outbox", "thread_json", "TEXT"),
        ("outbox", "attempts", "INTEGER NOT NULL DEFAULT 0"),
        ("outbox", "claimed_at", "INTEGER"),
        ("outbox", "next_attempt_at", "INTEGER"),
        ("outbox", "html_body", "TEXT"),
        ("outbox", "vendor_call_started_at", "INTEGER"),
    ];

    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS clients (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            api_key_hash TEXT NOT NULL UNIQUE,
            secrets_json TEXT NOT NULL,
            default_country_code TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            config_json TEXT,
            previous_api_key_hash TEXT,
            previous_api_key_expires_at INTEGER,
            etag TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX IF NOT EXISTS ix_clients_previous_key ON clients (previous_api_key_hash);
        CREATE TABLE IF NOT EXISTS leads (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT, email TEXT, phone TEXT, language TEXT,
            escalated INTEGER NOT NULL DEFAULT 0,
            escalation_reason TEXT,
            opted_out INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            etag TEXT NOT NULL,
            time_zone TEXT,
            PRIMARY KEY (client_id, id)
        );
        CREATE TABLE IF NOT EXISTS identities (
            client_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, kind, value)
        );
        CREATE INDEX IF NOT EXISTS ix_identities_lead ON identities (client_id, lead_id);
        CREATE TABLE IF NOT EXISTS email_claims (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            address TEXT NOT NULL,
            id TEXT NOT NULL,
            code TEXT NOT NULL,
            token TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            conflict_lead_id TEXT,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            verified_at INTEGER,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id, address)
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_email_claims_token ON email_claims (client_id, token);
        CREATE TABLE IF NOT EXISTS lead_merges (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            into_lead_id TEXT NOT NULL,
            merged_by TEXT NOT NULL,
            merged_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE INDEX IF NOT EXISTS ix_lead_merges_into ON lead_merges (client_id, into_lead_id);
        CREATE TABLE IF NOT EXISTS conversations (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            state TEXT NOT NULL,
            history_json TEXT NOT NULL,
            answered_through_seq INTEGER NOT NULL DEFAULT 0,
            turn_count INTEGER NOT NULL DEFAULT 0,
            last_channel TEXT NOT NULL,
            last_inbound_at INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, id),
            UNIQUE (client_id, lead_id)
        );
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            direction TEXT NOT NULL,
            channel TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            provider_message_id TEXT,
            answerable INTEGER NOT NULL,
            metadata_json TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_messages_provider ON messages (client_id, channel, provider_message_id) WHERE provider_message_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_messages_conversation ON messages (client_id, conversation_id, seq);
        CREATE INDEX IF NOT EXISTS ix_messages_lead ON messages (client_id, lead_id);
        CREATE TABLE IF NOT EXISTS outbox (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            recipient TEXT NOT NULL,
            text TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            purpose TEXT NOT NULL,
            status TEXT NOT NULL,
            provider_message_id TEXT,
            error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            template_json TEXT,
            thread_json TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_at INTEGER,
            next_attempt_at INTEGER,
            html_body TEXT,
            vendor_call_started_at INTEGER,
            PRIMARY KEY (client_id, id),
            UNIQUE (client_id, idempotency_key)
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_lead ON outbox (client_id, lead_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_outbox_time ON outbox (client_id, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_outbox_provider ON outbox (client_id, provider_message_id);
        CREATE INDEX IF NOT EXISTS ix_outbox_status ON outbox (status, updated_at);
        -- Lead events the daily summary counts (hot, escalated, opted out): the kind and time only, keyed by a hash of
        -- the event's idempotency key (once per event), nothing that names the lead.
        CREATE TABLE IF NOT EXISTS analytics_counters (
            client_id TEXT NOT NULL,
            grain TEXT NOT NULL,
            metric TEXT NOT NULL,
            day INTEGER NOT NULL,
            dimension TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (client_id, grain, metric, day, dimension)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS analytics_leads (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            row_json TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE TABLE IF NOT EXISTS analytics_keys (
            client_id TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (client_id, key_hash)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS activity_events (
            client_id TEXT NOT NULL,
            event_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (client_id, event_hash)
        );
        CREATE INDEX IF NOT EXISTS ix_activity_events_time ON activity_events (client_id, kind, at);
        CREATE INDEX IF NOT EXISTS ix_leads_created ON leads (client_id, created_at);
        CREATE TABLE IF NOT EXISTS outbox_redispatch (
            client_id TEXT NOT NULL,
            outbox_id TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (client_id, outbox_id)
        );
        -- A client's e-mail suppression list (bounces, drops, spam reports) and the vendor events already applied.
        CREATE TABLE IF NOT EXISTS email_suppressions (
            client_id TEXT NOT NULL,
            address TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, address)
        );
        CREATE TABLE IF NOT EXISTS delivery_events (
            client_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (client_id, event_id)
        );
        CREATE TABLE IF NOT EXISTS jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL,
            payload TEXT NOT NULL,
            coalesce_key TEXT,
            due_at INTEGER NOT NULL,
            dequeue_count INTEGER NOT NULL DEFAULT 0,
            locked_until INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_jobs_due ON jobs (queue, due_at);
        CREATE INDEX IF NOT EXISTS ix_jobs_coalesce ON jobs (queue, coalesce_key);
        CREATE TABLE IF NOT EXISTS inbound_journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL UNIQUE,
            client_id TEXT NOT NULL,
            address TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_inbound_journal_address ON inbound_journal (client_id, address);
        CREATE TABLE IF NOT EXISTS ai_usage (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            lead_id TEXT,
            model TEXT NOT NULL,
            purpose TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_nano_usd INTEGER NOT NULL,
            latency_ms REAL NOT NULL,
            succeeded INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE INDEX IF NOT EXISTS ix_ai_usage_client_time ON ai_usage (client_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_ai_usage_lead ON ai_usage (client_id, lead_id, created_at);
        CREATE TABLE IF NOT EXISTS lead_profiles (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            profile_json TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE TABLE IF NOT EXISTS compliance_audit (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            outbox_id TEXT NOT NULL,
            verdict TEXT NOT NULL,
            rule_ids TEXT NOT NULL,
            source TEXT NOT NULL,
            purpose TEXT NOT NULL,
            original_hash TEXT NOT NULL,
            final_hash TEXT NOT NULL,
            final_text TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE INDEX IF NOT EXISTS ix_compliance_audit_time ON compliance_audit (client_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_compliance_audit_lead ON compliance_audit (client_id, lead_id, created_at);
        CREATE TABLE IF NOT EXISTS memory_summaries (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            text TEXT NOT NULL,
            key_facts_json TEXT NOT NULL,
            sentiment_json TEXT NOT NULL,
            covers_through_seq INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE TABLE IF NOT EXISTS memory_vectors (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            seq INTEGER NOT NULL,
            text TEXT NOT NULL,
            from_lead INTEGER NOT NULL,
            at INTEGER NOT NULL,
            vector BLOB NOT NULL,
            UNIQUE (client_id, lead_id, kind, seq)
        );
        CREATE INDEX IF NOT EXISTS ix_memory_vectors_lead ON memory_vectors (client_id, lead_id, id);
        -- The standalone follow-up driver's timers, one per lead; a sweep claims one by moving due_at at its etag.
        CREATE TABLE IF NOT EXISTS follow_up_timers (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            cycle TEXT NOT NULL,
            steps_sent INTEGER NOT NULL,
            last_step_at INTEGER,
            due_at INTEGER NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE INDEX IF NOT EXISTS ix_follow_up_timers_due ON follow_up_timers (due_at);
        -- The opt-out ledger: the latest opt-out or opt-in per (client, address hash). Kept when the lead is erased,
        -- with lead_id and message_id cleared: the suppression outlives the person's other data (OptOutAddress says why).
        CREATE TABLE IF NOT EXISTS opt_outs (
            client_id TEXT NOT NULL,
            address_hash TEXT NOT NULL,
            opted_out INTEGER NOT NULL,
            channel TEXT NOT NULL,
            keyword TEXT NOT NULL,
            at INTEGER NOT NULL,
            lead_id TEXT,
            message_id TEXT,
            PRIMARY KEY (client_id, address_hash)
        );
        CREATE INDEX IF NOT EXISTS ix_opt_outs_lead ON opt_outs (client_id, lead_id);
        -- Where each lead stands in the client's CRM (CrmLink as JSON); deal_id for the CRM's webhooks, next_retry_at for the retry timer.
        CREATE TABLE IF NOT EXISTS crm_links (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            deal_id TEXT,
            next_retry_at INTEGER,
            link_json TEXT NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE INDEX IF NOT EXISTS ix_crm_links_deal ON crm_links (client_id, deal_id);
        CREATE INDEX IF NOT EXISTS ix_crm_links_retry ON crm_links (next_retry_at);
        -- How a lead ended (won/lost), one per lead; the latest word wins.
        CREATE TABLE IF NOT EXISTS lead_outcomes (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            outcome_json TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        -- Each lead's stored score (LeadScoreSnapshot as JSON) and what the lead list filters and sorts on: one sort key per
        -- order (value and lead id, so keyset pages never tie), each indexed per client; computed_at for the refresh timer.
        CREATE TABLE IF NOT EXISTS lead_scores (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            temperature TEXT NOT NULL,
            state TEXT,
            search TEXT NOT NULL,
            sk_score TEXT NOT NULL,
            sk_updated TEXT NOT NULL,
            sk_created TEXT NOT NULL,
            sk_name TEXT NOT NULL,
            computed_at INTEGER NOT NULL,
            snapshot_json TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE INDEX IF NOT EXISTS ix_lead_scores_score ON lead_scores (client_id, sk_score);
        CREATE INDEX IF NOT EXISTS ix_lead_scores_updated ON lead_scores (client_id, sk_updated);
        CREATE INDEX IF NOT EXISTS ix_lead_scores_created ON lead_scores (client_id, sk_created);
        CREATE INDEX IF NOT EXISTS ix_lead_scores_name ON lead_scores (client_id, sk_name);
        CREATE INDEX IF NOT EXISTS ix_lead_scores_temperature ON lead_scores (client_id, temperature, sk_score);
        CREATE INDEX IF NOT EXISTS ix_lead_scores_computed ON lead_scores (computed_at);
        -- Each client's learnt score weights (LeadScoreModel as JSON), replaced by every refit.
        CREATE TABLE IF NOT EXISTS lead_score_models (
            client_id TEXT PRIMARY KEY,
            model_json TEXT NOT NULL
        );
        -- Meetings booked for leads (Cal.com or the embedded calendar); one row per booking intent (idempotency key).
        CREATE TABLE IF NOT EXISTS meetings (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            external_id TEXT,
            start_at INTEGER NOT NULL,
            end_at INTEGER NOT NULL,
            time_zone TEXT NOT NULL,
            language TEXT NOT NULL,
            status TEXT NOT NULL,
            attendee_name TEXT, attendee_email TEXT, attendee_phone TEXT,
            location TEXT,
            idempotency_key TEXT NOT NULL,
            cancel_reason TEXT,
            error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, id),
            UNIQUE (client_id, idempotency_key)
        );
        CREATE INDEX IF NOT EXISTS ix_meetings_lead ON meetings (client_id, lead_id, start_at);
        CREATE INDEX IF NOT EXISTS ix_meetings_external ON meetings (client_id, external_id);
        CREATE INDEX IF NOT EXISTS ix_meetings_start ON meetings (client_id, start_at);
        CREATE INDEX IF NOT EXISTS ix_meetings_created ON meetings (client_id, created_at);
        -- The slots last offered to a lead (one offer per lead).
        CREATE TABLE IF NOT EXISTS slot_offers (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            slots_json TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            language TEXT NOT NULL,
            offered_at INTEGER NOT NULL,
            through_seq INTEGER NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        -- Next best actions (issue 14): one row per deterministic id (client, lead, kind, trigger); the JSON holds the record,
        -- the columns what lists filter and sort on.
        CREATE TABLE IF NOT EXISTS recommendations (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            decided_at INTEGER,
            rec_json TEXT NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE INDEX IF NOT EXISTS ix_recommendations_lead ON recommendations (client_id, lead_id, status);
        CREATE INDEX IF NOT EXISTS ix_recommendations_list ON recommendations (client_id, status, created_at);
        CREATE INDEX IF NOT EXISTS ix_recommendations_expiry ON recommendations (status, expires_at);
        CREATE INDEX IF NOT EXISTS ix_recommendations_decided ON recommendations (client_id, decided_at);
        -- When the recommendations timer plans a lead again (silence makes follow-up, nurture, close-as-lost due).
        CREATE TABLE IF NOT EXISTS recommendation_revisits (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            revisit_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, lead_id)
        );
        CREATE INDEX IF NOT EXISTS ix_recommendation_revisits_due ON recommendation_revisits (revisit_at);
        -- A client's playbooks (step sequences) and each lead's run through one.
        CREATE TABLE IF NOT EXISTS playbooks (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            playbook_json TEXT NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE TABLE IF NOT EXISTS playbook_runs (
            client_id TEXT NOT NULL,
            lead_id TEXT NOT NULL,
            playbook_id TEXT NOT NULL,
            run_json TEXT NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (client_id, lead_id, playbook_id)
        );
        -- Erasures whose rows are deleted but whose leftovers in the file are not yet scrubbed (SqliteErasureScrubber).
        -- The one table without client_id: it names no client and no lead, only how far the scrub got.
        CREATE TABLE IF NOT EXISTS erasure_scrubs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            requested_at INTEGER NOT NULL,
            scrubbed_through INTEGER NOT NULL DEFAULT 0
        );
        """;
}
