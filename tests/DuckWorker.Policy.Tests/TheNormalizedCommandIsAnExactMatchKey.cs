using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

public sealed class TheNormalizedCommandIsAnExactMatchKey
{
    private const string Workspace = "/work/ws";
    private static readonly CommandPolicy Policy = new();

    private static string Key(string commandLine) => Policy.Evaluate(commandLine, Workspace).NormalizedCommand;

    [Theory]
    [InlineData("ls -la", "ls -la")]
    [InlineData("ls  -la", "ls -la")]
    [InlineData("  ls\t-la  ", "ls -la")]
    [InlineData("'ls' \"-la\"", "ls -la")]
    [InlineData("l\\s -la", "ls -la")]
    [InlineData("ls -la # list everything", "ls -la")]
    [InlineData("ls -la;", "ls -la")]
    [InlineData("ls\\\n -la", "ls -la")]
    [InlineData("git   commit -m \"fix the bug\"", "git commit -m 'fix the bug'")]
    [InlineData("echo \"it's\"", "echo 'it'\\''s'")]
    [InlineData("a&&b||c", "a && b || c")]
    [InlineData("ls|wc -l", "ls | wc -l")]
    [InlineData("ls\npwd", "ls; pwd")]
    [InlineData("ls 2>/dev/null", "ls 2> /dev/null")]
    [InlineData(">out echo hi", "echo hi > out")]
    [InlineData("echo `date`", "echo $(date)")]
    [InlineData("echo $'\\x41'", "echo A")]
    public void SpellingsOfOneCommandShareOneKey(string commandLine, string expected)
    {
        Assert.Equal(expected, Key(commandLine));
    }

    [Theory]
    [InlineData("ls -la", "ls -lah")]
    [InlineData("ls -la", "ls -la /")]
    [InlineData("echo $HOME", "echo '$HOME'")]
    [InlineData("echo *", "echo '*'")]
    [InlineData("echo {a,b}", "echo '{a,b}'")]
    [InlineData("ls ~", "ls '~'")]
    [InlineData("ls ~root", "ls ~\"root\"")]
    [InlineData("rm a b", "rm 'a b'")]
    [InlineData("echo a\\ b", "echo a b")]
    [InlineData("X=1 env", "'X=1' env")]
    [InlineData("echo $X\"y\"", "echo $Xy")]
    [InlineData("echo \"$X\"", "echo $X")]
    [InlineData("echo \"$@\"", "echo $@")]
    [InlineData("echo ''$X", "echo $X")]
    [InlineData("ls; rm x", "ls 'rm x'")]
    [InlineData("a && b", "a || b")]
    [InlineData("a | b", "a |& b")]
    [InlineData("a; b", "a & b")]
    [InlineData("cat <<EOF\n$x\nEOF", "cat <<'EOF'\n$x\nEOF")]
    [InlineData("[[ $x =~ a$ ]]", "[[ $x =~ 'a$' ]]")]
    [InlineData("\"if\" true", "if true; then :; fi")]
    [InlineData("echo a#b", "echo a")]
    [InlineData("<x !", "! <x true")]
    public void DifferentCommandsNeverShareAKey(string left, string right)
    {
        Assert.NotEqual(Key(left), Key(right));
    }

    [Fact]
    public void ALineThatDoesNotParseIsItsOwnKey()
    {
        Assert.Equal("echo 'broken  ", Key("echo 'broken  "));
        Assert.Equal("ls\u0000 -la", Key("ls\u0000 -la"));
    }

    [Fact]
    public void HereDocumentsKeepTheirBodies()
    {
        Assert.Equal("cat <<'EOF' > out.txt\nline one\n  line two\nEOF", Key("cat  <<'EOF'  >out.txt\nline one\n  line two\nEOF"));
        Assert.Equal("cat <<EOF\nindented\nEOF\necho done", Key("cat <<-EOF\n\tindented\n\tEOF\necho done"));
    }

    [Fact]
    public void CompoundCommandsRenderOnOneLine()
    {
        Assert.Equal(
            "if [ -f x ]; then cat x; else echo none; fi; for f in *.txt; do wc -l \"$f\"; done",
            Key("if [ -f x ]\nthen\n  cat x\nelse\n  echo none\nfi\nfor f in *.txt\ndo\n  wc -l \"$f\"\ndone"));
        Assert.Equal("f() { ls; }; ( cd src && make ) & wait", Key("function f { ls; }\n(cd src && make) &\nwait"));
    }
}
