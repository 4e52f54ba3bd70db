using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class IntelligenceApi
{
    public const int MaxTextLength = 4000;

    public static IEndpointRouteBuilder MapIntelligenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/intelligence").WithTags("Intelligence").RequireClientKey();
        api.MapPost("/analyze", Analyze).WithName("AnalyzeMessage").WithSummary("Language, intent, sentiment and confidence of a text.")
            .Produces<MessageAnalysisDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static IResult Analyze(AnalyzeRequest? request, HttpContext http, MessageReader reader)
    {
        if (string.IsNullOrWhiteSpace(request?.Text))
        {
            return ErrorHandling.BadField(http, "text", "text is required.");
        }

        if (request.Text.Length > MaxTextLength)
        {
            return ErrorHandling.BadField(http, "text", $"text must be at most {MaxTextLength} characters.");
        }

        // The rules with the local learnt model, never an LLM: this endpoint is a free, deterministic reading.
        var a = reader.Read(request.Text);
        return TypedResults.Ok(new MessageAnalysisDto(a.Language, a.Intent.ToWire(), a.Sentiment.ToWire(), Math.Round(a.SentimentScore, 3), Math.Round(a.Confidence, 3)));
    }
}
