using System.Runtime.InteropServices;
using DuckWorker.Runtime.Tools.FileSystem.Native;
using Microsoft.Win32.SafeHandles;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// Opens a file of the workspace so that what is opened is what was judged, however the file system changes
/// in between. The path was resolved with every link followed (<see cref="WorkspacePath"/>); then:
/// <list type="bullet">
/// <item>the open does not follow a final link (O_NOFOLLOW), so a file swapped for a link after the check
/// is refused, not followed;</item>
/// <item>the open does not block (O_NONBLOCK): a FIFO swapped in after the check cannot hang the task, and
/// the opened file's type is checked on the descriptor (fstat), so only a regular file is ever read or
/// written;</item>
/// <item>the descriptor's real path (<c>/proc/self/fd/N</c>) must lie in the workspace, which catches a
/// folder of the path swapped for a link after the check;</item>
/// <item>a write opens without truncating and refuses a file with more than one name (a hard link whose
/// other name may lie outside the workspace), so a refused write changes nothing.</item>
/// </list>
/// </summary>
public static class ConfinedFile
{
    /// <summary>A regular file of the workspace, read-only; null, with the reason, for anything else. Also the console's way to read one.</summary>
    public static FileStream? OpenToRead(string workspace, string resolved, out string error)
    {
        var flags = LibC.ReadOnly | LibC.NoFollow | LibC.NonBlocking | LibC.CloseOnExec | LibC.NoControllingTerminal;
        var descriptor = LibC.Open(resolved, flags, out var errno);
        if (descriptor < 0)
        {
            error = Failure(workspace, resolved, errno);
            return null;
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (Refusal(workspace, resolved, descriptor, forWrite: false) is { } refused)
        {
            handle.Dispose();
            error = refused;
            return null;
        }

        error = "";
        return new FileStream(handle, FileAccess.Read, bufferSize: 0);
    }

    /// <summary>Opens an existing file without truncating it, or creates it; the caller truncates once the file is accepted.</summary>
    internal static FileStream? OpenToWrite(string workspace, string resolved, out string error)
    {
        var flags = LibC.WriteOnly | LibC.NoFollow | LibC.NonBlocking | LibC.CloseOnExec | LibC.NoControllingTerminal;
        var created = false;
        var descriptor = LibC.Open(resolved, flags, out var errno);
        if (descriptor < 0 && errno == LibC.NoSuchFile)
        {
            // O_EXCL: the file this call creates is a new one, so it alone may be removed if refused below.
            descriptor = LibC.Open(resolved, flags | LibC.Create | LibC.Exclusive, out errno);
            created = descriptor >= 0;
        }

        if (descriptor < 0)
        {
            error = Failure(workspace, resolved, errno);
            return null;
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (Refusal(workspace, resolved, descriptor, forWrite: true) is { } refused)
        {
            if (created && RealPath(descriptor) is { } landed)
            {
                File.Delete(landed);
            }

            handle.Dispose();
            error = refused;
            return null;
        }

        error = "";
        return new FileStream(handle, FileAccess.Write, bufferSize: 0);
    }

    /// <summary>
    /// Opens a folder to list it, with the same checks; the listing then goes through the descriptor
    /// (<see cref="ListingPath"/>), so it lists the folder that was checked.
    /// </summary>
    internal static SafeFileHandle? OpenFolder(string workspace, string resolved, out string error)
    {
        var flags = LibC.ReadOnly | LibC.FolderOnly | LibC.NoFollow | LibC.CloseOnExec;
        var descriptor = LibC.Open(resolved, flags, out var errno);
        if (descriptor < 0)
        {
            // With O_DIRECTORY, a final link is reported as "not a folder" rather than as a link.
            error = errno == LibC.NotAFolder && KindOf(resolved) is not FileKind.SymbolicLink
                ? $"'{WorkspacePath.Relative(workspace, resolved)}' is not a folder."
                : Failure(workspace, resolved, errno == LibC.NotAFolder ? LibC.TooManyLinks : errno);
            return null;
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (LeadsOutside(workspace, descriptor))
        {
            handle.Dispose();
            error = $"'{WorkspacePath.Relative(workspace, resolved)}' changed while it was opened and now leads outside the workspace.";
            return null;
        }

        error = "";
        return handle;
    }

    /// <summary>A path that reaches the opened folder itself (through <c>/proc/self/fd</c>), or <paramref name="resolved"/> without /proc.</summary>
    internal static string ListingPath(SafeFileHandle folder, string resolved)
    {
        var path = $"/proc/self/fd/{folder.DangerousGetHandle()}";
        return Directory.Exists(path) ? path : resolved;
    }

    /// <summary>
    /// The kind of file at <paramref name="path"/>, a final link not followed (lstat), or null when nothing is
    /// there; asked before opening so that a device or a FIFO is refused without being opened.
    /// </summary>
    internal static FileKind? KindOf(string path)
    {
        if (LibC.TryStatus(path, out var status))
        {
            return status.Kind;
        }

        return Marshal.GetLastPInvokeError() is LibC.NoSuchFile or LibC.NotAFolder ? null : FileKind.Unknown;
    }

    /// <summary>How many names (hard links) the file at <paramref name="path"/> has; 0 when nothing is there.</summary>
    internal static uint LinkCountOf(string path) => LibC.TryStatus(path, out var status) ? status.LinkCount : 0;

    /// <summary>"a FIFO (named pipe)", "a socket"…: what a file that is not a regular file is, for messages.</summary>
    internal static string Describe(FileKind kind) => kind switch
    {
        FileKind.Folder => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.Device => "a device",
        FileKind.Regular => "a regular file",
        _ => "a file of an unknown type",
    };

    private static string? Refusal(string workspace, string resolved, int descriptor, bool forWrite)
    {
        var relative = WorkspacePath.Relative(workspace, resolved);
        if (!LibC.TryStatus(descriptor, out var status))
        {
            return $"'{relative}' could not be examined: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }

        if (status.Kind != FileKind.Regular)
        {
            return $"'{relative}' is {Describe(status.Kind)}, not a regular file; the file tools read and write regular files only.";
        }

        if (forWrite && status.LinkCount > 1)
        {
            return $"'{relative}' has {status.LinkCount} names (hard links); another name may lie outside the workspace, so fs_write does not change it.";
        }

        if (LeadsOutside(workspace, descriptor))
        {
            return $"'{relative}' changed while it was opened and now leads outside the workspace.";
        }

        return null;
    }

    /// <summary>Without /proc, the checks before the open (no final link, resolved just before) are what stand.</summary>
    private static bool LeadsOutside(string workspace, int descriptor) =>
        RealPath(descriptor) is { } real && !WorkspacePath.IsInside(workspace, real);

    private static string? RealPath(int descriptor) => new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;

    private static string Failure(string workspace, string resolved, int errno)
    {
        var relative = WorkspacePath.Relative(workspace, resolved);
        return errno switch
        {
            LibC.NoSuchFile => $"'{relative}' does not exist.",
            LibC.TooManyLinks => $"'{relative}' became a symbolic link after it was checked; it is not followed.",
            LibC.NoSuchDevice => $"'{relative}' is a FIFO (named pipe) or a socket, not a regular file; the file tools read and write regular files only.",
            _ => $"'{relative}' could not be opened: {Marshal.GetPInvokeErrorMessage(errno)}",
        };
    }
}
