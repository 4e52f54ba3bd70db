using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using SalesFlow.Core.Common;
using ValidationException = SalesFlow.Core.Common.ValidationException;

namespace SalesFlow.Core.Knowledge;

/// <summary>One FAQ as imported; without an id, the question itself names it (importing it again replaces it).</summary>
public sealed record FaqInput(string? Id, string? Question, string? Answer);

/// <summary>A document as given to the API.</summary>
public sealed record DocumentInput(string? Id, string? Title, string ContentType, string? Content);

/// <summary>FAQ CSV: a header row naming question and answer (and optionally id), in any order and case.</summary>
public static class FaqCsv
{
    public static IReadOnlyList<FaqInput> Parse(string csv)
    {
        using var reader = UploadedCsv.Open(csv);
        try
        {
            if (!reader.Read() || !reader.ReadHeader())
            {
                throw new ValidationException("body", "The CSV is empty; its first row must name the columns question,answer (and optionally id).");
            }

            var header = reader.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToList();
            if (!header.Contains("question") || !header.Contains("answer"))
            {
                throw new ValidationException("body", "The CSV header must name the columns question and answer (and optionally id).");
            }

            var hasId = header.Contains("id");
            var faqs = new List<FaqInput>();
            while (reader.Read())
            {
                faqs.Add(new FaqInput(hasId ? NullIfEmpty(reader.GetField("id")) : null, reader.GetField("question"), reader.GetField("answer")));
            }

            return faqs;
        }
        catch (CsvHelperException e)
        {
            throw new ValidationException("body", $"The CSV could not be read (row {e.Context?.Parser?.Row}): {e.Message.Split('\n')[0]}");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
