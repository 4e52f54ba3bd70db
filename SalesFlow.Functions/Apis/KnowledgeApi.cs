using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public sealed record CreateKnowledgeBaseRequest(string? Name, string? Description);

public sealed record DocumentRequest(string? Id, string? Title, string? ContentType, string? Content);

public sealed record FaqRequest(string? Id, string? Question, string? Answer);

public sealed record FaqBulkRequest(List<FaqRequest?>? Faqs);

public sealed record KnowledgeSearchRequest(string? Query, string? KnowledgeBaseId, int? Top, double? MinScore, string? Mode);

/// <summary>A client's knowledge bases: import documents and FAQs, watch ingestion, search. Never another client's.</summary>
public static class KnowledgeApi
{
    public const int MaxBaseLimit = 100;
    public const int MaxSourceLimit = 1000;

    public static IEndpointRouteBuilder MapKnowledgeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/knowledge").WithTags("Knowledge").RequireClientKey();
        api.MapPost("/bases", CreateBaseAsync).WithName("CreateKnowledgeBase").WithSummary("Create a knowledge base {name, description?}.")
            .Produces<KnowledgeBaseDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict) // a knowledge quota (Knowledge:Max…) is reached
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/bases", ListBasesAsync).WithName("ListKnowledgeBases")
            .WithSummary($"The client's knowledge bases with their stats, in creation order. Paged: limit 1..{MaxBaseLimit} (default {MaxBaseLimit}), then ?cursor=<next> until next is null.")
            .Produces<KnowledgeBasePageDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/bases/{id}", GetBaseAsync).WithName("GetKnowledgeBase")
            .WithSummary($"A base, its stats and its sources with ingestion status, newest first. Sources are paged: limit 1..{MaxSourceLimit} (default {MaxSourceLimit}), then ?cursor=<next> until next is null.")
            .Produces<KnowledgeBaseDetailDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/bases/{id}", DeleteBaseAsync).WithName("DeleteKnowledgeBase").WithSummary("Delete a base with everything in it.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/bases/{id}/documents", AddDocumentAsync).WithName("AddKnowledgeDocument").WithSummary("Add or replace a document: JSON {id?, title?, contentType, content} or a text/plain, text/markdown or text/html body (?id=&title=). Large documents are ingested as queue work (202).")
            .DescribesBody(typeof(DocumentRequest), "application/json", "text/plain", "text/markdown", "text/html")
            .Produces<KnowledgeSourceDto>(StatusCodes.Status201Created)
            .Produces<KnowledgeSourceDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict) // a knowledge quota (Knowledge:Max…) is reached
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/bases/{id}/documents/{sourceId}", GetSourceAsync).WithName("GetKnowledgeSource").WithSummary("One document or FAQ with its ingestion status and chunk count.")
            .Produces<KnowledgeSourceDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/bases/{id}/faqs", AddFaqAsync).WithName("AddKnowledgeFaq").WithSummary("Add or replace one FAQ {id?, question, answer}.")
            .Produces<KnowledgeSourceDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict) // a knowledge quota (Knowledge:Max…) is reached
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/bases/{id}/faqs/bulk", ImportFaqsAsync).WithName("ImportKnowledgeFaqs").WithSummary("Import FAQs: JSON {faqs:[{id?, question, answer}]} or CSV (question,answer[,id]); the same id replaces.")
            .DescribesBody(typeof(FaqBulkRequest), "application/json", "text/csv")
            .Produces<FaqImportDto>()
            .ProducesProblem(StatusCodes.Status409Conflict) // a knowledge quota (Knowledge:Max…) is reached
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/bases/{id}/clear", ClearAsync).WithName("ClearKnowledgeBase").WithSummary("Remove every document and FAQ, keep the base.")
            .Produces<KnowledgeClearedDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/bases/{id}/stats", StatsAsync).WithName("KnowledgeBaseStats").WithSummary("Documents, FAQs, chunks, tokens, pending and last update.")
            .Produces<KnowledgeStatsDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/search", SearchAsync).WithName("SearchKnowledge").WithSummary("Search {query, knowledgeBaseId?, top?, minScore?, mode?}: passages with score and sourceId.")
            .Produces<KnowledgeSearchResultDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreateBaseAsync(CreateKnowledgeBaseRequest? request, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var created = await knowledge.CreateBaseAsync(client.Id, request?.Name, request?.Description, ct);
        return TypedResults.Created($"/api/knowledge/bases/{created.Id}", BaseDto(created, new KnowledgeStats(0, 0, 0, 0, 0, 0, created.UpdatedAt)));
    }

    private static async Task<IResult> ListBasesAsync(string? cursor, string? limit, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var listing = Paging.Listing("knowledge-bases");
        if (Paging.TryRead(http, listing, cursor, limit, MaxBaseLimit, MaxBaseLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var bases = await knowledge.ListBasesAsync(client.Id, page.After, page.Limit, ct);
        var items = new List<KnowledgeBaseDto>();
        foreach (var b in bases.Items)
        {
            items.Add(BaseDto(b, await knowledge.GetStatsAsync(client.Id, b.Id, ct)));
        }

        return TypedResults.Ok(new KnowledgeBasePageDto(items, Paging.Cursor(http, listing, bases.Next)));
    }

    private static async Task<IResult> GetBaseAsync(string id, string? cursor, string? limit, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var listing = Paging.Listing("knowledge-sources", id);
        if (Paging.TryRead(http, listing, cursor, limit, MaxSourceLimit, MaxSourceLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        if (await knowledge.GetBaseAsync(client.Id, id, ct) is not { } found)
        {
            return NotFound(http, id);
        }

        var sources = await knowledge.ListSourcesAsync(client.Id, id, page.After, page.Limit, ct);
        return TypedResults.Ok(new KnowledgeBaseDetailDto(
            BaseDto(found, await knowledge.GetStatsAsync(client.Id, id, ct)),
            [.. sources.Items.Select(SourceDto)],
            Paging.Cursor(http, listing, sources.Next)));
    }

    private static async Task<IResult> DeleteBaseAsync(string id, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        return await knowledge.DeleteBaseAsync(client.Id, id, ct) ? TypedResults.NoContent() : NotFound(http, id);
    }

    private static async Task<IResult> AddDocumentAsync(string id, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await knowledge.GetBaseAsync(client.Id, id, ct) is null)
        {
            return NotFound(http, id);
        }

        DocumentInput input;
        var media = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (media == "application/json")
        {
            var request = await ReadJsonAsync<DocumentRequest>(http, ct);
            input = new DocumentInput(request?.Id, request?.Title, request?.ContentType ?? DocumentBlocks.PlainText, request?.Content);
        }
        else if (DocumentBlocks.Normalize(media) is { } contentType)
        {
            input = new DocumentInput(Query(http, "id"), Query(http, "title"), contentType, await ReadTextAsync(http, ct));
        }
        else
        {
            return ErrorHandling.Problem(http, StatusCodes.Status415UnsupportedMediaType, "Send JSON {contentType, content} or a text/plain, text/markdown or text/html body.", "Content-Type");
        }

        if (knowledge.IsTooLarge(input.Content))
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<KnowledgeOptions>>().Value.MaxDocumentBytes;
            return ErrorHandling.Problem(http, StatusCodes.Status413PayloadTooLarge, $"The document is larger than {limit} bytes (Knowledge:MaxDocumentBytes); split it into several documents.", "content");
        }

        var source = await knowledge.AddDocumentAsync(client.Id, id, input, ct);
        var location = $"/api/knowledge/bases/{id}/documents/{source.Id}";
        return source.Status == IngestStatus.Ready ? TypedResults.Created(location, SourceDto(source)) : TypedResults.Accepted(location, SourceDto(source));
    }

    private static async Task<IResult> GetSourceAsync(string id, string sourceId, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var source = await knowledge.GetSourceAsync(client.Id, id, sourceId, ct);
        return source is null
            ? ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Source '{sourceId}' not found in knowledge base '{id}'.", "sourceId")
            : TypedResults.Ok(SourceDto(source));
    }

    private static async Task<IResult> AddFaqAsync(string id, FaqRequest? request, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await knowledge.GetBaseAsync(client.Id, id, ct) is null)
        {
            return NotFound(http, id);
        }

        var source = await knowledge.AddFaqAsync(client.Id, id, new FaqInput(request?.Id, request?.Question, request?.Answer), ct);
        return TypedResults.Created($"/api/knowledge/bases/{id}/documents/{source.Id}", SourceDto(source));
    }

    private static async Task<IResult> ImportFaqsAsync(string id, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await knowledge.GetBaseAsync(client.Id, id, ct) is null)
        {
            return NotFound(http, id);
        }

        var media = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        IReadOnlyList<int>? csvRows = null;
        IReadOnlyList<FaqInput>? faqs = media switch
        {
            "application/json" => (await ReadJsonAsync<FaqBulkRequest>(http, ct))?.Faqs?.Select(f => new FaqInput(f?.Id, f?.Question, f?.Answer)).ToList(),
            "text/csv" or "application/csv" or "text/plain" => FaqCsv.Parse(await ReadTextAsync(http, ct, "body"), out csvRows),
            _ => null,
        };
        if (faqs is null && media is not "application/json")
        {
            return ErrorHandling.Problem(http, StatusCodes.Status415UnsupportedMediaType, "Send JSON {faqs:[{id?, question, answer}]} or text/csv with a question,answer[,id] header.", "Content-Type");
        }

        if (csvRows is not null)
        {
            FaqCsv.Check(faqs!, csvRows);
        }

        var imported = await knowledge.ImportFaqsAsync(client.Id, id, faqs, ct);
        return TypedResults.Ok(new FaqImportDto(imported.Count, [.. imported.Select(s => s.Id)], StatsDto(await knowledge.GetStatsAsync(client.Id, id, ct))));
    }

    private static async Task<IResult> ClearAsync(string id, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await knowledge.GetBaseAsync(client.Id, id, ct) is null)
        {
            return NotFound(http, id);
        }

        var removed = await knowledge.ClearAsync(client.Id, id, ct);
        return TypedResults.Ok(new KnowledgeClearedDto(removed, StatsDto(await knowledge.GetStatsAsync(client.Id, id, ct))));
    }

    private static async Task<IResult> StatsAsync(string id, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        return await knowledge.GetBaseAsync(client.Id, id, ct) is null ? NotFound(http, id) : TypedResults.Ok(StatsDto(await knowledge.GetStatsAsync(client.Id, id, ct)));
    }

    private static async Task<IResult> SearchAsync(KnowledgeSearchRequest? request, HttpContext http, KnowledgeService knowledge, CancellationToken ct)
    {
        if (request is null)
        {
            return ErrorHandling.BadField(http, "body", "A JSON body {query, knowledgeBaseId?, top?, minScore?, mode?} is required.");
        }

        SearchMode mode;
        if (request.Mode is null)
        {
            mode = SearchMode.Hybrid;
        }
        else if (!WireNames.TryParse(request.Mode, out mode))
        {
            return ErrorHandling.BadField(http, "mode", $"mode must be one of {WireNames.List<SearchMode>()}.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        try
        {
            var passages = await knowledge.SearchAsync(client.Id, new KnowledgeQuery(request.Query ?? "", request.KnowledgeBaseId, request.Top, request.MinScore, mode), ct);
            return TypedResults.Ok(new KnowledgeSearchResultDto([.. passages.Select(PassageDto.From)]));
        }
        catch (KnowledgeBaseNotFoundException e)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, e.Message, "knowledgeBaseId");
        }
    }

    private static IResult NotFound(HttpContext http, string id) => ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Knowledge base '{id}' not found.", "id");

    private static string? Query(HttpContext http, string name) => http.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    private static async Task<T?> ReadJsonAsync<T>(HttpContext http, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException e) when (ErrorHandling.UnreadableJsonField(e) is { } field)
        {
            // A string that is not text: named by its field, never stored with U+FFFD.
            throw new ValidationException(field, $"{field} is not valid UTF-8 text.");
        }
        catch (JsonException e)
        {
            throw new ValidationException("body", $"The body is not valid JSON for this endpoint ({e.Path ?? "$"}).");
        }
    }

    /// <summary>A text body read strictly as UTF-8 (a leading BOM dropped): bytes that are not text are a 400 naming <paramref name="field"/>.</summary>
    private static async Task<string> ReadTextAsync(HttpContext http, CancellationToken ct, string field = "content")
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var text = ReadableText.TryDecodeUtf8(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[3..] : bytes)
            ?? throw new ValidationException(field, $"The {field} is not valid UTF-8 text; send it as UTF-8.");
        return text;
    }

    private static KnowledgeBaseDto BaseDto(KnowledgeBase b, KnowledgeStats stats) => KnowledgeBaseDto.From(b, stats);

    private static KnowledgeStatsDto StatsDto(KnowledgeStats s) => KnowledgeStatsDto.From(s);

    private static KnowledgeSourceDto SourceDto(KnowledgeSource s) => KnowledgeSourceDto.From(s);
}
