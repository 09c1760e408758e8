using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RetentionAnalytics.Tests.Support;

/// <summary>
/// A private PostgreSQL cluster from Debian's packages (installed with apt-get when missing and this process is root),
/// in a temporary folder on a free port of 5460–5469, loopback only; stopped and removed on dispose. Tests that need
/// it call <see cref="SkipUnlessAvailable"/>: they are skipped, saying why, only when the binaries cannot be had.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const int FirstPort = 5460;
    private const int LastPort = 5469;
    private const string Superuser = "ra";

    private static readonly Lazy<(string? Bin, string? Why)> Binaries = new(FindOrInstall);

    private readonly string? _folder;
    private readonly string? _data;

    public int Port { get; }
    public string? Unavailable { get; }

    public PostgresServer()
    {
        var (bin, why) = Binaries.Value;
        if (bin is null)
        {
            Unavailable = why;
            return;
        }
        _folder = Directory.CreateTempSubdirectory("ra-pg-").FullName;
        _data = Path.Combine(_folder, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // postgres refuses to run as root: the cluster belongs to Debian's postgres account
            Run("chown", ["postgres", _folder]);
        }
        RunPg(bin, asRoot, "initdb", ["-D", _data, "-A", "trust", "-U", Superuser, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        Port = FreePort();
        RunPg(bin, asRoot, "pg_ctl", ["-D", _data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"]);
        _bin = bin;
        _asRoot = asRoot;
    }

    private readonly string? _bin;
    private readonly bool _asRoot;

    /// <summary>A new, empty database on this server, as an Npgsql connection string.</summary>
    public string CreateDatabase()
    {
        SkipUnlessAvailable();
        var name = "ra_" + Guid.NewGuid().ToString("N")[..12];
        using (var c = new NpgsqlConnection(ConnectionString("postgres")))
        {
            c.Open();
            using var create = c.CreateCommand();
            create.CommandText = $"create database {name}";
            create.ExecuteNonQuery();
        }
        return ConnectionString(name);
    }

    /// <summary>The operational data in a new, empty database on this server (skips the test when there is no server).</summary>
    public RetentionAnalytics.Core.Warehouse.OpsOptions NewOps() =>
        new() { Provider = RetentionAnalytics.Core.Warehouse.OpsOptions.Postgres, ConnectionString = CreateDatabase() };

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Pooling=true;Include Error Detail=true";

    public void SkipUnlessAvailable() => Skip.If(Unavailable is not null, Unavailable);

    public void Dispose()
    {
        if (_bin is not null && _data is not null)
        {
            RunPg(_bin, _asRoot, "pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);
        }
        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // a file the server was still closing; the temp folder is harmless
            }
        }
    }

    private static (string?, string?) FindOrInstall()
    {
        if (Find() is { } found)
        {
            return (found, null);
        }
        if (Environment.UserName != "root")
        {
            return (null, "PostgreSQL is not installed and this user cannot install it (apt-get install postgresql as root)");
        }
        var update = Run("apt-get", ["update", "-qq"], throwOnError: false);
        var install = Run("apt-get", ["install", "-y", "-qq", "postgresql"], throwOnError: false);
        return Find() is { } installed
            ? (installed, null)
            : (null, $"PostgreSQL could not be installed with apt-get: {update.Output} {install.Output}".Trim());
    }

    /// <summary>Debian's server binaries (newest major version), e.g. /usr/lib/postgresql/15/bin.</summary>
    private static string? Find() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        for (var port = FirstPort; port <= LastPort; port++)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: the next one
            }
        }
        throw new InvalidOperationException($"No free port for PostgreSQL in {FirstPort}–{LastPort}");
    }

    private static void RunPg(string bin, bool asRoot, string tool, string[] args)
    {
        var path = Path.Combine(bin, tool);
        if (asRoot)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            Run(path, args);
        }
    }

    private static (int Exit, string Output) Run(string file, string[] args, bool throwOnError = true)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        var output = stdout.Result + stderr.Result;
        if (throwOnError && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {output}");
        }
        return (p.ExitCode, output);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
