using System.Text;
using CsCheck;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class OutputLimitKeepsHeadAndTailWhole
{
    [Fact]
    public void TextWithinTheLimitIsUnchanged()
    {
        Assert.Equal(("héllo", false), OutputLimit.HeadTail("héllo", 6));
    }

    [Fact]
    public void LongTextKeepsItsStartAndItsEnd()
    {
        var text = "START" + new string('m', 10_000) + "END";

        var (capped, truncated) = OutputLimit.HeadTail(text, 1024);

        Assert.True(truncated);
        Assert.StartsWith("START", capped, StringComparison.Ordinal);
        Assert.EndsWith("END", capped, StringComparison.Ordinal);
        Assert.Contains("[output truncated to 1024 bytes]", capped, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(capped) <= 1024);
    }

    [Fact]
    public void NoCharacterIsEverSplitAndTheLimitHolds()
    {
        var text = Gen.Char['\u0020', '\uD7FF'].Array[0, 3000].Select(chars => new string(chars) + "🦆✓語");
        Gen.Select(text, Gen.Int[64, 4096]).Sample((input, limit) =>
        {
            var (capped, truncated) = OutputLimit.HeadTail(input, limit);
            Assert.True(Encoding.UTF8.GetByteCount(capped) <= limit);
            Assert.Equal(Encoding.UTF8.GetByteCount(input) > limit, truncated);
            Assert.Equal(capped, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(capped)));
            Assert.DoesNotContain('\uFFFD', capped);
        });
    }
}
