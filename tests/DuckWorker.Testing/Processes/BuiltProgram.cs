namespace DuckWorker.Testing.Processes;

/// <summary>
/// A program of the repository in its own build output (same configuration as the tests): the copy in the test
/// folder resolves some assemblies from ASP.NET Core's shared framework, which the program may not run on.
/// </summary>
public static class BuiltProgram
{
    public static string Worker => Find("DuckWorker", "DuckWorker.dll");

    public static string Duck => Find("DuckWorker.Cli", "duck.dll");

    /// <summary>The folder of DuckWorker.sln above the running tests.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Join(root.FullName, "DuckWorker.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new DirectoryNotFoundException($"No DuckWorker.sln above {AppContext.BaseDirectory}.");
        }
    }

    private static string Find(string project, string file)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var assembly = Path.Join(RepositoryRoot, "src", project, "bin", testOutput.Parent!.Name, testOutput.Name, file);
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException($"{project} is not built at {assembly}.");
    }
}
