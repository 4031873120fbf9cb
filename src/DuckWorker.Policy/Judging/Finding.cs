namespace DuckWorker.Policy.Judging;

/// <summary>A verdict about one segment of the command line.</summary>
internal sealed record Finding(Verdict Verdict, string Segment)
{
    private const int MaximumSegmentLength = 160;

    public string Reason
    {
        get
        {
            var segment = Segment.ReplaceLineEndings(" ");
            if (segment.Length > MaximumSegmentLength)
            {
                segment = segment[..MaximumSegmentLength] + "…";
            }

            return $"`{segment}` {Verdict.Why}";
        }
    }
}
