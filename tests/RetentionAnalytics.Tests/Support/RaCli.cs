using System.Diagnostics;

namespace RetentionAnalytics.Tests.Support;

/// <summary>Runs the real `ra` command line in its own process, as scripts and operators do.</summary>
public static class RaCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ra.dll");

    public static Process Start(params string[] args) => Start(redirectInput: false, args);

    /// <summary>
    /// As a shell at a terminal starts it: with Ctrl+C's SIGINT at its default. A process started in the background (a CI
    /// job, nohup) inherits SIGINT ignored and passes that on, and a command that ignores SIGINT rightly goes on.
    /// </summary>
    public static Process StartAsAtATerminal(params string[] args) => Start(redirectInput: false, args, atATerminal: true);

    private static Process Start(bool redirectInput, string[] args, IReadOnlyDictionary<string, string>? environment = null, bool atATerminal = false)
    {
        var info = new ProcessStartInfo(atATerminal ? "env" : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false,
        };
        if (atATerminal)
        {
            // env resets the signals and then becomes dotnet: the same process id
            info.ArgumentList.Add("--default-signal=INT,TERM");
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return Process.Start(info)!;
    }

    /// <summary>Runs and fails the test with the command's own output when it does not exit 0.</summary>
    public static string RunOk(params string[] args)
    {
        var (exit, output) = Run(args);
        Assert.True(exit == 0, $"ra {string.Join(' ', args)} exited {exit}:\n{output}");
        return output;
    }

    public static (int ExitCode, string Output) Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs with settings in the environment (e.g. <c>Warehouse__CompactAtGrowth</c>), as an operator's service does.</summary>
    public static string RunOk(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var (exit, output) = Complete(Start(redirectInput: false, args, environment), null, args);
        Assert.True(exit == 0, $"ra {string.Join(' ', args)} exited {exit}:\n{output}");
        return output;
    }

    /// <summary>Runs with <paramref name="input"/> on standard input (null: none redirected), as a pipe in a script does.</summary>
    public static (int ExitCode, string Output) RunWithInput(string? input, params string[] args)
        => Complete(Start(input is not null, args), input, args);

    private static (int ExitCode, string Output) Complete(Process started, string? input, string[] args)
    {
        using var p = started;
        if (input is not null)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
        }
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
