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
    public static IReadOnlyList<FaqInput> Parse(string csv) => Parse(csv, out _);

    /// <param name="rows">Per FAQ, its row in the file as a spreadsheet numbers it (the header is row 1).</param>
    public static IReadOnlyList<FaqInput> Parse(string csv, out IReadOnlyList<int> rows)
    {
        var numbers = new List<int>();
        rows = numbers;
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
                numbers.Add(reader.Parser.Row);
            }

            return faqs;
        }
        catch (CsvHelperException e)
        {
            throw new ValidationException("body", $"The CSV could not be read (row {e.Context?.Parser?.Row}): {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The parsed rows as an import checks them, a bad cell told by its row and column (see <see cref="AtRow"/>); nothing is imported.</summary>
    public static void Check(IReadOnlyList<FaqInput> faqs, IReadOnlyList<int> rows)
    {
        try
        {
            KnowledgeService.ValidateFaqs(faqs);
        }
        catch (ValidationException e) when (AtRow(e, rows) is { } atRow)
        {
            throw atRow;
        }
    }

    /// <summary>
    /// An import's complaint about faqs[i].column told as the CSV's row and column ("row 3.answer"), so whoever fixes
    /// the file finds the cell; null for a complaint about no single row.
    /// </summary>
    public static ValidationException? AtRow(ValidationException error, IReadOnlyList<int> rows)
    {
        var match = System.Text.RegularExpressions.Regex.Match(error.Field, @"^faqs\[(\d+)\]\.(\w+)$");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, out var index) || index >= rows.Count)
        {
            return null;
        }

        var (row, column) = (rows[index], match.Groups[2].Value);
        var reason = error.Message.Replace($"faqs[{index}].", "", StringComparison.Ordinal);
        return new ValidationException($"row {row}.{column}", $"CSV row {row}, column {column}: {reason}");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
