using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Commands that are blocked whatever their arguments: they act as another user or as root, change the
/// kernel, the firewall, mounts, users or the boot, or destroy disks and file systems. Commands that mostly
/// read but can also reconfigure the system (<c>sysctl</c>, <c>ip</c>, <c>hostnamectl</c>) are blocked only
/// when asked to change something.
/// </summary>
internal static class PrivilegedCommands
{
    private static readonly string[] ActsAsRoot =
    [
        "sudo", "su", "doas", "pkexec", "runuser", "sudoedit", "chroot", "unshare", "nsenter", "capsh", "setpriv", "newgrp", "sg",
        "visudo", "passwd", "chpasswd", "chsh", "chfn", "useradd", "userdel", "usermod", "adduser", "deluser", "groupadd",
        "groupdel", "groupmod", "addgroup", "delgroup", "gpasswd", "vipw", "vigr", "insmod", "rmmod", "modprobe", "depmod",
        "iptables", "ip6tables", "iptables-save", "iptables-restore", "ip6tables-restore", "iptables-legacy", "iptables-nft",
        "nft", "ufw", "firewall-cmd", "ebtables", "arptables", "mount", "umount", "swapon", "swapoff", "setcap", "setenforce",
        "auditctl", "apparmor_parser", "aa-disable", "aa-complain", "losetup", "ldconfig", "update-alternatives", "update-grub",
        "grub-install", "grub-mkconfig", "efibootmgr", "bootctl", "mokutil", "dracut", "mkinitramfs", "update-initramfs",
        "chcon", "semanage", "setsebool", "machinectl", "pam-auth-update",
    ];

    private static readonly string[] DestroysDisks =
    [
        "mke2fs", "mkswap", "mkdosfs", "mkntfs", "mkexfatfs", "fdisk", "sfdisk", "cfdisk", "gdisk", "sgdisk", "parted", "partprobe",
        "wipefs", "blkdiscard", "hdparm", "badblocks", "e2fsck", "fsck", "tune2fs", "resize2fs", "debugfs", "xfs_repair", "xfs_admin",
        "zpool", "zfs", "lvremove", "lvcreate", "lvresize", "lvextend", "lvreduce", "vgremove", "vgcreate", "vgextend", "pvremove",
        "pvcreate", "mdadm", "cryptsetup", "dmsetup", "nvme", "flashrom",
    ];

    private static readonly HashSet<string> NetworkChangeVerbs = ["add", "del", "delete", "set", "flush", "change", "replace", "append", "up", "down", "link", "prepend"];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        foreach (var name in ActsAsRoot)
        {
            yield return (name, invocation => invocation.Report(Verdict.TakesOver("acts as another user or changes the system itself")));
        }

        foreach (var name in DestroysDisks)
        {
            yield return (name, invocation => invocation.Report(Verdict.Destroys("changes disks, partitions or file systems")));
        }

        yield return ("sysctl", invocation => invocation.Report(invocation.Arguments.Skip(1).Any(field => field.Text.Contains('=') || field.Text is "-w" or "-p" or "--load" or "--system" or "--write")
            ? Verdict.TakesOver("changes kernel settings")
            : Verdict.ReadsOutside("reads kernel settings")));
        yield return ("ip", invocation => JudgeNetworkConfiguration(invocation, invocation.Arguments.Skip(1).Any(field => NetworkChangeVerbs.Contains(field.Text))));
        yield return ("ifconfig", invocation => JudgeNetworkConfiguration(invocation, invocation.Arguments.Count > 2));
        yield return ("route", invocation => JudgeNetworkConfiguration(invocation, invocation.Arguments.Skip(1).Any(field => field.Text is "add" or "del" or "delete" or "flush")));
        foreach (var name in new[] { "hostnamectl", "timedatectl", "localectl", "resolvectl", "nmcli" })
        {
            yield return (name, invocation => invocation.Report(invocation.Arguments.Skip(1).Any(field => field.Text.StartsWith("set-", StringComparison.Ordinal) || field.Text is "modify" or "delete" or "up" or "down" or "add" or "connect" or "disconnect")
                ? Verdict.TakesOver("changes system settings")
                : Verdict.ReadsOutside("reads system settings")));
        }

        yield return ("gpg", JudgeGpg);
        yield return ("gpg2", JudgeGpg);
    }

    /// <summary><c>mkfs</c> and <c>fsck</c> come in many spellings (<c>mkfs.ext4</c>, <c>fsck.vfat</c>).</summary>
    public static CommandRule? ForPrefix(string name) =>
        name.StartsWith("mkfs", StringComparison.Ordinal) || name.StartsWith("fsck.", StringComparison.Ordinal) || name.StartsWith("mkfs.", StringComparison.Ordinal)
            ? invocation => invocation.Report(Verdict.Destroys("creates or repairs a file system"))
            : null;

    private static void JudgeNetworkConfiguration(Invocation invocation, bool changes) =>
        invocation.Report(changes ? Verdict.TakesOver("changes the network configuration") : Verdict.ReadsOutside("reads the network configuration"));

    private static void JudgeGpg(Invocation invocation)
    {
        if (invocation.Arguments.Skip(1).Any(field => field.Text is "--export-secret-keys" or "--export-secret-subkeys" or "--export-ssh-key"))
        {
            invocation.Report(Verdict.TakesOver("exports secret keys"));
            return;
        }

        invocation.Report(Verdict.Uncertain("uses the keyring, which the policy does not judge in detail"));
    }
}
