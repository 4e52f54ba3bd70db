using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Tests.Support;

/// <summary>
/// What the embedded store holds, as one hash per table (every row, every column): two equal fingerprints mean no
/// request stored, changed or deleted anything (leads, messages, outbox, queues, knowledge, audit, …). A few hundred
/// rows hash in about a millisecond, so a corpus can take one around every request.
/// </summary>
public sealed record StoreFingerprint(IReadOnlyDictionary<string, (long Rows, string Hash)> Tables)
{
    public static StoreFingerprint Of(IServiceProvider services)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = services.GetRequiredService<SqliteDatabase>().Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var result = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long rows = 0;
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            try
            {
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows++;
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        byte[] value = reader.IsDBNull(i) ? [0] : reader.GetValue(i) is byte[] bytes ? bytes : Encoding.UTF8.GetBytes(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "");
                        hash.AppendData(value);
                        hash.AppendData([0x1F]);
                    }
                }
            }
            catch (SqliteException)
            {
                // A virtual table (full-text index) without rowid: its content table is hashed anyway.
                continue;
            }

            result[table] = (rows, Convert.ToHexString(hash.GetCurrentHash()));
        }

        return new StoreFingerprint(result);
    }

    /// <summary>
    /// The tables that differ from <paramref name="before"/>, with their row counts then and now ("" when equal). The
    /// tables in <paramref name="countOnly"/> are compared by row count: background work (queue leases, delivery
    /// attempts) updates their rows while a request runs, but a request that adds or removes one still shows.
    /// </summary>
    public string ChangesSince(StoreFingerprint before, params string[] countOnly) =>
        string.Join(", ", Tables.Keys.Union(before.Tables.Keys)
            .Where(t => countOnly.Contains(t) ? Tables.GetValueOrDefault(t).Rows != before.Tables.GetValueOrDefault(t).Rows : Tables.GetValueOrDefault(t) != before.Tables.GetValueOrDefault(t))
            .Select(t => $"{t} {before.Tables.GetValueOrDefault(t).Rows}→{Tables.GetValueOrDefault(t).Rows} rows"));

    /// <summary>
    /// What a request stored, leaving out what background work does meanwhile: the work queue and the follow-up timers
    /// its jobs schedule are not compared (the runners take, finish and schedule them on their own time), and the
    /// outbox by row count (delivery attempts update its rows).
    /// </summary>
    public string RequestChangesSince(StoreFingerprint before) =>
        Without(BackgroundOnly).ChangesSince(before.Without(BackgroundOnly), "outbox");

    private static readonly string[] BackgroundOnly = ["jobs", "follow_up_timers"];

    private StoreFingerprint Without(string[] tables) => new(Tables.Where(t => !tables.Contains(t.Key)).ToDictionary());

    /// <summary>The store once background work (turns, deliveries) has settled: the same fingerprint twice, half a second apart.</summary>
    public static async Task<StoreFingerprint> SettledAsync(IServiceProvider services)
    {
        var previous = Of(services);
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(500);
            var now = Of(services);
            if (now.ChangesSince(previous).Length == 0)
            {
                return now;
            }

            previous = now;
        }

        throw new TimeoutException("the store never settled: " + Of(services).ChangesSince(previous));
    }
}
