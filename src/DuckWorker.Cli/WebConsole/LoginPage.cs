using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// <c>/login</c>: the name decisions are sent with and, when the console has a token, the token. Without a
/// token (on loopback) it only sets the name; until then decisions carry the name of the user running the console.
/// </summary>
internal static class LoginPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleAccess.LoginPath, (HttpContext context, ConsoleOptions options, string? returnUrl) =>
            Form(context, options, returnUrl, error: null));
        app.MapPost(ConsoleAccess.LoginPath, async (HttpContext context, ConsoleOptions options, ConsoleAccess access) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var name = form["name"].ToString().Trim();
            var returnUrl = form["returnUrl"].ToString();
            // The name goes into the store, the events and the logs with each decision: a line break would forge a
            // log line, a bidi override would show another name.
            if (name.Length is 0 or > 100 || name.Any(char.IsControl) || Html.HasHidden(name))
            {
                return Form(context, options, returnUrl, "Enter your name, on one line of visible characters (at most 100): decisions are recorded with it.", StatusCodes.Status400BadRequest);
            }

            if (options.RequiresToken && !access.IsToken(form["token"].ToString()))
            {
                return Form(context, options, returnUrl, "That is not the console's token (Console:Token).", StatusCodes.Status401Unauthorized);
            }

            access.SignIn(context, name);
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
        });
    }

    private static IResult Form(HttpContext context, ConsoleOptions options, string? returnUrl, string? error, int statusCode = StatusCodes.Status200OK)
    {
        var token = options.RequiresToken
            ? """<label for="token">Token</label><input type="password" id="token" name="token" required autocomplete="current-password">"""
            : "";
        var message = error is null ? "" : $"""<p class="error" role="alert">{Html.Encode(error)}</p>""";
        var main = $"""
            <h1>Sign in</h1>
            {message}
            <form method="post" action="{ConsoleAccess.LoginPath}">
            <input type="hidden" name="returnUrl" value="{Html.Encode(IsLocal(returnUrl) ? returnUrl : "/")}">
            <label for="name">Your name</label>
            <input type="text" id="name" name="name" required maxlength="100" autocomplete="username" value="{Html.Encode(ConsoleUser.NameOf(context))}">
            {token}
            <p><button class="primary" type="submit">Sign in</button></p>
            </form>
            """;
        return Layout.Render(context, "Sign in", ConsoleAccess.LoginPath, main, statusCode: statusCode);
    }

    /// <summary>
    /// Only a path of this console: a login link can never send the person to another site. Browsers drop tabs and
    /// line breaks from a URL, so <c>/&lt;tab&gt;/elsewhere</c> would become <c>//elsewhere</c>: no control character passes.
    /// </summary>
    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
