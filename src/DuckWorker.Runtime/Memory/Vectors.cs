using System.Numerics.Tensors;

namespace DuckWorker.Runtime.Memory;

/// <summary>The vector arithmetic of recall: unit length once, then a dot product is the cosine similarity.</summary>
public static class Vectors
{
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var length = MathF.Sqrt(TensorPrimitives.SumOfSquares(vector));
        var unit = new float[vector.Length];
        if (length > 0)
        {
            TensorPrimitives.Divide(vector, length, unit);
        }

        return unit;
    }

    /// <summary>The cosine similarity of two unit vectors; 0 when their lengths differ (another embedding model made one of them).</summary>
    public static double Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        a.Length == b.Length && a.Length > 0 ? TensorPrimitives.Dot(a, b) : 0;
}
