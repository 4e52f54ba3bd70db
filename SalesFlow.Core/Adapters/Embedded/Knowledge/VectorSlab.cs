using System.Numerics.Tensors;

namespace SalesFlow.Core.Adapters.Embedded.Knowledge;

/// <summary>
/// The vectors of one client's base, contiguous in memory (row i is chunk <see cref="ChunkIds"/>[i]).
/// Brute-force cosine over L2-normalised rows is a dot product per row: at 100,000 chunks of 384
/// floats that is ~40 M multiply-adds, a few milliseconds with SIMD, and exact (no HNSW recall loss).
/// </summary>
internal sealed class VectorSlab
{
    private readonly float[] _data;
    private readonly Dictionary<long, int> _rowOf;

    public VectorSlab(int dimensions, List<long> chunkIds, float[] data)
    {
        Dimensions = dimensions;
        ChunkIds = chunkIds;
        _data = data;
        _rowOf = new Dictionary<long, int>(chunkIds.Count);
        for (var i = 0; i < chunkIds.Count; i++)
        {
            _rowOf[chunkIds[i]] = i;
        }
    }

    public int Dimensions { get; }
    public List<long> ChunkIds { get; }
    public int Count => ChunkIds.Count;

    /// <summary>The <paramref name="k"/> most similar chunks, best first.</summary>
    public List<(long ChunkId, float Score)> Top(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimensions || Count == 0 || k <= 0)
        {
            return [];
        }

        var heap = new PriorityQueue<int, float>(k + 1);
        var data = _data.AsSpan();
        for (var row = 0; row < Count; row++)
        {
            var score = TensorPrimitives.Dot(query, data.Slice(row * Dimensions, Dimensions));
            if (heap.Count < k)
            {
                heap.Enqueue(row, score);
            }
            else if (heap.TryPeek(out _, out var lowest) && score > lowest)
            {
                heap.DequeueEnqueue(row, score);
            }
        }

        var result = new List<(long, float)>(heap.Count);
        while (heap.TryDequeue(out var row, out var score))
        {
            result.Add((ChunkIds[row], score));
        }

        result.Reverse();
        return result;
    }

    /// <summary>Cosine of one chunk to the query (for keyword hits that the vector list did not reach).</summary>
    public float? Score(long chunkId, ReadOnlySpan<float> query) =>
        query.Length == Dimensions && _rowOf.TryGetValue(chunkId, out var row) ? TensorPrimitives.Dot(query, _data.AsSpan(row * Dimensions, Dimensions)) : null;
}
