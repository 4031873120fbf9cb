using BenchmarkDotNet.Running;
using DuckWorker.Benchmarks.Worker;

// "worker" runs the worker benchmark (a real broker, the worker as its own process, an Ollama-protocol
// server with a fixed latency); anything else goes to BenchmarkDotNet (e.g. --filter '*MemoryRecall*').
if (args is ["worker", .. var rest])
{
    return await WorkerBenchmark.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
