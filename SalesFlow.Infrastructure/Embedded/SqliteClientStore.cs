using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;

namespace SalesFlow.Infrastructure.Embedded;

public sealed class SqliteClientStore(SqliteDatabase db, TimeProvider clock) : IClientStore
{
    private const string Columns = "id, name, api_key_hash, secrets_json, default_country_code, time_zone, config_json, previous_api_key_hash, previous_api_key_expires_at, etag";

    public Task<Client?> GetAsync(string clientId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM clients WHERE id = $id", null, ("$id", clientId)).QueryAsync(Map)).FirstOrDefault());

    /// <summary>The current key or the previous one; whether the previous one is still in its grace period is the caller's check (<see cref="Client.AcceptsApiKeyHash"/>).</summary>
    public Task<Client?> FindByApiKeyHashAsync(string apiKeyHash, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM clients WHERE api_key_hash = $h OR previous_api_key_hash = $h", null, ("$h", apiKeyHash)).QueryAsync(Map)).FirstOrDefault());

    public Task<bool> TryCreateAsync(Client client, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            $"INSERT OR IGNORE INTO clients ({Columns}, created_at) VALUES ($id, $name, $hash, $secrets, $cc, $tz, $config, $prev, $prevExp, $etag, $now)",
            t,
            [.. Parameters(client, Ids.New("etag")), ("$now", clock.GetUtcNow().Ms())]).ExecAsync() == 1, ct);

    public Task<Client> ReplaceAsync(Client client, CancellationToken ct)
    {
        var etag = Ids.New("etag");
        return db.WriteAsync(async (c, t) =>
        {
            int changed;
            try
            {
                changed = await c.Command(
                    """
                    UPDATE clients SET name = $name, api_key_hash = $hash, secrets_json = $secrets, default_country_code = $cc, time_zone = $tz,
                        config_json = $config, previous_api_key_hash = $prev, previous_api_key_expires_at = $prevExp, etag = $etag
                    WHERE id = $id AND etag = $old
                    """,
                    t,
                    [.. Parameters(client, etag), ("$old", client.ETag)]).ExecAsync();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                throw new ConcurrencyException($"API key hash of client {client.Id} is taken.");
            }

            return changed == 1 ? client with { ETag = etag } : throw new ConcurrencyException($"Client {client.Id} changed meanwhile.");
        }, ct);
    }

    private static (string, object?)[] Parameters(Client client, string etag) =>
    [
        ("$id", client.Id),
        ("$name", client.Name),
        ("$hash", client.ApiKeyHash),
        ("$secrets", JsonSerializer.Serialize(client.Secrets)),
        ("$cc", client.DefaultCountryCode),
        ("$tz", client.TimeZone),
        ("$config", client.Config is null ? null : JsonSerializer.Serialize(client.Config, ClientConfigPatch.Json)),
        ("$prev", client.PreviousApiKeyHash),
        ("$prevExp", client.PreviousApiKeyExpiresAt?.Ms()),
        ("$etag", etag),
    ];

    private static Client Map(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        JsonSerializer.Deserialize<ClientChannelSecrets>(r.GetString(3))!,
        r.GetString(4),
        r.GetString(5),
        r.IsDBNull(6) ? null : JsonSerializer.Deserialize<ClientConfig>(r.GetString(6), ClientConfigPatch.Json),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        r.GetString(9));
}
