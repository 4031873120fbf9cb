using System.Net;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// What another site could make a browser do to the console: rename itself to 127.0.0.1 (DNS rebinding) and be
/// "same origin" with a console that has no token, or send a person through the login form back to itself; and a
/// name given at the login, which every decision carries, that would forge a log line or show as another name.
/// </summary>
public sealed class AnotherSiteCannotUseTheConsoleThroughABrowser(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutATokenARequestNamingAnotherHostIsRefused()
    {
        await UsingConsoleAsync(new Dictionary<string, string?>(), async (http, url) =>
        {
            using var rebound = await SendAsync(http, HttpMethod.Get, "/inbox/items", $"attacker.example:{url.Port}");
            using var reboundPost = await SendAsync(http, HttpMethod.Post, "/approvals/x/decision", $"attacker.example:{url.Port}", origin: $"http://attacker.example:{url.Port}");
            using var byName = await SendAsync(http, HttpMethod.Get, "/inbox/items", $"localhost:{url.Port}");
            using var byIPv6 = await SendAsync(http, HttpMethod.Get, "/inbox/items", $"[::1]:{url.Port}");

            Assert.Equal(HttpStatusCode.Forbidden, rebound.StatusCode);
            Assert.Contains("answers only to localhost, 127.0.0.1 or [::1], not to 'attacker.example:", await rebound.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, reboundPost.StatusCode);
            Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
            Assert.Equal(HttpStatusCode.OK, byIPv6.StatusCode);
        });
    }

    [Fact]
    public async Task TheLoginFormSendsThePersonOnlyToAPageOfTheConsole()
    {
        await UsingConsoleAsync(new Dictionary<string, string?>(), async (http, _) =>
        {
            var places = new List<string>();
            foreach (var returnUrl in new[] { "/\t/attacker.example/", "/\n/attacker.example/", "/\\attacker.example/", "https://attacker.example/", "/tasks?status=failed" })
            {
                using var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "someone", ["returnUrl"] = returnUrl }), Ct);
                places.Add(login.Headers.Location!.OriginalString);
            }

            // A browser drops the tab or line break, and "/<tab>/attacker.example/" would lead to //attacker.example/.
            Assert.Equal(["/", "/", "/", "/", "/tasks?status=failed"], places);
        });
    }

    [Fact]
    public async Task ANameThatWouldForgeALogLineOrShowAnotherNameIsRefused()
    {
        await UsingConsoleAsync(new Dictionary<string, string?>(), async (http, _) =>
        {
            var statuses = new List<HttpStatusCode>();
            foreach (var name in new[] { "ann\nwarn: DuckWorker[5601] Sent allow_forever", "\u202Enna", "ann\u200B", "Zoë Ann" })
            {
                using var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name }), Ct);
                statuses.Add(login.StatusCode);
            }

            Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Redirect], statuses);
        });
    }

    private async Task UsingConsoleAsync(Dictionary<string, string?> extra, Func<HttpClient, Uri, Task> use)
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!)).Concat(extra));
        try
        {
            await using var console = await ConsoleUnderTest.StartAsync(settings);
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.Url };
            await use(http, console.Url);
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string host, string? origin = null)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Host = host } };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "deny" });
        }

        return http.SendAsync(request, Ct);
    }
}
