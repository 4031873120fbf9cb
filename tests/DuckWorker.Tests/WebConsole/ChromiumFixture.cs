using Microsoft.Playwright;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// Debian's headless Chromium, driven by Playwright, shared by the browser tests of the assembly and started
/// at the first page one asks for. Without <c>/usr/bin/chromium</c> (<c>.ci/run</c> installs it) those tests
/// are skipped with the reason.
/// </summary>
public sealed class ChromiumFixture : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>A folder to save the console's screenshots to (the repository's <c>docs/</c> keeps them), when set.</summary>
    public const string ScreenshotsVariable = "DUCK_SCREENSHOTS";

    /// <summary>Generous: a fresh two-core CI machine runs these beside the worker and the broker.</summary>
    public const float Timeout = 30_000;

    private readonly SemaphoreSlim starting = new(1, 1);
    private IPlaywright? playwright;
    private IBrowser? browser;

    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>A page of a new browser context (its own cookies), phone-sized when <paramref name="phone"/>.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Skip($"No Chromium at {ExecutablePath}: install Debian's chromium package (.ci/run does) to run the browser tests.");
        }

        var context = await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1100, Height = 900 },
        });
        context.SetDefaultTimeout(Timeout);
        return await context.NewPageAsync();
    }

    private async Task<IBrowser> BrowserAsync()
    {
        await starting.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            playwright ??= await Playwright.CreateAsync();
            // Tests run as root in CI, where Chromium's sandbox cannot start.
            return browser ??= await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
        }
        finally
        {
            starting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        starting.Dispose();
    }
}
