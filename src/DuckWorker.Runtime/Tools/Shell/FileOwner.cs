using System.Runtime.InteropServices;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>The user and group that own a file, which .NET's file API does not tell.</summary>
internal static partial class FileOwner
{
    public static (uint User, uint Group)? Of(string path)
    {
        // FileStatus of the runtime's own native shim: Flags, Mode, Uid, Gid, then fields we need not read.
        var status = new byte[256];
        return Stat(path, status) == 0
            ? (BitConverter.ToUInt32(status, 8), BitConverter.ToUInt32(status, 12))
            : null;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on one call.
    private static extern int Stat(string path, byte[] status);
#pragma warning restore SYSLIB1054
}
