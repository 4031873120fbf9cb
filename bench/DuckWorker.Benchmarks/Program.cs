using BenchmarkDotNet.Running;
using DuckWorker.Benchmarks.Soak;
using DuckWorker.Benchmarks.Worker;

// "worker" runs the worker benchmark (a real broker, the worker as its own process, an Ollama-protocol
// server with a fixed latency); "sandbox" only its shell sandbox part; "soak" the long kill-anywhere soak;
// "floor-worker" is the stand-in worker the worker benchmark starts to measure the floor under its overhead;
// anything else goes to BenchmarkDotNet
// (e.g. --filter '*MemoryRecall*').
if (args is ["worker", .. var rest])
{
    return await WorkerBenchmark.RunAsync(rest);
}

if (args is ["sandbox", .. var options])
{
    return await SandboxOverhead.RunAsync(options);
}

if (args is [FloorWorker.Command])
{
    return await FloorWorker.RunAsync();
}

if (args is ["soak", .. var soak])
{
    return await SoakCommand.RunAsync(soak);
}

// Not typeof(Program): the worker, which the local embedding benchmarks reference, has a Program too.
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
return 0;
