using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Clients;

namespace SalesFlow.Infrastructure.Embedded;

public sealed class SqliteClientStore(SqliteDatabase db, TimeProvider clock) : IClientStore
{
    private const string Columns = "id, name, api_key_hash, secrets_json, default_country_code, time_zone";

    public Task<Client?> GetAsync(string clientId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM clients WHERE id = $id", null, ("$id", clientId)).QueryAsync(Map)).FirstOrDefault());

    public Task<Client?> FindByApiKeyHashAsync(string apiKeyHash, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM clients WHERE api_key_hash = $h", null, ("$h", apiKeyHash)).QueryAsync(Map)).FirstOrDefault());

    public Task<bool> TryCreateAsync(Client client, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            $"INSERT OR IGNORE INTO clients ({Columns}, created_at) VALUES ($id, $name, $hash, $secrets, $cc, $tz, $now)",
            t,
            ("$id", client.Id),
            ("$name", client.Name),
            ("$hash", client.ApiKeyHash),
            ("$secrets", JsonSerializer.Serialize(client.Secrets)),
            ("$cc", client.DefaultCountryCode),
            ("$tz", client.TimeZone),
            ("$now", clock.GetUtcNow().Ms())).ExecAsync() == 1, ct);

    private static Client Map(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        JsonSerializer.Deserialize<ClientChannelSecrets>(r.GetString(3))!,
        r.GetString(4),
        r.GetString(5));
}
