using System.Net;
using Microsoft.Extensions.Configuration;

namespace DuckWorker.Cli.WebConsole;

/// <summary>The token a console request needs (<c>Console:Token</c>), and where <c>duck console</c> listens.</summary>
internal sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Shorter tokens are refused: the token is all that guards the console on a network.</summary>
    public const int MinTokenLength = 16;

    /// <summary>When set, every request needs it (bearer, or the login cookie); required off loopback.</summary>
    public string? Token { get; set; }

    public IPAddress Bind { get; private set; } = IPAddress.Loopback;

    public int Port { get; private set; }

    public bool RequiresToken => Token is not null;

    /// <summary>
    /// The options of <c>duck console</c>, checked before anything listens: off loopback a token is required,
    /// and a token, when set, must be long enough.
    /// </summary>
    public static ConsoleOptions From(IConfiguration configuration, string bind, int port)
    {
        var address = string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(bind, out var parsed) ? parsed
            : throw new CliException($"--bind must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{bind}'.");
        if (port is < 0 or > 65535)
        {
            throw new CliException($"--port must be between 0 and 65535, not {port}.");
        }

        var token = configuration[$"{Section}:{nameof(Token)}"] is { Length: > 0 } set ? set : null;
        if (token is null && !IPAddress.IsLoopback(address))
        {
            throw new CliException($"Console:Token must be set to bind the web console to {address}, which is not a loopback address.", ExitCodes.Configuration);
        }

        if (token is { Length: < MinTokenLength })
        {
            throw new CliException($"Console:Token must be at least {MinTokenLength} characters long.", ExitCodes.Configuration);
        }

        // A bearer token is read without the spaces around it: a token of spaces, or one starting or ending with
        // one, could never be sent, and would guard the login form with nothing but its length.
        if (token is not null && token.Trim() != token)
        {
            throw new CliException("Console:Token must not start or end with a space.", ExitCodes.Configuration);
        }

        return new ConsoleOptions { Token = token, Bind = address, Port = port };
    }
}
