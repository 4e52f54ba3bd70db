using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace SalesFlow.Core.Common;

/// <summary>What SalesFlow counts as readable text: one definition for the webhooks, the engine and the API.</summary>
public static class ReadableText
{
    /// <summary>Strict UTF-8: invalid bytes (a stray 0xFF, overlong forms, encoded surrogates) throw instead of becoming U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// True when nothing in the text can be seen: it is empty or holds only whitespace, format characters (Cf: zero-width
    /// spaces and joiners, direction marks and overrides, the BOM) and control characters (Cc: NUL, BEL, ...). Such a
    /// message may be stored but gets no reply; the API refuses it.
    /// </summary>
    public static bool IsEmptyLooking([NotNullWhen(false)] string? text)
    {
        if (text is null)
        {
            return true;
        }

        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && char.GetUnicodeCategory(c) is not (UnicodeCategory.Format or UnicodeCategory.Control))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a name or label a person can read on one line: something visible and no control character (NUL, BEL,
    /// line breaks, tabs). Format characters inside a visible name are allowed (emoji and some scripts need joiners).
    /// </summary>
    public static bool IsReadableLabel(string? text) => !IsEmptyLooking(text) && !text!.Any(char.IsControl);

    /// <summary>
    /// True for free text such as a description: something visible or nothing at all, and no control character other
    /// than line breaks and tabs.
    /// </summary>
    public static bool IsReadableProse(string? text) =>
        text is null || (!(text.Length > 0 && IsEmptyLooking(text)) && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')));

    /// <summary>The bytes as UTF-8 text, or null when they are not valid UTF-8.</summary>
    public static string? TryDecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
