using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole;

/// <summary>Who is using the console: the name a decision is sent with (<c>decidedBy</c>).</summary>
internal static class ConsoleUser
{
    private const string Key = "duck.console.user";

    /// <summary>The name, or empty before someone has signed in to a console with a token.</summary>
    public static string NameOf(HttpContext context) => context.Items[Key] as string ?? "";

    public static void Set(HttpContext context, string name) => context.Items[Key] = name;
}
