using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SalesFlow.Infrastructure.Embedded.Knowledge;

/// <summary>
/// The vectors of one client's base in memory (row i is chunk <see cref="ChunkIds"/>[i]). A search
/// is exact brute force, in two passes: a scan of int8 copies of the rows (a quarter of the bytes:
/// at 100,000 chunks the float scan is bound by memory bandwidth, ~150 MB per query) picks
/// candidates, and their float rows give the exact cosine. Rows are L2-normalised, so cosine is a dot product.
/// </summary>
internal sealed class VectorSlab
{
    /// <summary>Candidates per wanted hit taken from the int8 pass; quantisation error is ~0.005, far below the gaps that matter.</summary>
    private const int Oversample = 4;

    private readonly float[] _data;
    private readonly sbyte[] _quantized;
    private readonly float[] _scales;
    private readonly Dictionary<long, int> _rowOf;

    public VectorSlab(int dimensions, List<long> chunkIds, float[] data)
    {
        Dimensions = dimensions;
        ChunkIds = chunkIds;
        _data = data;
        _rowOf = new Dictionary<long, int>(chunkIds.Count);
        _quantized = new sbyte[data.Length];
        _scales = new float[chunkIds.Count];
        for (var i = 0; i < chunkIds.Count; i++)
        {
            _rowOf[chunkIds[i]] = i;
            _scales[i] = Quantize(data.AsSpan(i * dimensions, dimensions), _quantized.AsSpan(i * dimensions, dimensions));
        }
    }

    public int Dimensions { get; }
    public List<long> ChunkIds { get; }
    public int Count => ChunkIds.Count;

    /// <summary>
    /// What the slab holds in memory, per row: the float vector (4 bytes a dimension), its int8 copy (1 byte a
    /// dimension), its scale (4), its chunk id (8) and its entry in the id → row map (<see cref="RowMapEntryBytes"/>).
    /// 384 dimensions: 1,956 bytes a chunk, 196 MB for 100,000 chunks.
    /// </summary>
    public long Bytes => (long)Count * ((Dimensions * (sizeof(float) + sizeof(sbyte))) + sizeof(float) + sizeof(long) + RowMapEntryBytes);

    /// <summary>A Dictionary&lt;long, int&gt; entry (key, value, hash code, next index: 20 bytes) and its bucket (4).</summary>
    internal const int RowMapEntryBytes = 24;

    /// <summary>The <paramref name="k"/> most similar chunks, best first, with exact cosine.</summary>
    public List<(long ChunkId, float Score)> Top(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimensions || Count == 0 || k <= 0)
        {
            return [];
        }

        var q = new sbyte[Dimensions];
        Quantize(query, q);
        var candidates = new PriorityQueue<int, float>((k * Oversample) + 1);
        var limit = k * Oversample;
        var quantized = _quantized.AsSpan();
        for (var row = 0; row < Count; row++)
        {
            var approx = DotInt8(q, quantized.Slice(row * Dimensions, Dimensions)) * _scales[row];
            if (candidates.Count < limit)
            {
                candidates.Enqueue(row, approx);
            }
            else if (candidates.TryPeek(out _, out var lowest) && approx > lowest)
            {
                candidates.DequeueEnqueue(row, approx);
            }
        }

        var exact = new List<(long, float)>(candidates.Count);
        var data = _data.AsSpan();
        while (candidates.TryDequeue(out var row, out _))
        {
            exact.Add((ChunkIds[row], TensorPrimitives.Dot(query, data.Slice(row * Dimensions, Dimensions))));
        }

        return exact.OrderByDescending(e => e.Item2).Take(k).ToList();
    }

    /// <summary>Cosine of one chunk to the query (for keyword hits that the vector list did not reach).</summary>
    public float? Score(long chunkId, ReadOnlySpan<float> query) =>
        query.Length == Dimensions && _rowOf.TryGetValue(chunkId, out var row) ? TensorPrimitives.Dot(query, _data.AsSpan(row * Dimensions, Dimensions)) : null;

    /// <summary>Scales a row to int8 by its largest magnitude; returns the factor back to floats.</summary>
    private static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> into)
    {
        var max = TensorPrimitives.MaxMagnitude(vector);
        if (max == 0)
        {
            into.Clear();
            return 0;
        }

        var scale = 127f / Math.Abs(max);
        for (var i = 0; i < vector.Length; i++)
        {
            into[i] = (sbyte)Math.Round(vector[i] * scale);
        }

        return 1f / scale;
    }

    private static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported)
        {
            var acc = Vector256<int>.Zero;
            for (; i + 16 <= a.Length; i += 16)
            {
                // Sign-extend 16 bytes to 16 shorts, multiply and add pairs into 8 ints (vpmovsxbw + vpmaddwd).
                var wa = Avx2.ConvertToVector256Int16(Vector128.Create(a.Slice(i, 16)));
                var wb = Avx2.ConvertToVector256Int16(Vector128.Create(b.Slice(i, 16)));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(wa, wb));
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
