using System.Runtime.InteropServices;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Kills a whole process group: a command runs as the leader of its own group (through <c>setsid</c>), so
/// that its timeout also ends whatever it started in the background, and nothing it started outlives it.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    public static void Kill(int leader)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = kill(-leader, SigKill);
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on one int call.
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
