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
        if (top <= 0)
        {
            return best;
        }

        var queryNorm = TensorPrimitives.Norm(query);
        if (queryNorm == 0)
        {
            return best;
        }

        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            if (v.Length != query.Length || !eligible(i))
            {
                continue; // written by another embedder (dimensions differ): not comparable
            }

            var score = TensorPrimitives.Dot(query, v) / queryNorm;
            if (score < floor || (best.Count == top && score <= best[^1].Score))
            {
                continue;
            }

            var at = best.FindIndex(b => b.Score < score);
            best.Insert(at < 0 ? best.Count : at, (i, score));
            if (best.Count > top)
            {
                best.RemoveAt(best.Count - 1);
            }
        }

        return best;
    }
}
