using System.Runtime.InteropServices;

namespace DuckWorker.Runtime.Tools.FileSystem.Native;

/// <summary>
/// The C library calls the file tools need and .NET does not offer: an <c>open</c> that neither follows a
/// final link nor blocks on a FIFO, and <c>statx</c>, which tells a file's type and link count (its layout,
/// unlike <c>struct stat</c>, is the same on every architecture).
/// </summary>
// DllImport, not LibraryImport: the generated stubs would need unsafe code in the project for no gain here.
#pragma warning disable SYSLIB1054
internal static class LibC
{
    public const int ReadOnly = 0x0;
    public const int WriteOnly = 0x1;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int NoControllingTerminal = 0x100;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;

    public const int NoSuchFile = 2;      // ENOENT
    public const int NoSuchDevice = 6;    // ENXIO: a FIFO without a reader, or a socket
    public const int NotAFolder = 20;     // ENOTDIR: a folder of the path is a file
    public const int TooManyLinks = 40;   // ELOOP: with O_NOFOLLOW, the last component is a link

    private const int CurrentFolder = -100;   // AT_FDCWD
    private const int DoNotFollow = 0x100;    // AT_SYMLINK_NOFOLLOW
    private const int EmptyPath = 0x1000;     // AT_EMPTY_PATH: statx of the descriptor itself
    private const uint BasicStats = 0x7ff;    // STATX_BASIC_STATS

    /// <summary>O_NOFOLLOW: arm, arm64 and powerpc number it differently from the generic Linux value.</summary>
    public static int NoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le
        ? 0x8000
        : 0x20000;

    /// <summary>O_DIRECTORY, numbered differently on the same architectures as O_NOFOLLOW.</summary>
    public static int FolderOnly => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le
        ? 0x4000
        : 0x10000;

    /// <summary>Opens <paramref name="path"/> and returns the descriptor, or -1 with the errno in <paramref name="error"/>.</summary>
    public static int Open(string path, int flags, out int error)
    {
        var descriptor = open(path, flags, 0b110_110_110); // 0666, less the umask, for a file it creates
        error = descriptor < 0 ? Marshal.GetLastPInvokeError() : 0;
        return descriptor;
    }

    /// <summary>The status of a path, without following a final link; false when it cannot be asked (e.g. it does not exist).</summary>
    public static bool TryStatus(string path, out StatX status) =>
        statx(CurrentFolder, path, DoNotFollow, BasicStats, out status) == 0;

    /// <summary>The status of an open descriptor.</summary>
    public static bool TryStatus(int descriptor, out StatX status) =>
        statx(descriptor, "", EmptyPath, BasicStats, out status) == 0;

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int open(string path, int flags, uint mode);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int folder, string path, int flags, uint mask, out StatX status);
}
#pragma warning restore SYSLIB1054
