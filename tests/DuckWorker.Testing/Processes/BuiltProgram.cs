namespace DuckWorker.Testing.Processes;

/// <summary>
/// A program of the repository in its own build output (same configuration as the tests): the copy in the test
/// folder resolves some assemblies from ASP.NET Core's shared framework, which the program may not run on.
/// </summary>
public static class BuiltProgram
{
    public static string Worker => Find("DuckWorker", "DuckWorker.dll");

    public static string Duck => Find("DuckWorker.Cli", "duck.dll");

    private static string Find(string project, string file)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Join(root.FullName, "DuckWorker.sln")))
        {
            root = root.Parent;
        }

        var assembly = Path.Join(root!.FullName, "src", project, "bin", configuration, framework, file);
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException($"{project} is not built at {assembly}.");
    }
}
