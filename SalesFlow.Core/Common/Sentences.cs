using System.Text.RegularExpressions;

namespace SalesFlow.Core.Common;

/// <summary>A message's sentences: split after an end mark followed by space, or at a line break; trimmed, none empty.</summary>
public static partial class Sentences
{
    public static IEnumerable<string> Of(string text) =>
        SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceEnd();
}
