using System.Numerics.Tensors;

namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// A float vector as signed bytes and one scale, a quarter of its size: each value becomes the nearest of 255
/// steps between minus and plus its largest magnitude, so <c>value ≈ byte × scale</c>.
/// </summary>
internal static class QuantizedVector
{
    public const int Steps = 127;

    /// <summary>Writes the bytes of <paramref name="vector"/> into <paramref name="into"/> and returns its scale (0 for a zero or non-finite vector).</summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> into)
    {
        var largest = vector.IsEmpty ? 0 : MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        if (largest == 0 || !float.IsFinite(largest))
        {
            into[..vector.Length].Clear();
            return 0;
        }

        var toSteps = Steps / largest;
        for (var i = 0; i < vector.Length; i++)
        {
            into[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * toSteps), -Steps, Steps);
        }

        return largest / Steps;
    }
}
