using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>
/// A deliberately small MIME reader for inbound e-mail: headers, the first text/plain (else text/html) body part,
/// transfer decoding (quoted-printable, base64) and charset decoding, and an attachment count. Nested multiparts
/// (multipart/alternative inside multipart/mixed, ...) are walked depth-first.
/// </summary>
internal static partial class MimeMessageText
{
    private const int MaxDepth = 8;

    internal sealed record Result(IReadOnlyDictionary<string, string> Headers, string? PlainText, string? HtmlText, int Attachments);

    /// <summary>Reads a raw RFC 5322 message given as bytes.</summary>
    public static Result Read(byte[] raw)
    {
        // Latin-1 maps every byte to one char, so the MIME structure (ASCII) can be handled as a string and
        // each body part turned back into its exact bytes before charset decoding.
        var text = Encoding.Latin1.GetString(raw);
        if (text.StartsWith("\u00EF\u00BB\u00BF", StringComparison.Ordinal))
        {
            text = text[3..];
        }

        var state = new WalkState();
        var headers = Walk(text, state, 0);
        return new Result(headers, state.Plain, state.Html, state.Attachments);
    }

    private sealed class WalkState
    {
        public string? Plain { get; set; }
        public string? Html { get; set; }
        public int Attachments { get; set; }
    }

    private static Dictionary<string, string> Walk(string entity, WalkState state, int depth)
    {
        var (headers, body) = SplitHeaders(entity);
        var contentTypeText = headers.GetValueOrDefault("content-type") ?? "text/plain; charset=us-ascii";
        MediaTypeHeaderValue.TryParse(contentTypeText, out var contentType);
        var mediaType = contentType?.MediaType.Value?.ToLowerInvariant() ?? "text/plain";
        var disposition = headers.GetValueOrDefault("content-disposition") ?? string.Empty;
        var isAttachment = disposition.TrimStart().StartsWith("attachment", StringComparison.OrdinalIgnoreCase)
            || disposition.Contains("filename", StringComparison.OrdinalIgnoreCase);

        if (mediaType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var boundary = HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value;
            if (string.IsNullOrEmpty(boundary) || depth >= MaxDepth)
            {
                return headers;
            }

            foreach (var part in SplitMultipart(body, boundary))
            {
                Walk(part, state, depth + 1);
            }

            return headers;
        }

        if (isAttachment || mediaType.StartsWith("image/", StringComparison.Ordinal) || mediaType.StartsWith("application/", StringComparison.Ordinal)
            || mediaType.StartsWith("audio/", StringComparison.Ordinal) || mediaType.StartsWith("video/", StringComparison.Ordinal)
            || mediaType.StartsWith("message/", StringComparison.Ordinal))
        {
            state.Attachments++;
            return headers;
        }

        if (mediaType is "text/plain" or "text/html")
        {
            var bytes = DecodeTransfer(body, headers.GetValueOrDefault("content-transfer-encoding"));
            var decoded = DecodeCharset(bytes, HeaderUtilities.RemoveQuotes(contentType?.Charset ?? default).Value);
            if (mediaType == "text/plain")
            {
                state.Plain ??= decoded;
            }
            else
            {
                state.Html ??= decoded;
            }
        }

        return headers;
    }

    /// <summary>Splits header block and body at the first empty line; unfolds headers; names are lower-case.</summary>
    internal static (Dictionary<string, string> Headers, string Body) SplitHeaders(string entity)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var normalized = entity;
        var end = FindBlankLine(normalized, out var separatorLength);
        var headerBlock = end < 0 ? normalized : normalized[..end];
        var body = end < 0 ? string.Empty : normalized[(end + separatorLength)..];

        string? currentName = null;
        foreach (var rawLine in headerBlock.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if ((line[0] == ' ' || line[0] == '\t') && currentName is not null)
            {
                headers[currentName] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            currentName = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            // The first occurrence wins (Received: repeats; From/Subject/Message-ID do not).
            if (!headers.ContainsKey(currentName))
            {
                headers[currentName] = value;
            }
            else
            {
                currentName = null;
            }
        }

        return (headers, body);
    }

    private static int FindBlankLine(string text, out int separatorLength)
    {
        if (text.StartsWith("\r\n", StringComparison.Ordinal))
        {
            separatorLength = 2;
            return 0;
        }

        if (text.StartsWith('\n'))
        {
            separatorLength = 1;
            return 0;
        }

        var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (crlf >= 0 && (lf < 0 || crlf <= lf))
        {
            separatorLength = 4;
            return crlf;
        }

        separatorLength = 2;
        return lf;
    }

    private static IEnumerable<string> SplitMultipart(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var lines = body.Split('\n');
        StringBuilder? current = null;
        foreach (var rawLine in lines)
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith(delimiter, StringComparison.Ordinal))
            {
                var rest = line[delimiter.Length..].TrimEnd();
                if (current is not null)
                {
                    yield return TrimFinalNewline(current.ToString());
                }

                if (rest == "--")
                {
                    yield break;
                }

                current = new StringBuilder();
                continue;
            }

            current?.Append(rawLine).Append('\n');
        }

        if (current is not null)
        {
            yield return TrimFinalNewline(current.ToString());
        }
    }

    private static string TrimFinalNewline(string part)
    {
        // The line break before a delimiter belongs to the delimiter (RFC 2046).
        if (part.EndsWith('\n'))
        {
            part = part[..^1];
            if (part.EndsWith('\r'))
            {
                part = part[..^1];
            }
        }

        return part;
    }

    private static byte[] DecodeTransfer(string body, string? encoding)
    {
        switch (encoding?.Trim().ToLowerInvariant())
        {
            case "base64":
                var compact = WhitespaceRun().Replace(body, string.Empty);
                var buffer = new byte[compact.Length];
                return Convert.TryFromBase64String(compact, buffer, out var written) ? buffer[..written] : Encoding.Latin1.GetBytes(body);
            case "quoted-printable":
                return DecodeQuotedPrintable(body);
            default:
                return Encoding.Latin1.GetBytes(body);
        }
    }

    /// <summary>Quoted-printable (RFC 2045): =XX bytes and soft line breaks (= at line end).</summary>
    internal static byte[] DecodeQuotedPrintable(string body, bool underscoreIsSpace = false)
    {
        var output = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '=')
            {
                if (i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
                {
                    output.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                    i += 2;
                    continue;
                }

                // Soft line break: "=" followed by optional whitespace and CRLF/LF.
                var j = i + 1;
                while (j < body.Length && (body[j] == ' ' || body[j] == '\t'))
                {
                    j++;
                }

                if (j < body.Length && body[j] == '\r')
                {
                    j++;
                }

                if (j < body.Length && body[j] == '\n')
                {
                    i = j;
                    continue;
                }

                if (j >= body.Length)
                {
                    break;
                }

                output.Add((byte)'=');
                continue;
            }

            output.Add(underscoreIsSpace && c == '_' ? (byte)' ' : (byte)(c & 0xFF));
        }

        return [.. output];
    }

    internal static string DecodeCharset(byte[] bytes, string? charset)
    {
        var encoding = GetEncoding(charset) ?? Encoding.UTF8;
        var text = encoding.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>
    /// The bytes in their charset, or null when they are not text in it (invalid UTF-8, a byte the charset does not
    /// define): for fields that identify (addresses, ids), where U+FFFD would let two different values read the same.
    /// </summary>
    internal static string? TryDecodeCharsetStrictly(byte[] bytes, string? charset)
    {
        var encoding = Common.ReadableText.StrictUtf8 as Encoding;
        if (GetEncoding(charset) is { } named)
        {
            encoding = (Encoding)named.Clone();
            encoding.DecoderFallback = DecoderFallback.ExceptionFallback;
        }

        try
        {
            var text = encoding.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    internal static Encoding? GetEncoding(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(charset.Trim()) ?? Encoding.GetEncoding(charset.Trim());
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // Unknown or disabled charsets (utf-7, made-up names) fall back to UTF-8.
            return null;
        }
    }

    /// <summary>Decodes RFC 2047 encoded words (=?charset?B|Q?...?=) in a header value.</summary>
    internal static string DecodeEncodedWords(string value)
    {
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        // Whitespace between two adjacent encoded words is not part of the text.
        var joined = BetweenEncodedWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, match =>
        {
            var encoding = GetEncoding(match.Groups["charset"].Value) ?? Encoding.UTF8;
            var payload = match.Groups["text"].Value;
            try
            {
                var bytes = match.Groups["enc"].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                    ? Convert.FromBase64String(payload)
                    : DecodeQuotedPrintable(payload, underscoreIsSpace: true);
                return encoding.GetString(bytes);
            }
            catch (FormatException)
            {
                return match.Value;
            }
        });
    }

    /// <summary>
    /// HTML to text: drops head/script/style/title, breaks lines at &lt;br&gt;, block ends and list items, decodes
    /// entities. An HTML parser, not regexes: the sender controls the markup, and patterns such as
    /// "&lt;style&gt;.*?&lt;/style&gt;" take quadratic time on unclosed tags (seconds for a few dozen KB).
    /// </summary>
    public static string HtmlToText(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll("head, script, style, title, noscript, template").ToList())
        {
            hidden.Remove();
        }

        var text = new StringBuilder();
        // Depth-first with an explicit stack: the nesting depth is the sender's choice too.
        var pending = new Stack<(AngleSharp.Dom.INode Node, bool End)>();
        pending.Push((document.Body ?? (AngleSharp.Dom.INode)document, false));
        while (pending.TryPop(out var item))
        {
            if (item.End)
            {
                text.Append('\n');
                continue;
            }

            switch (item.Node)
            {
                case AngleSharp.Dom.IText textNode:
                    text.Append(textNode.Data);
                    break;
                case AngleSharp.Dom.IElement element when element.LocalName == "br":
                    text.Append('\n');
                    break;
                default:
                    var name = (item.Node as AngleSharp.Dom.IElement)?.LocalName;
                    if (name is "li" or "tr")
                    {
                        text.Append('\n');
                    }

                    if (name is not null && BlockEnds.Contains(name))
                    {
                        pending.Push((item.Node, true));
                    }

                    for (var i = item.Node.ChildNodes.Length - 1; i >= 0; i--)
                    {
                        pending.Push((item.Node.ChildNodes[i], false));
                    }

                    break;
            }
        }

        var lines = text.ToString().Replace('\u00A0', ' ').Replace("\r\n", "\n").Split('\n').Select(line => SpaceRun().Replace(line, " ").Trim());
        return ManyBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    /// <summary>Elements whose end is a line break.</summary>
    private static readonly HashSet<string> BlockEnds = new(StringComparer.Ordinal) { "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table" };

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex SpaceRun();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBlankLines();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex BetweenEncodedWords();

    [GeneratedRegex(@"=\?(?<charset>[^?*]+)(\*[^?]+)?\?(?<enc>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();
}
