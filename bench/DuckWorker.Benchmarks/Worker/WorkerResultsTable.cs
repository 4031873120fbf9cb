using System.Text;
using System.Text.Json.Nodes;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>The worker benchmark's results as the Markdown table of <c>bench/results/worker.md</c>; rows of measures not taken are left out.</summary>
internal static class WorkerResultsTable
{
    public static string Render(JsonObject results)
    {
        var spread = results["spread"]?.AsObject() ?? [];
        var table = new StringBuilder();
        table.AppendLine("# Worker benchmark").AppendLine();
        table.AppendLine("Command: `dotnet build -c Release DuckWorker.sln && dotnet run -c Release --project bench/DuckWorker.Benchmarks -- worker`").AppendLine();
        table.AppendLine($"Measured {results["date"]} on {results["machine"]}; {results["settings"]}. A figure with a range is the median of the runs, with the lowest and highest in brackets.").AppendLine();
        table.AppendLine("| measure | value | target |");
        table.AppendLine("| --- | ---: | --- |");
        void Row(string key, string measure, Func<string> value, string target = "")
        {
            if (results.ContainsKey(key))
            {
                table.AppendLine($"| {measure} | {value()} | {target} |");
            }
        }

        string Ranged(string key, string unit = "") =>
            spread[key] is JsonObject range && range["runs"]!.AsArray().Count > 1
                ? $"{results[key]}{unit} ({range["min"]}–{range["max"]})"
                : $"{results[key]}{unit}";

        Row("jobsPerSecond", $"throughput at 50 ms per model call ({results["throughputJobs"]} jobs)", () => $"{results["jobsPerSecond"]} jobs/s", $"ideal {results["idealJobsPerSecond"]} jobs/s");
        Row("idealRatio", "… ratio to the model-bound ideal", () => Ranged("idealRatio"), "≥ 0.95");
        Row("modelMsPerCall", "… the model time the server really added per call (it makes up for its timer's lateness), and the ratio to the ideal at that time", () => $"{results["modelMsPerCall"]} ms, {results["idealRatioAtModelTime"]}");
        Row("endToEndP50Ms", "end-to-end p50 / p95 / p99 (50 ms runs, all jobs published at once, so queueing included)", () => $"{results["endToEndP50Ms"]} / {results["endToEndP95Ms"]} / {results["endToEndP99Ms"]} ms");
        Row("eventsPerSecond", "events persisted per second (50 ms runs)", () => $"{results["eventsPerSecond"]}");
        Row("overheadP50Ms", "per-job overhead p50 (model latency 0, one job at a time, each published as the one before finished)", () => Ranged("overheadP50Ms", " ms"), "≤ 2 ms");
        Row("overheadP95Ms", "… p95 / p99", () => $"{results["overheadP95Ms"]} / {results["overheadP99Ms"]} ms");
        Row("overheadParts", $"… where it went, as the model server saw it (medians): publish to the first model request / the server answering the {WorkerRuns.ModelCallsPerJob} calls / from each reply to the next request / the last reply to the outcome's arrival", () => Parts(results["overheadParts"]!.AsObject()));
        Row("overheadLifecycleP50Ms", "… p50 with `RabbitMq:AnnounceEvents=lifecycle` / `none` (each run right after the one above)", () => $"{Ranged("overheadLifecycleP50Ms", " ms")} / {Ranged("overheadNoneP50Ms", " ms")}");
        Row("overheadIdleP50Ms", $"… p50 when the machine sat idle {results["overheadIdleMs"]} ms before each job", () => Ranged("overheadIdleP50Ms", " ms"));
        Row("overheadFloorP50Ms", $"… the floor on this machine: the same jobs through a stand-in worker, its own process, that only makes the {WorkerRuns.ModelCallsPerJob} model calls (OllamaSharp, same server) and publishes the outcome, p50", () => $"{Ranged("overheadFloorP50Ms", " ms")}, {results["overheadFloorIdleP50Ms"]} ms after the idle pause; its parts as above: {Parts(results["overheadFloorParts"]!.AsObject())}");
        Row("overheadCpuMsPerJob", "… processor time per job while the jobs went back to back: the worker / the broker / the benchmark's client and model server; the same with the floor's stand-in", () => $"{Cpu(results["overheadCpuMsPerJob"]!.AsObject())}; {Cpu(results["overheadFloorCpuMsPerJob"]!.AsObject())}");
        Row("echoRoundTripP50Ms", "… of which the transport: the bare echo's round trip p50 (one message at a time)", () => Ranged("echoRoundTripP50Ms", " ms"));
        Row("echoJobsPerSecond", $"worker (events all / lifecycle) and bare RabbitMQ echo at model latency 0 ({results["echoJobs"]} jobs)", () => $"{results["workerJobsPerSecondAtZeroLatency"]} / {results["workerLifecycleJobsPerSecondAtZeroLatency"]} / {results["echoJobsPerSecond"]} jobs/s");
        Row("echoRatio", "… ratio to the echo, `RabbitMq:AnnounceEvents=all`", () => Ranged("echoRatio"), "≥ 0.25");
        Row("echoRatioLifecycle", "… ratio to the echo, `lifecycle`", () => Ranged("echoRatioLifecycle"), "≥ 0.5");
        Row("cpuMsPerJob", "worker processor time per job, all / lifecycle", () => $"{Ranged("cpuMsPerJob", " ms")} / {results["cpuMsPerJobLifecycle"]} ms");
        Row("brokerCpuMsPerJob", $"broker processor time per job, all / lifecycle ({results["brokerCpu"]})", () => $"{results["brokerCpuMsPerJob"]} / {results["brokerCpuMsPerJobLifecycle"]} ms");
        Row("benchCpuMsPerJob", "the benchmark's own processor time per job (its client and the Ollama-protocol server), all", () => $"{results["benchCpuMsPerJob"]} ms");
        Row("peakRssMb", $"peak RSS with {results["queuedJobs"]} jobs queued", () => $"{results["peakRssMb"]} MB, {results["lostJobs"]} lost", "≤ 300 MB, none lost");
        Row("recall10kMs", "recall, five closest of 10,000 memories / managed memory kept", () => $"{Ranged("recall10kMs", " ms")} / {results["recall10kMemoryMb"]} MB", "≤ 2 ms");
        Row("recall100kMs", "recall, five closest of 100,000 memories / managed memory kept", () => $"{Ranged("recall100kMs", " ms")} / {results["recall100kMemoryMb"]} MB", "≤ 20 ms");
        Row("lessons10kMs", "recall, three closest of 10,000 lessons / managed memory kept", () => $"{Ranged("lessons10kMs", " ms")} / {results["lessons10kMemoryMb"]} MB");
        Row("lessons100kMs", "recall, three closest of 100,000 lessons / managed memory kept", () => $"{Ranged("lessons100kMs", " ms")} / {results["lessons100kMemoryMb"]} MB");
        Row("promptCharsPerCall", "prompt characters per call, four-round tool loop", () => string.Join(", ", results["promptCharsPerCall"]!.AsArray()), "grows linearly");
        Row("seedPromptCharsPerCall", "… the seed's for the same transcript", () => string.Join(", ", results["seedPromptCharsPerCall"]!.AsArray()));
        Row("promptRatioVsSeed", "… ratio of the totals", () => $"{results["promptRatioVsSeed"]}", "≤ 0.6");
        Row("observationCharsRatioVsSeed", "… ratio of the observation characters alone", () => $"{results["observationCharsRatioVsSeed"]}");
        Row("shellUnconfinedMs", $"one shell command unconfined / in the sandbox ({results["sandbox"]})", () => $"{results["shellUnconfinedMs"]} / {results["shellSandboxedMs"]} ms");
        Row("sandboxOverheadMs", "… sandbox overhead per command, mean / median", () => $"{results["sandboxOverheadMs"]} / {results["sandboxOverheadMedianMs"]} ms", "reported");
        return table.ToString();
    }

    private static string Cpu(JsonObject cpu) => $"{cpu["worker"]} / {cpu["broker"]?.ToString() ?? "not measured"} / {cpu["bench"]} ms";

    private static string Parts(JsonObject parts) =>
        $"{parts["toFirstModelRequestMs"]} / {parts["modelServerMs"]} / {parts["betweenModelCallsMs"]} / {parts["lastReplyToOutcomeMs"]} ms";
}
