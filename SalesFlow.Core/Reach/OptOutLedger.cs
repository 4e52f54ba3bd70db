using System.Security.Cryptography;
using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Reach;

/// <summary>
/// One address's consent to automatic messages from one client: the latest opt-out or opt-in, when, on which channel,
/// with which keyword. Keyed by <see cref="AddressHash"/> (see <see cref="OptOutAddress"/>), never the address itself.
/// </summary>
/// <param name="Keyword">The carrier keyword ("STOP", "ABMELDEN", "START"), or <see cref="OptOutEntry.PhraseKeyword"/> for a sentence the intent rules read as an opt-out.</param>
/// <param name="LeadId">The lead who said it; cleared when that lead is erased (the suppression stays).</param>
/// <param name="MessageId">The message that said it: a turn re-run after a crash recognises its own decision by it.</param>
public sealed record OptOutEntry(
    string ClientId,
    string AddressHash,
    bool OptedOut,
    ChannelKind Channel,
    string Keyword,
    DateTimeOffset At,
    string? LeadId,
    string? MessageId)
{
    public const string PhraseKeyword = "phrase";
}

/// <summary>
/// The per-client opt-out ledger across channels: an opt-out given on any channel holds for every address of that
/// person and for any lead later created from one of them (speed to lead calls <see cref="IsOptedOutAsync"/> before a
/// first message). Addresses are E.164 phone numbers or e-mail addresses in any form <see cref="OptOutAddress"/> reads.
/// </summary>
public interface IOptOutLedger
{
    /// <summary>True when the address opted out of the client's automatic messages and has not opted back in.</summary>
    Task<bool> IsOptedOutAsync(string clientId, string address, CancellationToken ct);

    /// <summary>The entries of those addresses that have one (unreadable addresses are left out).</summary>
    Task<IReadOnlyList<OptOutEntry>> FindAsync(string clientId, IEnumerable<string> addresses, CancellationToken ct);

    /// <summary>Records the same decision for every address (insert or replace per address; a re-run writes the same).</summary>
    Task RecordAsync(string clientId, IEnumerable<string> addresses, bool optedOut, ChannelKind channel, string keyword, DateTimeOffset at, string? leadId, string? messageId, CancellationToken ct);
}

/// <summary>
/// How the ledger keys an address: normalised (E.164; lower-case e-mail), then SHA-256 over the client id and the
/// address. Why a hash: after a GDPR erasure the suppression record must stay (the person objected to marketing,
/// Art. 21(3) GDPR; keeping the objection is the legal obligation and legitimate interest that Art. 17(3)(b) and
/// 6(1)(c)/(f) allow), but the store should not keep a readable contact list of people who asked to be left alone.
/// The hash is pseudonymous, not anonymous (phone numbers can be enumerated), so it is only ever compared, never
/// listed, and the client id in it keeps one client's ledger from being matched against another's.
/// </summary>
public static class OptOutAddress
{
    /// <summary>E.164 or lower-case e-mail; null when the text is neither. Phone numbers must be international (E.164, "whatsapp:+…", or Meta's bare digits).</summary>
    public static string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        return address.Contains('@', StringComparison.Ordinal)
            ? ContactAddresses.NormalizeEmail(address)
            : ContactAddresses.NormalizePhone(address, "");
    }

    /// <summary>The ledger key of the address for the client; null when the address is not readable.</summary>
    public static string? Hash(string clientId, string? address) =>
        Normalize(address) is { } normalized
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"optout:v1:{clientId}:{normalized}")))
            : null;

    /// <summary>The distinct ledger keys of the addresses.</summary>
    public static IReadOnlyList<string> Hashes(string clientId, IEnumerable<string?> addresses) =>
        addresses.Select(a => Hash(clientId, a)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
