using Microsoft.Data.Sqlite;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Observability;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>A data folder written before the config API: its clients table gains the new columns on open.</summary>
public sealed class SqliteClientColumnsMigrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("salesflow-migrate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AClientsTableWithoutTheConfigColumnsIsUpgradedAndItsRowsStillRead()
    {
        var path = Path.Combine(_dir, "salesflow.db");
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT NOT NULL, api_key_hash TEXT NOT NULL UNIQUE, secrets_json TEXT NOT NULL,
                    default_country_code TEXT NOT NULL, time_zone TEXT NOT NULL, created_at INTEGER NOT NULL);
                INSERT INTO clients VALUES ('acme', 'Acme', 'hash', '{"WhatsAppAppSecret":"a","WhatsAppVerifyToken":"b","TwilioAuthToken":"c","EmailWebhookSecret":"d"}', '49', 'Europe/Berlin', 0);
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        using var db = new SqliteDatabase(path, new RuntimeHealth());
        var store = new SqliteClientStore(db, TimeProvider.System);

        var acme = (await store.GetAsync("acme", default))!;
        var written = await store.ReplaceAsync(acme with { Config = new ClientConfig(Language: "de") }, default);

        Assert.Equal(new ClientChannelSecrets("a", "b", "c", "d"), acme.Secrets);
        Assert.Equal("de", (await store.GetAsync("acme", default))!.Config!.Language);
        Assert.NotEqual(acme.ETag, written.ETag);
    }
}
