using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Syntax;

namespace SalesFlow.Core.Knowledge.Chunking;

/// <summary>A structural piece of a document: a heading (level 1–6) or a body block (level 0).</summary>
public sealed record DocumentBlock(int HeadingLevel, string Text)
{
    public bool IsHeading => HeadingLevel > 0;
}

/// <summary>Turns plain text, Markdown or HTML into headings and body blocks, so chunks can follow the document's own structure.</summary>
public static class DocumentBlocks
{
    public const string PlainText = "text/plain";
    public const string Markdown = "text/markdown";
    public const string Html = "text/html";

    public static readonly IReadOnlyList<string> ContentTypes = [PlainText, Markdown, Html];

    /// <summary>Maps a Content-Type (parameters ignored, a few aliases accepted) to one of <see cref="ContentTypes"/>.</summary>
    public static string? Normalize(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/plain" or "text" or "plain" or "txt" => PlainText,
            "text/markdown" or "text/x-markdown" or "markdown" or "md" => Markdown,
            "text/html" or "application/xhtml+xml" or "html" => Html,
            _ => null,
        };
    }

    public static IReadOnlyList<DocumentBlock> Parse(string content, string contentType) => contentType switch
    {
        Markdown => FromMarkdown(content),
        Html => FromHtml(content),
        _ => FromPlainText(content),
    };

    /// <summary>Paragraphs are separated by blank lines; there are no headings in plain text.</summary>
    public static IReadOnlyList<DocumentBlock> FromPlainText(string content) =>
        content.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new DocumentBlock(0, Collapse(p)))
            .Where(b => b.Text.Length > 0)
            .ToList();

    public static IReadOnlyList<DocumentBlock> FromMarkdown(string content)
    {
        var pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
        var document = Markdig.Markdown.Parse(content, pipeline);
        var blocks = new List<DocumentBlock>();
        foreach (var block in Leaves(document))
        {
            var source = content.Substring(block.Span.Start, Math.Min(block.Span.Length, content.Length - block.Span.Start));
            var level = block is HeadingBlock heading ? heading.Level : 0;
            var text = block is CodeBlock ? source.Trim() : Collapse(Markdig.Markdown.ToPlainText(level > 0 ? source.TrimStart('#', ' ') : source, pipeline));
            if (text.Length > 0)
            {
                blocks.Add(new DocumentBlock(level, text));
            }
        }

        return blocks;
    }

    public static IReadOnlyList<DocumentBlock> FromHtml(string content)
    {
        var document = new HtmlParser().ParseDocument(content);
        foreach (var noise in document.QuerySelectorAll("script, style, noscript, template, nav, svg").ToList())
        {
            noise.Remove();
        }

        const string blockSelector = "h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th, dt, dd, figcaption, caption";
        var blocks = new List<DocumentBlock>();
        foreach (var element in document.QuerySelectorAll(blockSelector))
        {
            // The innermost block carries the text; an outer one (a list item holding paragraphs) would repeat it.
            if (element.QuerySelector(blockSelector) is not null)
            {
                continue;
            }

            var text = element.LocalName == "pre" ? element.TextContent.Trim() : Collapse(element.TextContent);
            if (text.Length > 0)
            {
                blocks.Add(new DocumentBlock(HeadingLevel(element), text));
            }
        }

        if (blocks.Count == 0 && Collapse(document.Body?.TextContent ?? "") is { Length: > 0 } bare)
        {
            blocks.Add(new DocumentBlock(0, bare));
        }

        return blocks;
    }

    private static int HeadingLevel(IElement element) =>
        element.LocalName is ['h', var digit] && digit is >= '1' and <= '6' ? digit - '0' : 0;

    private static IEnumerable<Block> Leaves(ContainerBlock container)
    {
        foreach (var block in container)
        {
            if (block is ContainerBlock inner and not Markdig.Extensions.Tables.Table)
            {
                foreach (var leaf in Leaves(inner))
                {
                    yield return leaf;
                }
            }
            else if (block is not ThematicBreakBlock and not LinkReferenceDefinition)
            {
                yield return block;
            }
        }
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
