using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Xml;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Clients;

/// <summary>
/// A client's channel credentials and preferences, as set through the config API (JSON merge patch).
/// Every member is optional: an unset channel keeps the embedded defaults. Secrets (marked in
/// <see cref="SecretPaths"/>) are write-only: they leave the service only masked.
/// </summary>
public sealed record ClientConfig(
    [property: JsonPropertyName("whatsapp")] WhatsAppConfig? WhatsApp = null,
    TwilioConfig? Twilio = null,
    EmailConfig? Email = null,
    FollowUpConfig? FollowUps = null,
    QuietHoursConfig? QuietHours = null,
    string? TimeZone = null,
    string? Language = null,
    AlertsConfig? Alerts = null,
    [property: JsonPropertyName("calcom")] CalComConfig? CalCom = null,
    [property: JsonPropertyName("hubspot")] HubSpotConfig? HubSpot = null,
    ComplianceConfig? Compliance = null)
{
    public static readonly ClientConfig Empty = new();

    /// <summary>The cadence used when a client sets none.</summary>
    public static readonly IReadOnlyList<string> DefaultCadence = ["PT1H", "P1D", "P3D", "P7D"];

    /// <summary>The JSON paths of the secrets (for masking and for the "never echo a mask back" rule).</summary>
    public static readonly IReadOnlyList<string> SecretPaths =
        [
            "whatsapp.accessToken", "whatsapp.appSecret", "whatsapp.verifyToken", "twilio.authToken", "email.sendGridApiKey", "email.webhookSecret",
            "calcom.apiKey", "calcom.webhookSecret", "hubspot.accessToken", "hubspot.clientSecret",
        ];

    /// <summary>The same config with every secret passed through <paramref name="map"/> (encrypt, decrypt, mask).</summary>
    public ClientConfig MapSecrets(Func<string, string> map) => this with
    {
        WhatsApp = WhatsApp is null ? null : WhatsApp with { AccessToken = Map(WhatsApp.AccessToken, map), AppSecret = Map(WhatsApp.AppSecret, map), VerifyToken = Map(WhatsApp.VerifyToken, map) },
        Twilio = Twilio is null ? null : Twilio with { AuthToken = Map(Twilio.AuthToken, map) },
        Email = Email is null ? null : Email with { SendGridApiKey = Map(Email.SendGridApiKey, map), WebhookSecret = Map(Email.WebhookSecret, map) },
        CalCom = CalCom is null ? null : CalCom with { ApiKey = Map(CalCom.ApiKey, map), WebhookSecret = Map(CalCom.WebhookSecret, map) },
        HubSpot = HubSpot is null ? null : HubSpot with { AccessToken = Map(HubSpot.AccessToken, map), ClientSecret = Map(HubSpot.ClientSecret, map) },
    };

    /// <summary>"••••" and the last four characters (none of a secret of 8 or fewer): enough to tell two secrets apart, not to use one.</summary>
    public static string Mask(string secret) => Masked + (secret.Length > 8 ? secret[^4..] : "");

    public const string Masked = "••••";

    /// <summary>The first problem, named by its JSON path, or null when the config is valid.</summary>
    public ConfigError? Validate() => ClientConfigRules.FirstError(this);

    private static string? Map(string? value, Func<string, string> map) => value is null ? null : map(value);
}

public sealed record WhatsAppConfig(
    string? PhoneNumberId = null,
    string? AccessToken = null,
    string? AppSecret = null,
    string? VerifyToken = null,
    IReadOnlyDictionary<string, WhatsAppTemplate>? Templates = null);

/// <summary>An approved WhatsApp message template for one purpose (e.g. "followUp").</summary>
public sealed record WhatsAppTemplate(string? Name = null, string? Language = null);

public sealed record TwilioConfig(
    string? AccountSid = null,
    string? AuthToken = null,
    string? SmsFrom = null,
    string? WhatsAppFrom = null,
    string? MessagingServiceSid = null);

public sealed record EmailConfig(
    string? FromAddress = null,
    string? FromName = null,
    string? SendGridApiKey = null,
    string? WebhookSecret = null,
    string? EventWebhookPublicKey = null);

/// <param name="Cadence">ISO-8601 durations between follow-ups ("PT1H", "P1D"); steps of seconds are allowed for demos and tests.</param>
public sealed record FollowUpConfig(IReadOnlyList<string>? Cadence = null)
{
    /// <summary>The cadence as time spans (valid configs only).</summary>
    public IReadOnlyList<TimeSpan> CadenceSteps() => (Cadence ?? ClientConfig.DefaultCadence).Select(XmlConvert.ToTimeSpan).ToList();
}

/// <param name="Start">Local time ("HH:mm") from which no automatic message goes out.</param>
/// <param name="End">Local time ("HH:mm") at which sending resumes.</param>
/// <param name="Weekends">True: Saturday and Sunday are quiet all day.</param>
public sealed record QuietHoursConfig(string? Start = null, string? End = null, bool? Weekends = null);

public sealed record AlertsConfig(IReadOnlyList<string>? Emails = null, string? OnCallNumber = null);

/// <summary>Cal.com API v2: where the client's meetings are booked. Without it meetings are booked in SalesFlow's own calendar.</summary>
/// <param name="ApiKey">The client's Cal.com API key ("cal_live_…"), sent as a bearer token.</param>
/// <param name="EventTypeId">The event type leads are booked into (its slots are offered).</param>
/// <param name="DurationMinutes">The meeting length; also the length of the slots offered.</param>
/// <param name="WebhookSecret">The secret of the client's Cal.com booking webhook (X-Cal-Signature-256).</param>
public sealed record CalComConfig(string? ApiKey = null, long? EventTypeId = null, int? DurationMinutes = null, string? WebhookSecret = null)
{
    public const int DefaultDurationMinutes = 30;

    /// <summary>True when bookings go to Cal.com (key and event type set).</summary>
    [JsonIgnore]
    public bool IsComplete => ApiKey is not null && EventTypeId is not null;
}

/// <summary>HubSpot CRM v3: where the client's contacts, deals and notes are kept in sync. Without it nothing is synced.</summary>
/// <param name="AccessToken">A private app's access token ("pat-…"), sent as a bearer token.</param>
/// <param name="PipelineId">The deal pipeline deals are created in ("default" when unset).</param>
/// <param name="StageMap">Our conversation states (wire names, e.g. "closing_attempt") and the outcomes "won"/"lost" → the pipeline's deal stage ids.</param>
/// <param name="ClientSecret">The HubSpot app's client secret, which signs its webhooks (X-HubSpot-Signature-v3).</param>
public sealed record HubSpotConfig(string? AccessToken = null, string? PipelineId = null, IReadOnlyDictionary<string, string>? StageMap = null, string? ClientSecret = null)
{
    public const string Won = "won";
    public const string Lost = "lost";

    [JsonIgnore]
    public bool IsComplete => AccessToken is not null;
}

/// <summary>The client's own compliance rules, on top of SalesFlow's (see <see cref="Compliance.CompliancePolicy"/>).</summary>
/// <param name="BannedPhrases">Words or phrases no message to a lead may contain (case-insensitive, whole words); a sentence with one is removed.</param>
/// <param name="AiDisclosure">A sentence that tells the lead it writes with an AI ("I'm Acme's AI assistant."); when set, the first message of every conversation starts with it.</param>
public sealed record ComplianceConfig(IReadOnlyList<string>? BannedPhrases = null, string? AiDisclosure = null)
{
    public const int MaxBannedPhrases = 200;
    public const int MaxPhraseLength = 100;
    public const int MaxDisclosureLength = 120;
}

/// <summary>A config problem: the JSON path of the field ("whatsapp.phoneNumberId") and what is wrong.</summary>
public sealed record ConfigError(string Field, string Message);

internal static partial class ClientConfigRules
{
    private const int MaxSecretLength = 512;
    private const int MaxCadenceSteps = 20;
    private const int MaxAlertEmails = 10;

    public static ConfigError? FirstError(ClientConfig c) =>
        WhatsApp(c.WhatsApp)
        ?? Twilio(c.Twilio)
        ?? Email(c.Email)
        ?? FollowUps(c.FollowUps)
        ?? QuietHours(c.QuietHours)
        ?? Check("timeZone", c.TimeZone, tz => TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _), "an IANA time zone, e.g. Europe/Berlin")
        ?? Check("language", c.Language, l => Language().IsMatch(l), "a language tag, e.g. de or en-US")
        ?? Alerts(c.Alerts)
        ?? CalCom(c.CalCom)
        ?? HubSpot(c.HubSpot)
        ?? Compliance(c.Compliance);

    private static ConfigError? WhatsApp(WhatsAppConfig? w)
    {
        if (w is null)
        {
            return null;
        }

        var error = Check("whatsapp.phoneNumberId", w.PhoneNumberId, v => Digits().IsMatch(v), "Meta's phone number id (digits)")
            ?? Secret("whatsapp.accessToken", w.AccessToken)
            ?? Secret("whatsapp.appSecret", w.AppSecret)
            ?? Secret("whatsapp.verifyToken", w.VerifyToken);
        if (error is not null || w.Templates is null)
        {
            return error;
        }

        foreach (var (purpose, template) in w.Templates)
        {
            var path = $"whatsapp.templates.{purpose}";
            if (!Purpose().IsMatch(purpose))
            {
                return new ConfigError(path, $"{path}: a purpose is 1–40 letters, digits, '_' or '-'.");
            }

            error = Required($"{path}.name", template?.Name)
                ?? Check($"{path}.name", template?.Name, v => TemplateName().IsMatch(v), "an approved template name (lower-case letters, digits, '_')")
                ?? Required($"{path}.language", template?.Language)
                ?? Check($"{path}.language", template?.Language, v => TemplateLanguage().IsMatch(v), "a template language code, e.g. en_US or de");
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ConfigError? Twilio(TwilioConfig? t) => t is null ? null :
        Check("twilio.accountSid", t.AccountSid, v => AccountSid().IsMatch(v), "a Twilio account SID (AC + 32 hex digits)")
        ?? Secret("twilio.authToken", t.AuthToken)
        ?? Check("twilio.smsFrom", t.SmsFrom, IsE164, "a phone number in E.164 form, e.g. +4915112345678")
        ?? Check("twilio.whatsAppFrom", t.WhatsAppFrom, IsE164, "a phone number in E.164 form, e.g. +4915112345678")
        ?? Check("twilio.messagingServiceSid", t.MessagingServiceSid, v => ServiceSid().IsMatch(v), "a messaging service SID (MG + 32 hex digits)");

    private static ConfigError? Email(EmailConfig? e) => e is null ? null :
        Check("email.fromAddress", e.FromAddress, v => ContactAddresses.NormalizeEmail(v) is not null, "an e-mail address")
        ?? Check("email.fromName", e.FromName, v => ReadableText.IsReadableLabel(v) && v.Length <= 100, "one readable line of at most 100 characters")
        ?? Secret("email.sendGridApiKey", e.SendGridApiKey)
        ?? Secret("email.webhookSecret", e.WebhookSecret)
        ?? Check("email.eventWebhookPublicKey", e.EventWebhookPublicKey, IsBase64, "SendGrid's event webhook verification key (base64)");

    private static ConfigError? FollowUps(FollowUpConfig? f)
    {
        if (f?.Cadence is not { } cadence)
        {
            return null;
        }

        if (cadence.Count is 0 or > MaxCadenceSteps)
        {
            return new ConfigError("followUps.cadence", $"followUps.cadence: 1–{MaxCadenceSteps} ISO-8601 durations, e.g. [\"PT1H\",\"P1D\"].");
        }

        // Like FollowUps:Cadence: each step is counted from the unanswered reply, so the steps must increase.
        var previous = TimeSpan.Zero;
        for (var i = 0; i < cadence.Count; i++)
        {
            var path = $"followUps.cadence[{i}]";
            if (Check(path, cadence[i] ?? "", IsPositiveDuration, "a positive ISO-8601 duration, e.g. PT1H, P1D or PT30S") is { } error)
            {
                return error;
            }

            var step = XmlConvert.ToTimeSpan(cadence[i]);
            if (step <= previous)
            {
                return new ConfigError(path, $"{path} must come later than the step before it (each step counts from the unanswered reply).");
            }

            previous = step;
        }

        return null;
    }

    private static ConfigError? QuietHours(QuietHoursConfig? q) => q is null ? null :
        Required("quietHours.start", q.Start)
        ?? Check("quietHours.start", q.Start, IsLocalTime, "a local time HH:mm, e.g. 21:00")
        ?? Required("quietHours.end", q.End)
        ?? Check("quietHours.end", q.End, IsLocalTime, "a local time HH:mm, e.g. 08:00");

    private static ConfigError? Alerts(AlertsConfig? a)
    {
        if (a is null)
        {
            return null;
        }

        if (a.Emails is { } emails)
        {
            if (emails.Count > MaxAlertEmails)
            {
                return new ConfigError("alerts.emails", $"alerts.emails: at most {MaxAlertEmails} addresses.");
            }

            for (var i = 0; i < emails.Count; i++)
            {
                if (Check($"alerts.emails[{i}]", emails[i] ?? "", v => ContactAddresses.NormalizeEmail(v) is not null, "an e-mail address") is { } error)
                {
                    return error;
                }
            }
        }

        return Check("alerts.onCallNumber", a.OnCallNumber, IsE164, "a phone number in E.164 form, e.g. +4915112345678");
    }

    private static ConfigError? CalCom(CalComConfig? c) => c is null ? null :
        Secret("calcom.apiKey", c.ApiKey)
        ?? (c.EventTypeId is { } id && id <= 0 ? new ConfigError("calcom.eventTypeId", "calcom.eventTypeId must be the positive id of a Cal.com event type.") : null)
        ?? (c.DurationMinutes is { } d && d is < 5 or > 480 ? new ConfigError("calcom.durationMinutes", "calcom.durationMinutes must be between 5 and 480.") : null)
        ?? Secret("calcom.webhookSecret", c.WebhookSecret);

    private static ConfigError? HubSpot(HubSpotConfig? h)
    {
        if (h is null)
        {
            return null;
        }

        var error = Secret("hubspot.accessToken", h.AccessToken)
            ?? Check("hubspot.pipelineId", h.PipelineId, v => HubSpotId().IsMatch(v), "a HubSpot pipeline id, e.g. default")
            ?? Secret("hubspot.clientSecret", h.ClientSecret);
        if (error is not null || h.StageMap is null)
        {
            return error;
        }

        foreach (var (state, stage) in h.StageMap)
        {
            var path = $"hubspot.stageMap.{state}";
            if (!ConversationStates.Contains(state))
            {
                return new ConfigError(path, $"{path}: '{state}' is not a conversation state; use one of {string.Join(", ", ConversationStates)}.");
            }

            if (Check(path, stage ?? "", v => HubSpotId().IsMatch(v), "a HubSpot deal stage id, e.g. appointmentscheduled") is { } stageError)
            {
                return stageError;
            }
        }

        return null;
    }

    private static ConfigError? Compliance(ComplianceConfig? c)
    {
        if (c is null)
        {
            return null;
        }

        if (c.BannedPhrases is { } phrases)
        {
            if (phrases.Count > ComplianceConfig.MaxBannedPhrases)
            {
                return new ConfigError("compliance.bannedPhrases", $"compliance.bannedPhrases: at most {ComplianceConfig.MaxBannedPhrases} phrases.");
            }

            for (var i = 0; i < phrases.Count; i++)
            {
                var path = $"compliance.bannedPhrases[{i}]";
                if (Check(path, phrases[i] ?? "", v => v.Trim().Length >= 2 && v.Length <= ComplianceConfig.MaxPhraseLength && ReadableText.IsReadableLabel(v) && v.Any(char.IsLetterOrDigit), $"a word or phrase of 2–{ComplianceConfig.MaxPhraseLength} characters on one line") is { } error)
                {
                    return error;
                }
            }
        }

        return Check("compliance.aiDisclosure", c.AiDisclosure, v => v.Trim().Length >= 10 && v.Length <= ComplianceConfig.MaxDisclosureLength && ReadableText.IsReadableLabel(v), $"one sentence of 10–{ComplianceConfig.MaxDisclosureLength} characters, e.g. \"I'm Acme's AI assistant.\"");
    }

    /// <summary>What a stage map may name: the conversation states' wire names, and the outcomes "won" and "lost".</summary>
    private static readonly string[] ConversationStates =
        [.. Enum.GetValues<Conversations.ConversationState>().Select(s => Conversations.ConversationStateNames.ToWire(s)), HubSpotConfig.Won, HubSpotConfig.Lost];

    private static ConfigError? Secret(string path, string? value) =>
        Check(path, value, v => v.Length <= MaxSecretLength && !v.StartsWith(ClientConfig.Masked, StringComparison.Ordinal) && ReadableText.IsReadableLabel(v), "a secret of one line (not the masked value GET shows)");

    private static ConfigError? Required(string path, string? value) =>
        value is null ? new ConfigError(path, $"{path} is required.") : null;

    private static ConfigError? Check(string path, string? value, Func<string, bool> valid, string expected) =>
        value is null || (value.Length is > 0 and <= 1024 && valid(value)) ? null : new ConfigError(path, $"{path} must be {expected}.");

    private static bool IsE164(string value) => E164().IsMatch(value);

    private static bool IsLocalTime(string value) =>
        TimeOnly.TryParseExact(value, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out var written) && written > 0;

    private static bool IsPositiveDuration(string value)
    {
        // xs:duration is ISO-8601's duration syntax; XmlConvert is the framework's parser for it.
        try
        {
            return XmlConvert.ToTimeSpan(value) >= TimeSpan.FromSeconds(1) && !value.StartsWith('-');
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex Purpose();

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex TemplateLanguage();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Z]{2})?$")]
    private static partial Regex Language();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex HubSpotId();

    [GeneratedRegex("^AC[0-9a-f]{32}$")]
    private static partial Regex AccountSid();

    [GeneratedRegex("^MG[0-9a-f]{32}$")]
    private static partial Regex ServiceSid();
}
