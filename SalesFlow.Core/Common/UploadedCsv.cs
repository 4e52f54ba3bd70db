using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SalesFlow.Core.Common;

/// <summary>
/// How SalesFlow reads a CSV a person uploaded (FAQs, lead imports): headers matched trimmed and case-insensitively, the
/// delimiter (comma, semicolon, tab) detected, cells trimmed, and ragged or quoted-oddly rows left to the caller's
/// per-row validation instead of failing the whole file.
/// </summary>
public static class UploadedCsv
{
    public static CsvReader Open(string csv) => new(new StringReader(csv), new CsvConfiguration(CultureInfo.InvariantCulture)
    {
        PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
        DetectDelimiter = true,
        BadDataFound = null,
        MissingFieldFound = null,
        TrimOptions = TrimOptions.Trim,
    });
}
