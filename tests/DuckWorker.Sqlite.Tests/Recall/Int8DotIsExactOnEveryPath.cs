using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DuckWorker.Sqlite.Recall;

namespace DuckWorker.Sqlite.Tests.Recall;

public sealed class Int8DotIsExactOnEveryPath
{
    public static TheoryData<int> Lengths => [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 384, 768, 1031];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryPathTheProcessorHasGivesTheExactSum(int length)
    {
        var random = new Random(length);
        var cases = new List<(sbyte[], sbyte[])>
        {
            (Filled(length, 127), Filled(length, 127)),
            (Filled(length, -127), Filled(length, 127)),
            (Filled(length, -128), Filled(length, -128)),
        };
        for (var i = 0; i < 20; i++)
        {
            var a = new sbyte[length];
            var b = new sbyte[length];
            random.NextBytes(MemoryMarshal.AsBytes(a.AsSpan()));
            random.NextBytes(MemoryMarshal.AsBytes(b.AsSpan()));
            cases.Add((a, b));
        }

        foreach (var (a, b) in cases)
        {
            var expected = 0L;
            for (var i = 0; i < length; i++)
            {
                expected += a[i] * b[i];
            }

            Assert.Equal(expected, Int8Dot.Scalar(a, b));
            Assert.Equal(expected, Int8Dot.Portable(a, b));
            Assert.Equal(expected, Int8Dot.Dot(a, b));
            if (Avx2.IsSupported)
            {
                Assert.Equal(expected, Int8Dot.WithAvx2(a, b));
            }

            if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported)
            {
                Assert.Equal(expected, Int8Dot.WithAvx512(a, b));
            }
        }
    }

    [Fact]
    public void VectorsOfDifferentLengthsAreRefused() =>
        Assert.Throws<ArgumentException>(() => Int8Dot.Dot(new sbyte[3], new sbyte[4]));

    [Fact]
    public void AQuantizedVectorIsWithinHalfAStepOfTheOriginal()
    {
        var vector = MemoryFile.RandomUnit(new Random(7), 768);
        var bytes = new sbyte[768];

        var scale = QuantizedVector.Quantize(vector, bytes);

        Assert.Equal(127, bytes.Max(b => Math.Abs((int)b)));
        Assert.All(Enumerable.Range(0, 768), i => Assert.InRange(vector[i] - (bytes[i] * scale), -scale * 0.5001, scale * 0.5001));
        Assert.Equal(0, QuantizedVector.Quantize(new float[3], bytes));
        Assert.Equal(0, QuantizedVector.Quantize([float.NaN, 1], bytes));
    }

    private static sbyte[] Filled(int length, sbyte value) => Enumerable.Repeat(value, length).ToArray();
}
