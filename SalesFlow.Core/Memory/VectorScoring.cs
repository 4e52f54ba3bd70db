using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SalesFlow.Core.Memory;

/// <summary>Brute-force cosine over a lead's vectors, and the float ⇄ blob conversion both adapters store with.</summary>
public static class VectorScoring
{
    public static byte[] ToBlob(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] FromBlob(ReadOnlySpan<byte> blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    /// <summary>
    /// The best <paramref name="top"/> candidates at or above <paramref name="floor"/>. A lead has thousands of
    /// vectors, not millions: a linear scan with SIMD dot products beats maintaining an ANN index per lead.
    /// Vectors are L2-normalised by the embedder, so cosine is a dot product; others are normalised here.
    /// </summary>
    public static List<(int Index, float Score)> Top(float[] query, IReadOnlyList<float[]> vectors, Func<int, bool> eligible, int top, float floor)
    {
        var best = new List<(int Index, float Score)>(top + 1);
        var queryNorm = TensorPrimitives.Norm(query);
        if (top <= 0 || queryNorm == 0)
        {
            return best;
        }

        for (var i = 0; i < vectors.Count; i++)
        {
            if (vectors[i].Length == query.Length && eligible(i))
            {
                Offer(best, top, floor, i, TensorPrimitives.Dot(query, vectors[i]) / queryNorm);
            }
        }

        return best;
    }

    /// <summary>
    /// The same over vectors stored back to back in one array (row i at <c>i * query.Length</c>): one sequential sweep
    /// through memory instead of a pointer per vector, which is what keeps 10,000 vectors under a millisecond.
    /// Rows with a sequence number at or above <paramref name="beforeSeq"/> are skipped.
    /// </summary>
    public static List<(int Index, float Score)> Top(float[] query, ReadOnlySpan<float> matrix, ReadOnlySpan<long> seqs, long beforeSeq, int top, float floor)
    {
        var best = new List<(int Index, float Score)>(top + 1);
        var queryNorm = TensorPrimitives.Norm(query);
        if (top <= 0 || queryNorm == 0)
        {
            return best;
        }

        var dims = query.Length;
        for (var i = 0; i < seqs.Length; i++)
        {
            if (seqs[i] < beforeSeq)
            {
                Offer(best, top, floor, i, TensorPrimitives.Dot(query, matrix.Slice(i * dims, dims)) / queryNorm);
            }
        }

        return best;
    }

    // Called for every row of a lead: a loop, not FindIndex with a lambda, whose closure over score was allocated on
    // every call (240 KB per recall at 10,000 vectors, and with it the collections that made the p99).
    private static void Offer(List<(int Index, float Score)> best, int top, float floor, int index, float score)
    {
        if (score < floor || (best.Count == top && score <= best[^1].Score))
        {
            return;
        }

        var at = 0;
        while (at < best.Count && best[at].Score >= score)
        {
            at++;
        }

        best.Insert(at, (index, score));
        if (best.Count > top)
        {
            best.RemoveAt(best.Count - 1);
        }
    }
}
