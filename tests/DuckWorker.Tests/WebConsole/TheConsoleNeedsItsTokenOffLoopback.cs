using System.Net;
using System.Net.Http.Headers;
using DuckWorker.Testing.Broker;
using DuckWorker.Tests.Cli;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// Bound to anything but loopback, the console needs <c>Console:Token</c>: without it, it does not start; with
/// it, a request needs the token (bearer, or the login form's cookie); and a change from another site is refused.
/// </summary>
public sealed class TheConsoleNeedsItsTokenOffLoopback(BrokerFixture broker)
{
    private const string Token = "a-token-long-enough-for-the-console";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A console that starts serves until stopped: the timeout turns that failure into one.
    [Fact(Timeout = 60_000)]
    public async Task WithoutATokenItDoesNotStartOffLoopback()
    {
        var (exit, output, errors) = await Duck.RunAsync(new Dictionary<string, string?>(), "", "console", "--bind", "0.0.0.0", "--port", "0");
        var (shortExit, _, shortErrors) = await Duck.RunAsync(new Dictionary<string, string?> { ["Console:Token"] = "short" }, "", "console", "--port", "0");
        var (blankExit, _, blankErrors) = await Duck.RunAsync(new Dictionary<string, string?> { ["Console:Token"] = new string(' ', 20) }, "", "console", "--port", "0");

        Assert.Equal((78, "", "Console:Token must be set to bind the web console to 0.0.0.0, which is not a loopback address.\n"), (exit, output, errors));
        Assert.Equal((78, "Console:Token must be at least 16 characters long.\n"), (shortExit, shortErrors));
        Assert.Equal((78, "Console:Token must not start or end with a space.\n"), (blankExit, blankErrors));
    }

    [Fact]
    public async Task ARequestWithoutTheTokenIsRefusedAndTheLoginCookieLetsIn()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!))) { ["Console:Token"] = Token };
        try
        {
            await using var console = await ConsoleUnderTest.StartAsync(settings, bind: "0.0.0.0");
            var local = new UriBuilder(console.Url) { Host = "127.0.0.1" }.Uri;
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = local };

            using var anonymous = await http.GetAsync("/inbox/items", Ct);
            using var page = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } } }, Ct);
            using var wrongBearer = await SendAsync(http, HttpMethod.Get, "/inbox/items", "not-the-token");
            using var bearer = await SendAsync(http, HttpMethod.Get, "/inbox/items", Token);
            using var crossSite = await SendAsync(http, HttpMethod.Post, "/approvals/x/decision", Token, origin: "http://elsewhere.example");
            using var sameSite = await SendAsync(http, HttpMethod.Post, "/approvals/x/decision", Token, origin: $"http://{local.Authority}");
            using var wrongLogin = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "someone", ["token"] = "not-the-token" }), Ct);
            using var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "someone", ["token"] = Token, ["returnUrl"] = "//elsewhere.example/" }), Ct);
            using var signedIn = await http.GetAsync("/", Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login?returnUrl=%2F", page.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
            Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, sameSite.StatusCode);
            Assert.Contains("No approval has the id 'x'. Nothing was sent.", await sameSite.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongLogin.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/", login.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Contains("""Deciding as <strong id="user">someone</strong>""", await signedIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string token, string? origin = null)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "deny" });
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        return http.SendAsync(request, Ct);
    }
}
