namespace DuckWorker.Health;

/// <summary>
/// <c>DuckWorker --health</c>: asks the running worker's readiness endpoint and exits 0 when it is ready, so a
/// container health check needs no curl in the image.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--health";

    public static async Task<int> RunAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{HealthEndpoint.ReadyPath}"));
            Console.WriteLine(await response.Content.ReadAsStringAsync());
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"The worker's health endpoint on port {port} does not answer: {ex.Message}");
            return 1;
        }
    }
}
