using System.Diagnostics;

namespace RetentionAnalytics.Tests.Support;

/// <summary>Runs the real `ra` command line in its own process, as scripts and operators do.</summary>
public static class RaCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ra.dll");

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["NO_COLOR"] = "1";
        return Process.Start(info)!;
    }

    /// <summary>Runs and fails the test with the command's own output when it does not exit 0.</summary>
    public static string RunOk(params string[] args)
    {
        var (exit, output) = Run(args);
        Assert.True(exit == 0, $"ra {string.Join(' ', args)} exited {exit}:\n{output}");
        return output;
    }

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"ra {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
