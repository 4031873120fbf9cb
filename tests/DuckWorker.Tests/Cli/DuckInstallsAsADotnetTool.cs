using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Cli;

/// <summary>
/// <c>duck</c> is a .NET tool: the CLI project packed, then installed with <c>dotnet tool install</c> from that
/// folder, answers <c>duck --version</c>. Everything happens in a folder of the test's own: the pack builds into
/// its own artifacts folder (the tests' build outputs stay as they are), and the install reads no package source
/// but that folder, so it needs no network.
/// </summary>
public sealed class DuckInstallsAsADotnetTool : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-tool-").FullName;

    [Fact]
    public async Task ThePackedCliInstallsAsTheDuckCommandAndTellsItsVersion()
    {
        var project = Path.Join(BuiltProgram.RepositoryRoot, "src", "DuckWorker.Cli", "DuckWorker.Cli.csproj");
        var packed = Path.Join(folder, "packed");
        var tools = Path.Join(folder, "tools");
        var config = Path.Join(folder, "nuget.config");
        await File.WriteAllTextAsync(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """, TestContext.Current.CancellationToken);
        var isolated = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.Join(folder, "home"),
            ["NUGET_PACKAGES"] = Path.Join(folder, "nuget-packages"),
            ["DOTNET_ROOT"] = Path.GetFullPath(Path.Join(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
        };

        await RunAsync("dotnet", ["pack", project, "-o", packed, "--artifacts-path", Path.Join(folder, "artifacts"), "--disable-build-servers", "-nologo"], []);
        var package = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(packed, "DuckWorker.Cli.*.nupkg")));
        await RunAsync("dotnet", ["tool", "install", "DuckWorker.Cli", "--tool-path", tools, "--add-source", packed, "--configfile", config], isolated);
        var version = await RunAsync(Path.Join(tools, "duck"), ["--version"], isolated);

        // The package's version, and the commit it was built from when the sources are a git checkout.
        Assert.Matches($@"^{Regex.Escape(package["DuckWorker.Cli.".Length..])}(\+[0-9a-f]+)?\n$", version);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Runs a program to its end and returns its output; a non-zero exit code fails the test with all it printed.</summary>
    private async Task<string> RunAsync(string program, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Patience);
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        var errors = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await output}\n{await errors}");
        return await output;
    }
}
