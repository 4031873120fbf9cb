namespace DuckWorker.Policy.Judging;

/// <summary>Everything the policy found while walking a command line; the riskiest finding decides.</summary>
internal sealed class Findings
{
    private readonly List<Finding> items = [];

    public IReadOnlyList<Finding> Items => items;

    public void Add(Verdict verdict, string segment) => items.Add(new Finding(verdict, segment));

    /// <summary>The most restrictive finding; the earliest one among equals, so the reason names what comes first.</summary>
    public Finding? Riskiest()
    {
        Finding? riskiest = null;
        foreach (var finding in items)
        {
            if (riskiest is null || finding.Verdict.Severity > riskiest.Verdict.Severity)
            {
                riskiest = finding;
            }
        }

        return riskiest;
    }
}
