using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole;

/// <summary>Text made safe for HTML content and attribute values: every page builds its markup from these.</summary>
internal static class Html
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A page or fragment as the response, never cached: it shows live state.</summary>
    public static IResult Page(string html, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
}
