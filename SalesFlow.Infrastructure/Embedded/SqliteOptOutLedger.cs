using Microsoft.Data.Sqlite;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Reach;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>The opt-out ledger in the embedded store: one row per (client, address hash), replaced by each decision.</summary>
public sealed class SqliteOptOutLedger(SqliteDatabase db) : IOptOutLedger
{
    private const string Columns = "client_id, address_hash, opted_out, channel, keyword, at, lead_id, message_id";

    public async Task<bool> IsOptedOutAsync(string clientId, string address, CancellationToken ct) =>
        (await FindAsync(clientId, [address], ct)).Any(e => e.OptedOut);

    public Task<IReadOnlyList<OptOutEntry>> FindAsync(string clientId, IEnumerable<string> addresses, CancellationToken ct)
    {
        var hashes = OptOutAddress.Hashes(clientId, addresses);
        if (hashes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<OptOutEntry>>([]);
        }

        var names = hashes.Select((_, i) => $"$h{i}").ToList();
        (string, object?)[] parameters = [("$c", clientId), .. hashes.Select((h, i) => (names[i], (object?)h))];
        return db.ReadAsync<IReadOnlyList<OptOutEntry>>(async c =>
            await c.Command($"SELECT {Columns} FROM opt_outs WHERE client_id = $c AND address_hash IN ({string.Join(", ", names)})", null, parameters).QueryAsync(Map));
    }

    public async Task RecordAsync(string clientId, IEnumerable<string> addresses, bool optedOut, ChannelKind channel, string keyword, DateTimeOffset at, string? leadId, string? messageId, CancellationToken ct)
    {
        var hashes = OptOutAddress.Hashes(clientId, addresses);
        if (hashes.Count == 0)
        {
            return;
        }

        await db.WriteAsync(async (c, t) =>
        {
            foreach (var hash in hashes)
            {
                await c.Command(
                    $"""
                    INSERT INTO opt_outs ({Columns}) VALUES ($c, $h, $out, $ch, $kw, $at, $l, $m)
                    ON CONFLICT (client_id, address_hash) DO UPDATE SET opted_out = $out, channel = $ch, keyword = $kw, at = $at, lead_id = $l, message_id = $m
                    """,
                    t,
                    ("$c", clientId),
                    ("$h", hash),
                    ("$out", optedOut ? 1 : 0),
                    ("$ch", channel.ToWire()),
                    ("$kw", keyword),
                    ("$at", at.Ms()),
                    ("$l", leadId),
                    ("$m", messageId)).ExecAsync();
            }
        }, ct);
    }

    private static OptOutEntry Map(SqliteDataReader r)
    {
        ChannelKindNames.TryParse(r.GetString(3), out var channel);
        return new OptOutEntry(r.GetString(0), r.GetString(1), r.GetInt64(2) == 1, channel, r.GetString(4), r.Time("at"), r.NullableString("lead_id"), r.NullableString("message_id"));
    }
}
