using System.Text;

namespace SalesFlow.Tests.Channels.Parsing;

/// <summary>Vendor fixtures copied into the test output (Fixtures/Webhooks/&lt;vendor&gt;/, licences beside them).</summary>
internal static class WebhookFixtures
{
    public static string PathOf(string vendor, string file) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Webhooks", vendor, file);

    public static byte[] Bytes(string vendor, string file) => File.ReadAllBytes(PathOf(vendor, file));

    /// <summary>
    /// A stored multipart body as it travels over HTTP: the leading BOM some fixture files carry is not part of the
    /// request, and bare LF line ends (files saved with normalised line endings) become the CRLF that multipart
    /// framing requires. Returns the body and a Content-Type whose boundary is taken from the body's first line.
    /// </summary>
    public static (byte[] Body, string ContentType) MultipartRequest(string vendor, string file)
    {
        var text = Encoding.UTF8.GetString(Bytes(vendor, file)).TrimStart('\uFEFF');
        if (!text.Contains("\r\n", StringComparison.Ordinal))
        {
            text = text.Replace("\n", "\r\n");
        }

        var firstLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.StartsWith("--", firstLine);
        var boundary = firstLine[2..];
        return (Encoding.UTF8.GetBytes(text), $"multipart/form-data; boundary={boundary}");
    }
}
