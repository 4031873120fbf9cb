using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// The dot product of two vectors of signed bytes, exact in 32 bits: a product is at most 127², so a sum cannot
/// overflow below 133,000 dimensions. Each path widens the bytes to 16 bits before multiplying (x86's byte
/// multiply-add takes one side unsigned); the fastest one the processor has is chosen once by the JIT.
/// </summary>
internal static class Int8Dot
{
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported)
        {
            return WithAvx512(a, b);
        }

        if (Avx2.IsSupported)
        {
            return WithAvx2(a, b);
        }

        return Vector128.IsHardwareAccelerated ? Portable(a, b) : Scalar(a, b);
    }

    public static int WithAvx512(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        CheckLengths(a, b);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var sum = Vector512<int>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector512<sbyte>.Count; i += Vector512<sbyte>.Count)
        {
            var (xLow, xHigh) = Vector512.Widen(Vector512.LoadUnsafe(ref x, (nuint)i));
            var (yLow, yHigh) = Vector512.Widen(Vector512.LoadUnsafe(ref y, (nuint)i));
            sum += Avx512BW.MultiplyAddAdjacent(xLow, yLow) + Avx512BW.MultiplyAddAdjacent(xHigh, yHigh);
        }

        return Vector512.Sum(sum) + Scalar(a[i..], b[i..]);
    }

    public static int WithAvx2(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        CheckLengths(a, b);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var sum = Vector256<int>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
        {
            var (xLow, xHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i));
            var (yLow, yHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref y, (nuint)i));
            sum += Avx2.MultiplyAddAdjacent(xLow, yLow) + Avx2.MultiplyAddAdjacent(xHigh, yHigh);
        }

        return Vector256.Sum(sum) + Scalar(a[i..], b[i..]);
    }

    /// <summary>For processors without the x86 multiply-add (Arm's AdvSimd): a 16-bit product of two bytes cannot overflow.</summary>
    public static int Portable(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        CheckLengths(a, b);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var sum = Vector128<int>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector128<sbyte>.Count; i += Vector128<sbyte>.Count)
        {
            var (xLow, xHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref x, (nuint)i));
            var (yLow, yHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref y, (nuint)i));
            var (lowLow, lowHigh) = Vector128.Widen(xLow * yLow);
            var (highLow, highHigh) = Vector128.Widen(xHigh * yHigh);
            sum += lowLow + lowHigh + highLow + highHigh;
        }

        return Vector128.Sum(sum) + Scalar(a[i..], b[i..]);
    }

    public static int Scalar(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        CheckLengths(a, b);
        var sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static void CheckLengths(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions have no dot product.", nameof(b));
        }
    }
}
