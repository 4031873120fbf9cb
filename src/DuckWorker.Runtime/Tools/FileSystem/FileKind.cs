using System.Runtime.InteropServices;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// Whether a path is a regular file. .NET does not tell devices, FIFOs and sockets from files, and opening a
/// FIFO to read it blocks until something writes to it, so the file tools ask the C library.
/// </summary>
internal static class FileKind
{
    private const uint TypeMask = 0xF000;
    private const uint RegularFile = 0x8000;

    /// <summary>True for a regular file (links followed); also true where the type cannot be asked, when the file exists.</summary>
    public static bool IsRegularFile(string path)
    {
        var modeOffset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (!OperatingSystem.IsLinux() || modeOffset < 0)
        {
            return File.Exists(path);
        }

        var status = new byte[256];
        if (stat(path, status) != 0)
        {
            return false;
        }

        return (BitConverter.ToUInt32(status, modeOffset) & TypeMask) == RegularFile;
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for no gain on one call.
    private static extern int stat(string path, byte[] status);
#pragma warning restore SYSLIB1054
}
