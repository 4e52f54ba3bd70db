using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge.Chunking;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Knowledge;

/// <summary>
/// Knowledge bases of a client: import (inline for small documents and FAQs, queued for large
/// documents), chunking, embedding, indexing and search. The caller has authenticated the client;
/// every call takes its id and passes it down to every store and index query.
/// </summary>
public sealed partial class KnowledgeService(
    IKnowledgeStore store,
    IKnowledgeIndex index,
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    IWorkQueue queue,
    IOptions<KnowledgeOptions> options,
    TimeProvider clock) : IKnowledgeRetriever
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxQuestionLength = 1000;
    public const int MaxAnswerLength = 8000;
    public const int MaxQueryLength = 2000;
    public const int MaxFaqsPerImport = 5000;
    private const int EmbedBatch = 64;

    /// <summary>
    /// Tokens per embedding request. Azure OpenAI counts a deployment's tokens-per-minute quota in windows of a few
    /// seconds: 64 chunks of 500 tokens (32K) in one request exceed a whole minute of a 30K-TPM deployment and are
    /// refused however often they are retried.
    /// </summary>
    internal const int EmbedBatchTokens = 4000;

    private KnowledgeOptions Options => options.Value;

    public async Task<KnowledgeBase> CreateBaseAsync(string clientId, string? name, string? description, CancellationToken ct)
    {
        if (!ReadableText.IsReadableLabel(name) || name!.Trim().Length > MaxNameLength)
        {
            throw new ValidationException("name", $"name is required: one readable line of at most {MaxNameLength} characters (no control characters).");
        }

        if (description is { Length: > MaxDescriptionLength } || !ReadableText.IsReadableProse(description))
        {
            throw new ValidationException("description", $"description must be readable text of at most {MaxDescriptionLength} characters (no control characters but line breaks and tabs).");
        }

        await EnsureQuotaAsync(clientId, new QuotaChange(Bases: 1, Documents: 0, Chunks: 0), "name", ct);
        var now = clock.GetUtcNow();
        var created = new KnowledgeBase(clientId, Ids.New("kb"), name.Trim(), description?.Trim(), now, now);
        await store.CreateBaseAsync(created, ct);
        return created;
    }

    public Task<KnowledgeBase?> GetBaseAsync(string clientId, string id, CancellationToken ct) => store.GetBaseAsync(clientId, id, ct);

    public Task<IReadOnlyList<KnowledgeBase>> ListBasesAsync(string clientId, CancellationToken ct) => store.ListBasesAsync(clientId, ct);

    /// <summary>
    /// One page of the client's bases in creation order (then id), after <paramref name="after"/>. The quota
    /// (<see cref="KnowledgeOptions.MaxBasesPerClient"/>) bounds how many there are, so the page is cut from the whole list.
    /// </summary>
    public async Task<Page<KnowledgeBase>> ListBasesAsync(string clientId, PagePosition? after, int limit, CancellationToken ct)
    {
        var bases = (await store.ListBasesAsync(clientId, ct))
            .Where(b => after is not { } p || b.CreatedAt.ToUnixTimeMilliseconds() > p.Key || (b.CreatedAt.ToUnixTimeMilliseconds() == p.Key && string.CompareOrdinal(b.Id, p.Id) > 0))
            .Take(limit + 1)
            .ToList();
        return Page<KnowledgeBase>.From(bases, limit, b => new PagePosition(b.CreatedAt.ToUnixTimeMilliseconds(), b.Id));
    }

    public async Task<bool> DeleteBaseAsync(string clientId, string id, CancellationToken ct)
    {
        if (await store.GetBaseAsync(clientId, id, ct) is null)
        {
            return false;
        }

        // The chunks go first: an index that fails leaves the base in place, so a retry finds it and finishes (searches
        // over "every base" read the index alone and would otherwise keep finding a deleted base's chunks).
        await index.DeleteBaseAsync(clientId, id, ct);
        return await store.DeleteBaseAsync(clientId, id, ct);
    }

    public Task<KnowledgeStats> GetStatsAsync(string clientId, string knowledgeBaseId, CancellationToken ct) => store.GetStatsAsync(clientId, knowledgeBaseId, ct);

    public Task<Page<KnowledgeSource>> ListSourcesAsync(string clientId, string knowledgeBaseId, PagePosition? after, int limit, CancellationToken ct) =>
        store.ListSourcesAsync(clientId, knowledgeBaseId, after, limit, ct);

    public Task<KnowledgeSource?> GetSourceAsync(string clientId, string knowledgeBaseId, string id, CancellationToken ct) => store.GetSourceAsync(clientId, knowledgeBaseId, id, ct);

    public async Task<int> ClearAsync(string clientId, string knowledgeBaseId, CancellationToken ct)
    {
        var removed = await store.ClearBaseAsync(clientId, knowledgeBaseId, ct);
        await index.DeleteBaseAsync(clientId, knowledgeBaseId, ct);
        return removed;
    }

    /// <summary>True when the document is too large to accept at all (the API answers 413).</summary>
    public bool IsTooLarge(string? content) => content is not null && Encoding.UTF8.GetByteCount(content) > Options.MaxDocumentBytes;

    /// <summary>
    /// Stores a document (same id replaces) and indexes it: inline when small, else as
    /// <see cref="Queues.IngestKnowledge"/> work whose progress shows in the source's status. The quotas are checked
    /// before anything is stored; a queued document's chunk count is known only once the work has chunked it.
    /// </summary>
    public async Task<KnowledgeSource> AddDocumentAsync(string clientId, string knowledgeBaseId, DocumentInput input, CancellationToken ct)
    {
        var contentType = DocumentBlocks.Normalize(input.ContentType)
            ?? throw new ValidationException("contentType", $"contentType must be one of {string.Join(", ", DocumentBlocks.ContentTypes)}.");
        if (string.IsNullOrWhiteSpace(input.Content))
        {
            throw new ValidationException("content", "content is required: the document's text, Markdown or HTML.");
        }

        if (IsTooLarge(input.Content))
        {
            throw new ValidationException("content", $"content is larger than {Options.MaxDocumentBytes} bytes (Knowledge:MaxDocumentBytes).");
        }

        var id = ValidId(input.Id) ?? Ids.New("doc");
        if (input.Title is { Length: > MaxNameLength * 2 } || (input.Title is { Length: > 0 } && !ReadableText.IsReadableLabel(input.Title)))
        {
            throw new ValidationException("title", $"title must be one readable line of at most {MaxNameLength * 2} characters.");
        }

        var queued = TokenEstimator.Count(input.Content) > Options.InlineIngestTokens;
        var existing = await ExistingAsync(clientId, knowledgeBaseId, id, ct);
        // Inline: chunked now, so the exact count is checked. Queued: only whether there is room for one chunk at all.
        var chunks = queued ? null : Chunk(SourceKind.Document, input.Content, contentType);
        await EnsureQuotaAsync(clientId, Change(existing, SourceKind.Document, chunks?.Count ?? 1), "content", ct);
        var source = await SaveSourceAsync(clientId, knowledgeBaseId, id, SourceKind.Document, input.Title?.Trim(), contentType, input.Content, existing, ct);
        if (chunks is null)
        {
            await queue.EnqueueAsync(Queues.IngestKnowledge, IngestKnowledgeWork.Serialize(new(clientId, knowledgeBaseId, id)), TimeSpan.Zero, $"ingest:{clientId}:{knowledgeBaseId}:{id}", ct);
            return source;
        }

        return await IngestAsync(source, chunks, ct) ?? source;
    }

    public async Task<KnowledgeSource> AddFaqAsync(string clientId, string knowledgeBaseId, FaqInput faq, CancellationToken ct)
    {
        var (id, question, answer) = ValidFaq(faq, "");
        var text = FaqText(question, answer);
        var existing = await ExistingAsync(clientId, knowledgeBaseId, id, ct);
        var chunks = Chunk(SourceKind.Faq, text, DocumentBlocks.PlainText);
        await EnsureQuotaAsync(clientId, Change(existing, SourceKind.Faq, chunks.Count), "question", ct);
        var source = await SaveSourceAsync(clientId, knowledgeBaseId, id, SourceKind.Faq, question, DocumentBlocks.PlainText, text, existing, ct);
        return await IngestAsync(source, chunks, ct) ?? source;
    }

    /// <summary>Every FAQ of an import as <see cref="ImportFaqsAsync"/> checks it: a 400 names faqs[i].question, .answer or .id.</summary>
    public static void ValidateFaqs(IReadOnlyList<FaqInput> faqs)
    {
        for (var i = 0; i < faqs.Count; i++)
        {
            ValidFaq(faqs[i], $"faqs[{i}].");
        }
    }

    /// <summary>
    /// Validates every FAQ and checks the quotas for the whole import before storing any (bad input or an import
    /// beyond a quota changes nothing), then imports them; same id replaces.
    /// </summary>
    public async Task<IReadOnlyList<KnowledgeSource>> ImportFaqsAsync(string clientId, string knowledgeBaseId, IReadOnlyList<FaqInput>? faqs, CancellationToken ct)
    {
        if (faqs is null || faqs.Count == 0)
        {
            throw new ValidationException("faqs", "faqs must hold at least one {question, answer}.");
        }

        if (faqs.Count > MaxFaqsPerImport)
        {
            throw new ValidationException("faqs", $"At most {MaxFaqsPerImport} FAQs per import.");
        }

        var valid = faqs.Select((f, i) => ValidFaq(f, $"faqs[{i}].")).ToList();
        // The last of several rows with the same id wins, as if they had been imported one after another.
        var rows = new List<(string Id, string Question, string Text, KnowledgeSource? Existing, IReadOnlyList<TextChunk> Chunks)>();
        var change = new QuotaChange(0, 0, 0);
        foreach (var (id, question, answer) in valid.GroupBy(f => f.Id).Select(g => g.Last()))
        {
            var text = FaqText(question, answer);
            var existing = await ExistingAsync(clientId, knowledgeBaseId, id, ct);
            var chunks = Chunk(SourceKind.Faq, text, DocumentBlocks.PlainText);
            change += Change(existing, SourceKind.Faq, chunks.Count);
            rows.Add((id, question, text, existing, chunks));
        }

        await EnsureQuotaAsync(clientId, change, "faqs", ct);
        var imported = new List<KnowledgeSource>();
        foreach (var (id, question, text, existing, chunks) in rows)
        {
            var source = await SaveSourceAsync(clientId, knowledgeBaseId, id, SourceKind.Faq, question, DocumentBlocks.PlainText, text, existing, ct);
            imported.Add(await IngestAsync(source, chunks, ct) ?? source);
        }

        return imported;
    }

    /// <summary>The queue handler's entry: (re-)index a stored source. Idempotent; a stale run yields to the newer import.</summary>
    public async Task IngestQueuedAsync(IngestKnowledgeWork work, CancellationToken ct)
    {
        if (await store.GetSourceAsync(work.ClientId, work.KnowledgeBaseId, work.SourceId, ct) is { } source)
        {
            await IngestAsync(source, chunked: null, ct);
        }
    }

    public async Task<IReadOnlyList<Passage>> SearchAsync(string clientId, KnowledgeQuery query, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.Query))
        {
            throw new ValidationException("query", "query is required.");
        }

        if (query.Query.Length > MaxQueryLength)
        {
            throw new ValidationException("query", $"query must be at most {MaxQueryLength} characters.");
        }

        if (query.Top is < 1 or > 50)
        {
            throw new ValidationException("top", "top must be between 1 and 50.");
        }

        if (query.MinScore is < 0 or > 1 || query.MinScore is double.NaN)
        {
            throw new ValidationException("minScore", "minScore must be between 0 and 1.");
        }

        IReadOnlyList<string>? bases = null;
        if (query.KnowledgeBaseId is { } baseId)
        {
            // Another client's base id is indistinguishable from a missing one.
            if (await store.GetBaseAsync(clientId, baseId, ct) is null)
            {
                throw new KnowledgeBaseNotFoundException(baseId);
            }

            bases = [baseId];
        }

        var vector = query.Mode == SearchMode.Keyword ? ReadOnlyMemory<float>.Empty : (await embedder.GenerateAsync([query.Query], cancellationToken: ct))[0].Vector;
        var hits = await index.SearchAsync(new IndexQuery(clientId, bases, query.Query, vector, query.Top ?? Options.DefaultTop, query.Mode), ct);
        var minScore = query.MinScore ?? Options.DefaultMinScore(query.Mode);
        return hits.Where(h => h.Score >= minScore && h.Source.ClientId == clientId)
            .Select(h => new Passage(h.Source.SourceId, h.Source.KnowledgeBaseId, h.Source.Kind, h.Source.Title, h.Text, Math.Round(h.Score, 4)))
            .ToList();
    }

    public async Task<KnowledgeContext> RetrieveAsync(string clientId, string query, int top, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return KnowledgeContext.Empty;
        }

        var text = query.Length > MaxQueryLength ? query[..MaxQueryLength] : query;
        var passages = await SearchAsync(clientId, new KnowledgeQuery(text, Top: Math.Clamp(top, 1, 50)), ct);
        return passages.Count == 0 ? KnowledgeContext.Empty : new KnowledgeContext(passages);
    }

    /// <summary>Consecutive chunks, at most <see cref="EmbedBatch"/> and <see cref="EmbedBatchTokens"/> per batch (a larger chunk goes alone).</summary>
    internal static IEnumerable<IReadOnlyList<TextChunk>> EmbeddingBatches(IReadOnlyList<TextChunk> chunks)
    {
        var batch = new List<TextChunk>();
        var tokens = 0;
        foreach (var chunk in chunks)
        {
            if (batch.Count > 0 && (batch.Count == EmbedBatch || tokens + chunk.Tokens > EmbedBatchTokens))
            {
                yield return batch;
                batch = [];
                tokens = 0;
            }

            batch.Add(chunk);
            tokens += chunk.Tokens;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>An FAQ is one chunk: the question and its answer together, so either side finds it.</summary>
    public static string FaqText(string question, string answer) => $"Q: {question}\nA: {answer}";

    /// <summary>
    /// Refuses a change that would take the client beyond a quota. The one place every import and every new base
    /// passes through. Only growth is checked: a replacement no larger than what it replaces always goes through, even
    /// when the limit was lowered below what the client already holds. Concurrent imports of one client may each pass
    /// before the other is recorded, so the limits can be overrun by what is in flight at once (as the AI budget can).
    /// </summary>
    private async Task EnsureQuotaAsync(string clientId, QuotaChange change, string field, CancellationToken ct)
    {
        if (change is { Bases: <= 0, Documents: <= 0, Chunks: <= 0 })
        {
            return;
        }

        var usage = await store.GetUsageAsync(clientId, ct);
        if (change.Bases > 0 && usage.Bases + change.Bases > Options.MaxBasesPerClient)
        {
            throw new KnowledgeQuotaExceededException("Knowledge:MaxBasesPerClient", field, Options.MaxBasesPerClient,
                $"This client already has {usage.Bases} knowledge bases; Knowledge:MaxBasesPerClient allows {Options.MaxBasesPerClient}. Delete a base first.");
        }

        if (change.Documents > 0 && usage.Documents + change.Documents > Options.MaxDocumentsPerClient)
        {
            throw new KnowledgeQuotaExceededException("Knowledge:MaxDocumentsPerClient", field, Options.MaxDocumentsPerClient,
                $"This client already has {usage.Documents} documents; Knowledge:MaxDocumentsPerClient allows {Options.MaxDocumentsPerClient}. Delete or replace a document (same id) instead.");
        }

        if (change.Chunks > 0 && usage.Chunks + change.Chunks > Options.MaxChunksPerClient)
        {
            throw new KnowledgeQuotaExceededException("Knowledge:MaxChunksPerClient", field, Options.MaxChunksPerClient,
                $"This would take the client to {usage.Chunks + change.Chunks} chunks (it has {usage.Chunks}); Knowledge:MaxChunksPerClient allows {Options.MaxChunksPerClient}. Remove documents or FAQs first.");
        }
    }

    /// <summary>What storing a source of <paramref name="kind"/> with <paramref name="chunks"/> chunks adds, net of the source it replaces.</summary>
    private static QuotaChange Change(KnowledgeSource? existing, SourceKind kind, int chunks) => new(
        Bases: 0,
        Documents: (kind == SourceKind.Document ? 1 : 0) - (existing?.Kind == SourceKind.Document ? 1 : 0),
        Chunks: chunks - (existing?.ChunkCount ?? 0));

    /// <summary>The source an import would replace, without its content (only its kind, chunk count and times are needed; a bulk import holds thousands).</summary>
    private async Task<KnowledgeSource?> ExistingAsync(string clientId, string knowledgeBaseId, string id, CancellationToken ct) =>
        await store.GetSourceAsync(clientId, knowledgeBaseId, id, ct) is { } found ? found with { Content = "" } : null;

    private IReadOnlyList<TextChunk> Chunk(SourceKind kind, string content, string contentType) => kind == SourceKind.Faq
        ? [new TextChunk(0, content, TokenEstimator.Count(content))]
        : new TextChunker(Options.ChunkTokens, Options.ChunkOverlapTokens).Chunk(content, contentType);

    private async Task<KnowledgeSource> SaveSourceAsync(string clientId, string knowledgeBaseId, string id, SourceKind kind, string? title, string contentType, string content, KnowledgeSource? existing, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The update time is the content's version (a stale queued run must not overwrite a newer import), so it always moves forward.
        var updatedAt = existing is not null && now <= existing.UpdatedAt ? existing.UpdatedAt.AddMilliseconds(1) : now;
        var source = new KnowledgeSource(clientId, knowledgeBaseId, id, kind, title, contentType, content, IngestStatus.Pending, 0, 0, null, existing?.CreatedAt ?? now, updatedAt);
        await store.UpsertSourceAsync(source, ct);
        return source;
    }

    /// <summary>
    /// Chunks (unless the caller has: <paramref name="chunked"/>, already checked against the quota), embeds and indexes
    /// a stored source. Queued work checks the chunk quota here, once the count is known; beyond it the source is
    /// marked failed with the reason, its older version's chunks are removed (the source holds the refused content
    /// now, and chunks no source counts would escape the quota), and the work ends without a retry: more tries cannot
    /// help.
    /// </summary>
    private async Task<KnowledgeSource?> IngestAsync(KnowledgeSource source, IReadOnlyList<TextChunk>? chunked, CancellationToken ct)
    {
        if (!await store.SetStatusAsync(source.ClientId, source.KnowledgeBaseId, source.Id, source.UpdatedAt, IngestStatus.Ingesting, 0, 0, null, ct))
        {
            return null;
        }

        try
        {
            var chunks = chunked ?? Chunk(source.Kind, source.Content, source.ContentType);
            if (chunked is null)
            {
                // The source's recorded chunks were reset to 0 above, so the usage no longer counts the version it replaces.
                await EnsureQuotaAsync(source.ClientId, new QuotaChange(0, 0, chunks.Count), "content", ct);
            }

            var indexed = new List<IndexedChunk>(chunks.Count);
            foreach (var batch in EmbeddingBatches(chunks))
            {
                var embeddings = await embedder.GenerateAsync(batch.Select(c => c.Text), cancellationToken: ct);
                indexed.AddRange(batch.Select((c, i) => new IndexedChunk(c.Ordinal, c.Text, c.Tokens, embeddings[i].Vector)));
            }

            await index.ReplaceSourceAsync(new ChunkSource(source.ClientId, source.KnowledgeBaseId, source.Id, source.Kind, source.Title), indexed, ct);
            var tokens = chunks.Sum(c => c.Tokens);
            await store.SetStatusAsync(source.ClientId, source.KnowledgeBaseId, source.Id, source.UpdatedAt, IngestStatus.Ready, chunks.Count, tokens, null, ct);
            return source with { Status = IngestStatus.Ready, ChunkCount = chunks.Count, TokenCount = tokens };
        }
        catch (KnowledgeQuotaExceededException e)
        {
            await index.DeleteSourceAsync(source.ClientId, source.KnowledgeBaseId, source.Id, CancellationToken.None);
            await store.SetStatusAsync(source.ClientId, source.KnowledgeBaseId, source.Id, source.UpdatedAt, IngestStatus.Failed, 0, 0, e.Message, CancellationToken.None);
            return source with { Status = IngestStatus.Failed, Error = e.Message };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed source has no chunks, as its status says: its stored content is already the new version, so the
            // old version's chunks would answer with text the client replaced, uncounted by the quota. The queue retries.
            await index.DeleteSourceAsync(source.ClientId, source.KnowledgeBaseId, source.Id, CancellationToken.None);
            await store.SetStatusAsync(source.ClientId, source.KnowledgeBaseId, source.Id, source.UpdatedAt, IngestStatus.Failed, 0, 0, e.Message, CancellationToken.None);
            throw;
        }
    }

    private static (string Id, string Question, string Answer) ValidFaq(FaqInput? faq, string prefix)
    {
        if (string.IsNullOrWhiteSpace(faq?.Question) || faq.Question.Length > MaxQuestionLength)
        {
            throw new ValidationException(prefix + "question", $"{prefix}question is required (at most {MaxQuestionLength} characters).");
        }

        if (string.IsNullOrWhiteSpace(faq.Answer) || faq.Answer.Length > MaxAnswerLength)
        {
            throw new ValidationException(prefix + "answer", $"{prefix}answer is required (at most {MaxAnswerLength} characters).");
        }

        var question = faq.Question.Trim();
        var id = ValidId(faq.Id, prefix + "id") ?? Ids.Deterministic("faq", TextTerms.Words(question, stem: false) is { Count: > 0 } words ? string.Join(' ', words) : question.ToLowerInvariant());
        return (id, question, faq.Answer.Trim());
    }

    private static string? ValidId(string? id, string field = "id") =>
        id is null ? null : IdPattern().IsMatch(id) ? id : throw new ValidationException(field, $"{field} must be 1–128 letters, digits or . _ : - (starting with a letter or digit).");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial Regex IdPattern();
}

/// <summary>What an import or a new base adds to a client's usage (negative where a replaced source was larger).</summary>
internal readonly record struct QuotaChange(int Bases, int Documents, long Chunks)
{
    public static QuotaChange operator +(QuotaChange a, QuotaChange b) => new(a.Bases + b.Bases, a.Documents + b.Documents, a.Chunks + b.Chunks);
}

/// <summary>The knowledge base does not exist for this client (the API answers 404).</summary>
public sealed class KnowledgeBaseNotFoundException(string id) : Exception($"Knowledge base '{id}' not found.")
{
    public string KnowledgeBaseId { get; } = id;
}
