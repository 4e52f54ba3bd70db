using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using SalesFlow.Core.Common;
using ValidationException = SalesFlow.Core.Common.ValidationException;

namespace SalesFlow.Core.Outreach;

/// <summary>One data row of a lead import: its row number in the file (the header is row 1), the lead, or the bad field.</summary>
public sealed record LeadCsvRow(int Row, LeadSubmission? Submission, SubmissionError? Error);

/// <summary>
/// Lead import CSV (POST /api/leads/import): a header row naming the columns, in any order and case, of
/// <c>name,phone,email,consent_whatsapp,consent_sms,consent_email,source,interest,message</c>; only <c>name</c> and
/// one of <c>phone</c>/<c>email</c> are required, unknown columns are refused. Consent cells read true/false, yes/no,
/// y/n, 1/0, ja/nein or x; an empty cell is no consent. The delimiter (comma, semicolon, tab) is detected.
/// </summary>
public static class LeadCsv
{
    public static readonly IReadOnlyList<string> Columns = ["name", "phone", "email", "consent_whatsapp", "consent_sms", "consent_email", "source", "interest", "message"];

    /// <param name="maxRows">More data rows than this is a <see cref="TooManyRowsException"/> (413).</param>
    public static IReadOnlyList<LeadCsvRow> Parse(string csv, int maxRows)
    {
        using var reader = UploadedCsv.Open(csv);
        try
        {
            if (!reader.Read() || !reader.ReadHeader())
            {
                throw new ValidationException("body", "The CSV is empty; its first row must name the columns " + string.Join(',', Columns) + ".");
            }

            var header = reader.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToList();
            if (header.FirstOrDefault(h => !Columns.Contains(h)) is { } unknown)
            {
                throw new ValidationException("body", $"Unknown column '{unknown}'; the columns are {string.Join(',', Columns)}.");
            }

            if (!header.Contains("name") || (!header.Contains("phone") && !header.Contains("email")))
            {
                throw new ValidationException("body", "The CSV header must name the column name and at least one of phone and email.");
            }

            var rows = new List<LeadCsvRow>();
            while (reader.Read())
            {
                if (rows.Count == maxRows)
                {
                    throw new TooManyRowsException(maxRows);
                }

                var row = reader.Parser.Row;
                string? Cell(string column) => header.Contains(column) ? reader.GetField(column) : null;
                var (consent, error) = Consent(Cell("consent_whatsapp"), Cell("consent_sms"), Cell("consent_email"));
                rows.Add(error is not null
                    ? new LeadCsvRow(row, null, error)
                    : new LeadCsvRow(row, new LeadSubmission(Cell("name"), Cell("phone"), Cell("email"), consent!, Cell("source"), Cell("interest"), Cell("message")), null));
            }

            return rows;
        }
        catch (CsvHelperException e)
        {
            throw new ValidationException("body", $"The CSV could not be read (row {e.Context?.Parser?.Row}): {e.Message.Split('\n')[0]}");
        }
    }

    private static (ContactConsent? Consent, SubmissionError? Error) Consent(string? whatsApp, string? sms, string? email)
    {
        var values = new List<bool>();
        foreach (var (column, cell) in new[] { ("consent_whatsapp", whatsApp), ("consent_sms", sms), ("consent_email", email) })
        {
            if (YesNo(cell) is not { } value)
            {
                return (null, new SubmissionError(column, $"{column} is '{cell}'; write true or false (yes/no, 1/0)."));
            }

            values.Add(value);
        }

        return (new ContactConsent(values[0], values[1], values[2]), null);
    }

    private static bool? YesNo(string? cell) => cell?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "no" or "n" or "0" or "nein" => false,
        "true" or "yes" or "y" or "1" or "ja" or "x" => true,
        _ => null,
    };
}

/// <summary>An import with more rows than one request may carry (413: split the file).</summary>
public sealed class TooManyRowsException(int maxRows) : Exception($"An import carries at most {maxRows} rows; split the file.")
{
    public int MaxRows { get; } = maxRows;
}
