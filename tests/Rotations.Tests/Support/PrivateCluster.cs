using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rotations.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb into a temporary folder, a free port), so that the test can
/// stop and start it under a running app, which the shared test cluster must never be. As root, the server
/// runs as the postgres user, like tools/postgres.sh's pg_as_owner. Dispose stops it and removes the folder.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string root;
    private readonly string bin;
    private string Data => Path.Combine(root, "data");
    public int Port { get; }
    private string Password { get; }

    private PrivateCluster(string root, string bin, int port, string password) =>
        (this.root, this.bin, Port, Password) = (root, bin, port, password);

    /// <summary>The administrative connection string of database <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres", bool pooling = false) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Password = Password, Database = database, Pooling = pooling,
    }.ConnectionString;

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = FindBin();
        var root = Directory.CreateTempSubdirectory("rotations-pg-").FullName;
        var cluster = new PrivateCluster(root, bin, FreePort(), $"pw-{Guid.NewGuid():N}");
        try
        {
            await RunAsync("chmod", "755", root);
            Directory.CreateDirectory(cluster.Data);
            var pwfile = Path.Combine(root, "pwfile");
            await File.WriteAllTextAsync(pwfile, cluster.Password + "\n");
            await RunAsync("chmod", "644", pwfile);
            if (IsRoot) await RunAsync("chown", "postgres", cluster.Data);
            await RunAsync("chmod", "700", cluster.Data);
            await cluster.AsOwnerAsync("initdb", "-D", cluster.Data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={pwfile}",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync");
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server: <c>fast</c> ends sessions cleanly (57P01), <c>immediate</c> is a crash (recovery at the next start).</summary>
    public Task StopServerAsync(string mode = "fast") => AsOwnerAsync("pg_ctl", "-D", Data, "-m", mode, "-w", "stop");

    public Task StartServerAsync() => AsOwnerAsync("pg_ctl", "-D", Data, "-w", "-t", "60", "-l", Path.Combine(Data, "server.log"),
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={Data} -c max_connections=200 -c fsync=off", "start");

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            try { await AsOwnerAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { /* already down */ }
        }
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsOwnerAsync(string program, params string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. args])
               : RunAsync(Path.Combine(bin, program), args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }

    /// <summary>PostgreSQL's server programs, where Debian puts them (the newest version), or beside pg_config.</summary>
    private static string FindBin()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException("PostgreSQL's server programs (initdb, pg_ctl) were not found under /usr/lib/postgresql; ./test.sh installs them.");
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
