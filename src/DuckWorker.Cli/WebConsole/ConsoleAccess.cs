using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// The console's gate, in front of every page: with <c>Console:Token</c> set, a request needs the token as a
/// bearer token or the login cookie; a POST must come from the console's own pages (a cross-site form or
/// script is refused, whatever cookie it carries); and each request learns who is deciding.
/// </summary>
internal sealed class ConsoleAccess(ConsoleOptions options, IDataProtectionProvider protection)
{
    public const string CookieName = "duck_console";
    public const string LoginPath = "/login";

    private readonly IDataProtector cookies = protection.CreateProtector("DuckWorker.Console.Login");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        headers.CacheControl = "no-store";

        if (!options.RequiresToken && !IsLoopbackName(context.Request.Host))
        {
            // Without a token, only the address guards the console: a site that points its own name at 127.0.0.1
            // (DNS rebinding) would otherwise be "same origin" with it, read its pages and send decisions.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                $"Refused: without Console:Token the console answers only to localhost, 127.0.0.1 or [::1], not to '{context.Request.Host}'. Set Console:Token to reach it by another name.",
                context.RequestAborted);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !IsSameOrigin(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Refused: a change must come from the console's own pages (cross-site request).", context.RequestAborted);
            return;
        }

        var name = SignedInName(context.Request);
        var bearer = HasBearerToken(context.Request);
        if (options.RequiresToken && name is null && !bearer && context.Request.Path != LoginPath)
        {
            await RefuseAsync(context);
            return;
        }

        if (name is not null || bearer || !options.RequiresToken)
        {
            // Without a token (loopback only) the console decides as the user running it until a name is given.
            ConsoleUser.Set(context, name ?? (bearer ? "token" : Environment.UserName));
        }

        await next(context);
    }

    /// <summary>
    /// Whether <paramref name="token"/> is the console's token, compared in constant time. Their hashes are compared,
    /// not the tokens: a comparison of two lengths ends at once, and its time would tell the token's length.
    /// </summary>
    public bool IsToken(string? token) =>
        options.Token is { } expected && token is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    public void SignIn(HttpContext context, string name) =>
        context.Response.Cookies.Append(CookieName, cookies.Protect(name), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });

    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });

    private string? SignedInName(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        try
        {
            return cookies.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            // A cookie of an earlier run of the console (its keys live in memory only) or a forged one: not signed in.
            return null;
        }
    }

    private bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header
        && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && IsToken(header["Bearer ".Length..].Trim());

    /// <summary>Whether the request names this machine's loopback (<c>localhost</c> or a loopback address), as a browser on it does.</summary>
    private static bool IsLoopbackName(HostString host) =>
        host.Host.Trim('[', ']') is var name
        && (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address)));

    /// <summary>
    /// Browsers send <c>Sec-Fetch-Site</c> and <c>Origin</c> with every POST; either naming another site refuses
    /// it. A client that sends neither is no browser, so no other site can make it send a request.
    /// </summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site is not ("same-origin" or "none"))
        {
            return false;
        }

        return request.Headers.Origin.ToString() is not { Length: > 0 } origin
            || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task RefuseAsync(HttpContext context)
    {
        var wantsPage = HttpMethods.IsGet(context.Request.Method)
            && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
        if (wantsPage)
        {
            context.Response.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync("The console needs its token: Authorization: Bearer <Console:Token>, or sign in at /login.", context.RequestAborted);
    }
}
