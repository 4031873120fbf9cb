using System.Runtime.InteropServices;

namespace DuckWorker.Runtime.Tools.FileSystem.Native;

/// <summary>The fields of Linux's <c>struct statx</c> (256 bytes) that the file tools read.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal readonly struct StatX
{
    private const ushort TypeMask = 0xF000;

    [FieldOffset(16)]
    private readonly uint linkCount;

    [FieldOffset(28)]
    private readonly ushort mode;

    [FieldOffset(40)]
    private readonly ulong size;

    /// <summary>How many names the file has; more than one means another name may lie outside the workspace.</summary>
    public uint LinkCount => linkCount;

    public long Size => (long)size;

    public FileKind Kind => (mode & TypeMask) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Folder,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0x2000 or 0x6000 => FileKind.Device,
        _ => FileKind.Unknown,
    };
}
