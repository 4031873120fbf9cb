using System.Text;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// The frame of every console page: head, skip link, header with the navigation and who is signed in, and
/// the page's <c>main</c>. Pages pass their content as encoded HTML (see <see cref="Html"/>).
/// </summary>
internal static class Layout
{
    /// <summary>The sections of the navigation, in order: their path and label.</summary>
    public static readonly (string Path, string Label)[] Sections =
        [("/", "Inbox"), ("/tasks", "Tasks"), ("/memories", "Memories"), ("/rules", "Rules")];

    /// <param name="current">The path of the navigation section the page belongs to (marked as the current page).</param>
    /// <param name="script">Script run at the end of the body, or null.</param>
    public static IResult Render(HttpContext context, string title, string current, string main, string? script = null, int statusCode = StatusCodes.Status200OK)
    {
        var page = new StringBuilder();
        page.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.Encode(title)} · DuckWorker</title>
            <style>{Style}</style>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <nav aria-label="Console">
            <ul>
            """);
        foreach (var (path, label) in Sections)
        {
            var here = path == current ? " aria-current=\"page\"" : "";
            page.Append($"<li><a href=\"{Html.Encode(path)}\"{here}>{Html.Encode(label)}</a></li>");
        }

        page.Append($"""
            </ul>
            </nav>
            {UserLine(context)}
            </header>
            <main id="main" tabindex="-1">
            {main}
            </main>
            """);
        if (script is not null)
        {
            page.Append($"<script>{script}</script>");
        }

        page.Append("</body></html>");
        return Html.Page(page.ToString(), statusCode);
    }

    private static string UserLine(HttpContext context) =>
        ConsoleUser.NameOf(context) is { Length: > 0 } name
            ? $"""<p class="user">Deciding as <strong id="user">{Html.Encode(name)}</strong> · <a href="{ConsoleAccess.LoginPath}">change</a></p>"""
            : "";

    private const string Style = """
        :root { color-scheme: light dark; --accent: #0b5fff; --muted: #666; --line: #8884; --danger: #b00020; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; justify-content: space-between; padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
        nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
        nav a { display: inline-block; padding: .4rem .2rem; }
        nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
        .user { margin: 0; color: var(--muted); }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        main:focus { outline: none; }
        .skip { position: absolute; left: -100vw; }
        .skip:focus { left: 1rem; top: .5rem; background: Canvas; padding: .5rem; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
        pre { overflow-x: auto; padding: .6rem; background: #8881; border-radius: 4px; white-space: pre-wrap; word-break: break-word; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
        dt { font-weight: 600; }
        dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
        button, input, textarea, select { font: inherit; }
        button { padding: .5rem .9rem; border-radius: 4px; border: 1px solid var(--line); cursor: pointer; min-height: 2.5rem; }
        button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
        button.danger { color: var(--danger); }
        label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
        input[type=text], input[type=password], textarea { width: 100%; padding: .4rem; border: 1px solid var(--line); border-radius: 4px; }
        .status { min-height: 1.5rem; font-weight: 600; }
        .error { color: var(--danger); }
        h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
        .inbox { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; }
        .approval { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
        .risk { font-size: .8rem; font-weight: 600; padding: .1rem .5rem; border-radius: 1rem; border: 1px solid currentColor; vertical-align: middle; margin-left: .4rem; white-space: nowrap; }
        .risk-high, .risk-critical { color: var(--danger); }
        .risk-medium { color: #a35200; }
        .diff span { display: block; }
        .diff .add { color: #0a7a2f; background: #0a7a2f1a; }
        .diff .del { color: var(--danger); background: #b000201a; }
        .diff .hunk { color: var(--muted); }
        .buttons { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
        details.edit { margin-top: .75rem; }
        summary { cursor: pointer; padding: .4rem 0; }
        .hint { color: var(--muted); font-size: .9rem; }
        mark.hidden-char { font-size: .75em; padding: 0 .15em; border-radius: 3px; }
        @media (max-width: 40rem) { dl { grid-template-columns: 1fr; } dt { margin-top: .4rem; } }
        """;
}
