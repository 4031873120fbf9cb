using DuckWorker.Cli;

return await DuckCommandLine.RunAsync(args, Console.Out, Console.Error, Console.In);
