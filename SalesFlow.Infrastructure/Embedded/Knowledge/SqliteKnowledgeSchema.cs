using System.Globalization;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Infrastructure.Embedded.Knowledge;

/// <summary>
/// Knowledge tables in the embedded store (created on first use, beside the core schema). Chunks
/// carry client and base ids. The FTS5 table is contentless (the text lives in knowledge_chunks) and
/// indexes the chunk's terms as <see cref="Knowledge.TextTerms"/> makes them (stop words out, stemmed),
/// so the keyword side and the embedder agree on words and how common a query term is can be
/// counted before it is scored.
/// </summary>
internal static class SqliteKnowledgeSchema
{
    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS knowledge_bases (
            client_id TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE TABLE IF NOT EXISTS knowledge_sources (
            client_id TEXT NOT NULL,
            base_id TEXT NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT,
            content_type TEXT NOT NULL,
            content TEXT NOT NULL,
            status TEXT NOT NULL,
            chunk_count INTEGER NOT NULL DEFAULT 0,
            token_count INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, base_id, id)
        );
        -- A base's sources page newest first from here.
        CREATE INDEX IF NOT EXISTS ix_knowledge_sources_created ON knowledge_sources (client_id, base_id, created_at, id);
        -- The per-client quota counts (documents, chunks) from the index alone: a source row carries its whole content.
        CREATE INDEX IF NOT EXISTS ix_knowledge_sources_usage ON knowledge_sources (client_id, kind, chunk_count);
        CREATE TABLE IF NOT EXISTS knowledge_chunks (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL,
            base_id TEXT NOT NULL,
            source_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            tokens INTEGER NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_knowledge_chunks_source ON knowledge_chunks (client_id, base_id, source_id);
        -- Covers the keyword join's tenant check: a few bytes per chunk instead of rows that carry text and a vector.
        CREATE INDEX IF NOT EXISTS ix_knowledge_chunks_scope ON knowledge_chunks (id, client_id, base_id);
        CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5(
            terms, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
        -- Which TextTerms.Version made the stored terms.
        CREATE TABLE IF NOT EXISTS knowledge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """;

    /// <summary>A chunk's keyword terms: its title's and its text's (what a search's terms are matched against).</summary>
    public static string IndexTerms(string? title, string text) => string.Join(' ', TextTerms.Words(title is { Length: > 0 } ? title + "\n" + text : text));

    private static readonly HashSet<string> Ready = [];

    public static void Ensure(SqliteDatabase db)
    {
        lock (Ready)
        {
            if (!Ready.Add(db.Path))
            {
                return;
            }

            using var connection = db.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Ddl;
            command.ExecuteNonQuery();
            MakeTermsAgainIfStale(connection);
        }
    }

    /// <summary>
    /// Makes every chunk's keyword terms again when they were made another way than <see cref="TextTerms.Version"/>
    /// makes them: a query's terms would miss the stored ones ("price" stored, "pric" searched since a final "e" is
    /// dropped). Once, in one transaction; the chunks' text and vectors stay as they are.
    /// </summary>
    private static void MakeTermsAgainIfStale(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "SELECT value FROM knowledge_meta WHERE key = 'terms'";
        var current = TextTerms.Version.ToString(CultureInfo.InvariantCulture);
        if (version.ExecuteScalar() as string == current)
        {
            return;
        }

        using var clear = connection.CreateCommand();
        clear.Transaction = transaction;
        clear.CommandText = "INSERT INTO knowledge_fts (knowledge_fts) VALUES ('delete-all')";
        clear.ExecuteNonQuery();

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO knowledge_fts (rowid, terms) VALUES ($id, $terms)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var terms = insert.Parameters.Add("$terms", SqliteType.Text);
        using var chunks = connection.CreateCommand();
        chunks.Transaction = transaction;
        chunks.CommandText = "SELECT id, title, text FROM knowledge_chunks";
        using (var reader = chunks.ExecuteReader())
        {
            while (reader.Read())
            {
                id.Value = reader.GetInt64(0);
                terms.Value = IndexTerms(reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
                insert.ExecuteNonQuery();
            }
        }

        version.CommandText = "INSERT INTO knowledge_meta (key, value) VALUES ('terms', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        version.Parameters.AddWithValue("$v", current);
        version.ExecuteNonQuery();
        transaction.Commit();
    }
}
