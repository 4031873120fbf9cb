namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// The type of a file as the kernel tells it. .NET does not tell devices, FIFOs and sockets from files, and
/// opening a FIFO blocks until the other end is opened, so the file tools ask (see <see cref="Native.LibC"/>).
/// </summary>
internal enum FileKind
{
    Unknown,
    Regular,
    Folder,
    SymbolicLink,
    Fifo,
    Socket,
    Device,
}
