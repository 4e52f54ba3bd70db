using System.Net;
using System.Text;

namespace SalesFlow.Core.Alerts;

/// <summary>
/// One staff e-mail built once and rendered twice: a plain-text body and its HTML twin. Every value is HTML-encoded on
/// the way into the HTML (lead names and messages are written by strangers), so no caller has to remember to.
/// </summary>
public sealed class StaffEmail(string subject, string heading)
{
    private readonly List<(string Label, string Value)> _facts = [];
    private readonly List<string> _paragraphs = [];
    private readonly List<(string Who, string Text)> _quotes = [];
    private string? _quotesTitle;
    private string? _footer;

    public string Subject { get; } = subject;

    public StaffEmail Paragraph(string text)
    {
        _paragraphs.Add(text);
        return this;
    }

    /// <summary>A labelled value; a null or blank value is left out.</summary>
    public StaffEmail Fact(string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            _facts.Add((label, value.Trim()));
        }

        return this;
    }

    public StaffEmail Quotes(string title, IEnumerable<(string Who, string Text)> quotes)
    {
        _quotesTitle = title;
        _quotes.AddRange(quotes);
        return this;
    }

    public StaffEmail Footer(string text)
    {
        _footer = text;
        return this;
    }

    public string Text()
    {
        var text = new StringBuilder(heading).Append("\n\n");
        foreach (var paragraph in _paragraphs)
        {
            text.Append(paragraph).Append("\n\n");
        }

        foreach (var (label, value) in _facts)
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }

        if (_quotes.Count > 0)
        {
            text.Append('\n').Append(_quotesTitle).Append('\n');
            foreach (var (who, quote) in _quotes)
            {
                text.Append("> ").Append(who).Append(": ").Append(quote.ReplaceLineEndings(" ")).Append('\n');
            }
        }

        if (_footer is not null)
        {
            text.Append("\n--\n").Append(_footer).Append('\n');
        }

        return text.ToString();
    }

    public string Html()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(Subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f4f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933\">")
            .Append("<table role=\"presentation\" width=\"100%\" style=\"max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;border-collapse:separate\">")
            .Append("<tr><td style=\"padding:24px 28px\">")
            .Append("<h1 style=\"font-size:20px;margin:0 0 16px\">").Append(E(heading)).Append("</h1>");
        foreach (var paragraph in _paragraphs)
        {
            html.Append("<p style=\"margin:0 0 12px;line-height:1.5\">").Append(E(paragraph)).Append("</p>");
        }

        if (_facts.Count > 0)
        {
            html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:8px 0 16px\">");
            foreach (var (label, value) in _facts)
            {
                html.Append("<tr><td style=\"padding:4px 16px 4px 0;color:#52606d;vertical-align:top\">").Append(E(label))
                    .Append("</td><td style=\"padding:4px 0;font-weight:600\">").Append(E(value)).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        if (_quotes.Count > 0)
        {
            html.Append("<h2 style=\"font-size:15px;margin:16px 0 8px\">").Append(E(_quotesTitle ?? "")).Append("</h2>");
            foreach (var (who, quote) in _quotes)
            {
                html.Append("<blockquote style=\"margin:0 0 8px;padding:8px 12px;border-left:3px solid #cbd2d9;background:#f9fafb\"><strong>")
                    .Append(E(who)).Append(":</strong> ").Append(E(quote)).Append("</blockquote>");
            }
        }

        if (_footer is not null)
        {
            html.Append("<p style=\"margin:24px 0 0;font-size:12px;color:#7b8794\">").Append(E(_footer)).Append("</p>");
        }

        return html.Append("</td></tr></table></body></html>").ToString();
    }

    /// <summary>Encoded, with line breaks kept.</summary>
    private static string E(string value) => WebUtility.HtmlEncode(value).ReplaceLineEndings("<br>");
}
