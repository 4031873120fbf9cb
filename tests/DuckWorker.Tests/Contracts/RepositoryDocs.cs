namespace DuckWorker.Tests.Contracts;

/// <summary>The files of the repository's <c>docs/</c> folder, read where they are checked in.</summary>
internal static class RepositoryDocs
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Join(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Join(folder.FullName, "DuckWorker.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException($"No DuckWorker.sln above {AppContext.BaseDirectory}.");
    }
}
