using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Channels;

/// <summary>One DKIM signature's verdict as SendGrid reports it: the signing domain and its result (pass, fail, neutral, ...).</summary>
public sealed record DkimVerdict(string Domain, string Result)
{
    public bool Passed => Result == "pass";
}

/// <summary>
/// Whether an inbound e-mail's From address is vouched for by the receiving mail server's checks, as SendGrid Inbound
/// Parse reports them. The From header alone picks the lead, and anyone can write any From header; only a DKIM
/// signature or an SPF pass whose domain lines up with the From domain says the mail really comes from that domain.
/// </summary>
/// <remarks>
/// <para>Authenticated when a DKIM signature passed for the From domain or a parent domain of it, or SPF passed and the
/// envelope sender's (Return-Path) domain is the From domain or a parent domain of it. "Parent" is label-wise:
/// <c>mail.example.com</c> aligns with <c>example.com</c>, <c>evilexample.com</c> does not. A signer or envelope
/// domain without a dot (a bare top-level domain) never aligns.</para>
/// <para>SendGrid's formats: <c>SPF</c> is one word (pass, fail, softfail, neutral, none, temperror, permerror);
/// <c>dkim</c> is <c>{@example.com : pass}</c>, several signatures comma-separated inside one pair of braces
/// (<c>{@a.com : pass, @b.com : fail}</c>), <c>none</c> when the mail was unsigned, absent when the check is off.</para>
/// </remarks>
/// <param name="Spf">SendGrid's SPF word, lower case; null when the field was absent or blank.</param>
/// <param name="EnvelopeFromDomain">Domain of the SMTP envelope sender; null for a null sender (bounces) or when absent.</param>
/// <param name="Dkim">Every DKIM signature SendGrid listed.</param>
/// <param name="Method">"dkim" or "spf" when authenticated (DKIM preferred: it survives forwarding), else null.</param>
public sealed partial record EmailAuthentication(
    string FromDomain,
    string? Spf,
    string? EnvelopeFromDomain,
    IReadOnlyList<DkimVerdict> Dkim,
    string? Method)
{
    /// <summary>Metadata key of the verdict on a stored message: "true" or "false".</summary>
    public const string AuthenticatedKey = "sender_authenticated";

    /// <summary>Metadata key of what authenticated the sender: "dkim" or "spf".</summary>
    public const string MethodKey = "sender_authenticated_by";

    /// <summary>Metadata key of SendGrid's raw dkim field.</summary>
    public const string DkimKey = "dkim";

    public bool SenderAuthenticated => Method is not null;

    /// <summary>Judges one e-mail from its From address and SendGrid's SPF, envelope sender and dkim fields.</summary>
    /// <param name="fromAddress">The From header's address (what picks the lead).</param>
    /// <param name="envelopeFrom">The envelope JSON's "from" (the Return-Path SPF checked); null or empty for a null sender.</param>
    /// <param name="spf">SendGrid's SPF field.</param>
    /// <param name="dkim">SendGrid's dkim field.</param>
    public static EmailAuthentication Evaluate(string fromAddress, string? envelopeFrom, string? spf, string? dkim)
    {
        ArgumentNullException.ThrowIfNull(fromAddress);
        var fromDomain = DomainOf(fromAddress) ?? "";
        var spfWord = spf?.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        var envelopeDomain = envelopeFrom is null ? null : DomainOf(envelopeFrom);
        var signatures = ParseDkim(dkim);

        string? method = null;
        if (fromDomain.Length > 0)
        {
            if (signatures.Any(s => s.Passed && Aligns(s.Domain, fromDomain)))
            {
                method = "dkim";
            }
            else if (spfWord == "pass" && envelopeDomain is not null && Aligns(envelopeDomain, fromDomain))
            {
                method = "spf";
            }
        }

        return new EmailAuthentication(fromDomain, spfWord, envelopeDomain, signatures, method);
    }

    /// <summary>
    /// SendGrid's dkim field as one verdict per signature. Entries that do not read as "@domain : result" are skipped
    /// (they vouch for nothing); "none", blank and absent give an empty list.
    /// </summary>
    public static IReadOnlyList<DkimVerdict> ParseDkim(string? dkim)
    {
        if (string.IsNullOrWhiteSpace(dkim))
        {
            return [];
        }

        var body = dkim.Trim();
        if (body.StartsWith('{') && body.EndsWith('}'))
        {
            body = body[1..^1];
        }

        var verdicts = new List<DkimVerdict>();
        foreach (var entry in body.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = DkimEntry().Match(entry);
            if (match.Success && NormalizeDomain(match.Groups["domain"].Value) is { } domain)
            {
                verdicts.Add(new DkimVerdict(domain, match.Groups["result"].Value.ToLowerInvariant()));
            }
        }

        return verdicts;
    }

    /// <summary>
    /// Relaxed alignment: <paramref name="authenticatedDomain"/> (a DKIM signer, an SPF-checked envelope domain) vouches
    /// for <paramref name="fromDomain"/> when they are equal or the From domain is a subdomain of it. A bare top-level
    /// domain vouches for nothing.
    /// </summary>
    public static bool Aligns(string authenticatedDomain, string fromDomain)
    {
        var signer = NormalizeDomain(authenticatedDomain);
        var from = NormalizeDomain(fromDomain);
        if (signer is null || from is null || !signer.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        return from == signer || from.EndsWith("." + signer, StringComparison.Ordinal);
    }

    /// <summary>The metadata entries this verdict adds to a stored message.</summary>
    public void WriteTo(IDictionary<string, string> metadata, string? rawDkim)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        metadata[AuthenticatedKey] = SenderAuthenticated ? "true" : "false";
        if (Method is not null)
        {
            metadata[MethodKey] = Method;
        }

        if (!string.IsNullOrWhiteSpace(rawDkim))
        {
            metadata[DkimKey] = rawDkim.Trim();
        }
    }

    /// <summary>True when a message's metadata carries a negative verdict (a message without any verdict is not judged here).</summary>
    public static bool IsUnauthenticated(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(AuthenticatedKey, out var value) && value == "false";

    /// <summary>The domain part of a bare or angle-bracketed address, lower case; null without one.</summary>
    private static string? DomainOf(string address)
    {
        var text = address.Trim().Trim('<', '>').Trim();
        var at = text.LastIndexOf('@');
        return at < 0 ? null : NormalizeDomain(text[(at + 1)..]);
    }

    /// <summary>Lower case, no trailing dot, internationalised names in their ASCII (punycode) form, which is how DKIM
    /// signers are written; null for anything that is not a host name.</summary>
    private static string? NormalizeDomain(string domain)
    {
        var d = domain.Trim().TrimStart('@').TrimEnd('.');
        if (d.Length == 0)
        {
            return null;
        }

        try
        {
            d = Idn.GetAscii(d).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }

        return ValidDomain().IsMatch(d) ? d : null;
    }

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = false };

    [GeneratedRegex(@"^@?(?<domain>[^\s:@]+)\s*:\s*(?<result>[A-Za-z]+)")]
    private static partial Regex DkimEntry();

    [GeneratedRegex(@"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")]
    private static partial Regex ValidDomain();
}
