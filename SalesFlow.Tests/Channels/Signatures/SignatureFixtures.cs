using System.Text.Json;

namespace SalesFlow.Tests.Channels.Signatures;

/// <summary>
/// Reads the vendor vectors copied into the test output (Fixtures/Signatures/&lt;vendor&gt;). Never reads
/// the design folder outside the repository: a clone only has what the test project copies.
/// </summary>
internal static class SignatureFixtures
{
    public static string PathOf(string vendor, string file) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "Signatures", vendor, file);

    public static byte[] Bytes(string vendor, string file) => File.ReadAllBytes(PathOf(vendor, file));

    public static JsonElement Json(string vendor, string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(PathOf(vendor, file)));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// One readable, unique name per vector ("03 TestValidateAddsPortHttp"). Theories take this string rather
    /// than the vector object so xunit can list every vector as its own test case.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonElement> Named(JsonElement vectors, string nameProperty)
    {
        var named = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var index = 0;
        foreach (var vector in vectors.EnumerateArray())
        {
            named.Add($"{index++:00} {vector.GetProperty(nameProperty).GetString()}", vector);
        }

        return named;
    }

    public static TheoryData<string> Names(IReadOnlyDictionary<string, JsonElement> named)
    {
        var data = new TheoryData<string>();
        foreach (var name in named.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    public static string? OptionalString(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string RequiredString(this JsonElement element, string property) =>
        element.GetProperty(property).GetString() ?? throw new InvalidOperationException($"vector has no {property}");
}

/// <summary>A clock stuck at one instant, so time-window checks are deterministic.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
