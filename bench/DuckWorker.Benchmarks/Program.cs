using BenchmarkDotNet.Running;
using DuckWorker.Benchmarks.Worker;

// "worker" runs the worker benchmark (a real broker, the worker as its own process, an Ollama-protocol
// server with a fixed latency); "sandbox" only its shell sandbox part; anything else goes to BenchmarkDotNet
// (e.g. --filter '*MemoryRecall*').
if (args is ["worker", .. var rest])
{
    return await WorkerBenchmark.RunAsync(rest);
}

if (args is ["sandbox", .. var options])
{
    return await SandboxOverhead.RunAsync(options);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
