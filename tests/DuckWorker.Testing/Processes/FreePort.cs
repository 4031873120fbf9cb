using System.Net;
using System.Net.Sockets;

namespace DuckWorker.Testing.Processes;

/// <summary>A TCP port nothing listens on at the moment, for a program under test to listen on.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
