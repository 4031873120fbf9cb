using System.Text;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Collects a stream's bytes up to a cap while it is read, keeping the first half and the most recent half,
/// so that a command that prints without end costs bounded memory and its last lines are not lost.
/// </summary>
internal sealed class CappedOutput(int maxBytes)
{
    private readonly byte[] head = new byte[Math.Max(1, maxBytes - (maxBytes / 2))];
    private readonly byte[] tail = new byte[Math.Max(1, maxBytes / 2)];
    private int headWritten;
    private long tailWritten;

    /// <summary>More than the cap arrived; the middle was dropped.</summary>
    public bool Truncated => tailWritten > tail.Length;

    public async Task ReadAllAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Append(buffer.AsSpan(0, read));
        }
    }

    public override string ToString()
    {
        var kept = (int)Math.Min(tailWritten, tail.Length);
        var start = Truncated ? (int)(tailWritten % tail.Length) : 0;
        var last = new byte[kept];
        for (var i = 0; i < kept; i++)
        {
            last[i] = tail[(start + i) % tail.Length];
        }

        var marker = Truncated ? "\n…[output truncated]…\n" : "";
        return Encoding.UTF8.GetString(head, 0, headWritten) + marker + Encoding.UTF8.GetString(last);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var first = bytes[..Math.Min(head.Length - headWritten, bytes.Length)];
        first.CopyTo(head.AsSpan(headWritten));
        headWritten += first.Length;
        foreach (var value in bytes[first.Length..])
        {
            tail[tailWritten++ % tail.Length] = value;
        }
    }
}
