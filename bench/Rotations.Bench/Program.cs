using System.Globalization;
using Rotations.Bench;

// Benchmarks of Rotations: figures, not assertions of speed. Correctness is checked; a wrong result exits 1.
// Usage: Rotations.Bench reminders [--stints 1000,10000] [--inbox 1000] [--emails 1000] [--markdown] [--doc PATH] [--keep]
//        Rotations.Bench programme [--leaders 2000] [--seed 1] [--concurrency 16] [--seconds 5] [--warmup 2 (seconds per read, in each of two passes)] [--bookings 400] [--import 10000]
//                                  [--app DIR] [--markdown] [--doc PATH] [--keep] [--reads TEXT (only those reads, no writes)]
try
{
    var arguments = args.ToList();
    var benchmark = arguments.Count > 0 && !arguments[0].StartsWith('-') ? arguments[0] : "reminders";
    if (arguments.Count > 0 && !arguments[0].StartsWith('-')) arguments.RemoveAt(0);
    string? Option(string name)
    {
        var i = arguments.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= arguments.Count) throw new BenchException($"{name} needs a value.");
        var value = arguments[i + 1];
        arguments.RemoveRange(i, 2);
        return value;
    }
    bool Flag(string name) => arguments.Remove(name);
    int Number(string text, string name) =>
        int.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new BenchException($"{name}: \"{text}\" is not a positive whole number.");

    if (benchmark == "programme") return await RunProgrammeAsync();

    var sizes = (Option("--stints") ?? "10000").Split(',').Select(s => Number(s.Trim(), "--stints")).ToList();
    var inbox = Number(Option("--inbox") ?? "1000", "--inbox");
    var emails = Number(Option("--emails") ?? "1000", "--emails");
    var doc = Option("--doc");
    var markdown = Flag("--markdown");
    var keep = Flag("--keep");
    if (arguments.Count > 0) throw new BenchException($"Unknown arguments: {string.Join(' ', arguments)}");
    if (benchmark != "reminders") throw new BenchException($"No benchmark named \"{benchmark}\"; there are: reminders, programme.");

    var server = BenchDatabase.ServerFromEnvironment();
    var machine = await Machine.DescribeAsync(await BenchDatabase.ServerVersionAsync(server));
    foreach (var (name, value) in machine) Console.WriteLine($"{name,-11} {value}");
    Console.WriteLine();

    var runs = new List<Figures>();
    foreach (var size in sizes)
    {
        Console.Error.WriteLine($"bench: reminders over {size:N0} stints…");
        runs.Add(await new ReminderBenchmark(server, size, inbox, emails, keep).RunAsync());
    }
    Console.WriteLine(Figures.Table(runs, markdown: false));
    Console.WriteLine("All correctness checks passed.");

    if (markdown)
    {
        var path = doc ?? BenchmarkDoc.DefaultPath();
        var command = "bench/reminders.sh" + (sizes.SequenceEqual([10_000]) ? "" : $" --stints {string.Join(',', sizes)}");
        var content =
            $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}`.\n\n" +
            string.Join("\n", machine.Select(m => $"- {m.Name}: {m.Value}")) + "\n\n" +
            Figures.Table(runs, markdown: true);
        BenchmarkDoc.WriteSection(path, "reminders", "Reminders", content);
        Console.Error.WriteLine($"bench: wrote the Reminders section of {path}");
    }
    return 0;

    async Task<int> RunProgrammeAsync()
    {
        var leaders = Number(Option("--leaders") ?? "2000", "--leaders");
        if (leaders > 20_000) throw new BenchException("--leaders: at most 20,000.");
        var seed = Number(Option("--seed") ?? "1", "--seed");
        var concurrency = Number(Option("--concurrency") ?? "16", "--concurrency");
        var seconds = Number(Option("--seconds") ?? "5", "--seconds");
        var warmup = Number(Option("--warmup") ?? "2", "--warmup");
        var bookings = Number(Option("--bookings") ?? "400", "--bookings");
        var import = Number(Option("--import") ?? "10000", "--import");
        var appDir = Option("--app") ?? Environment.GetEnvironmentVariable("ROTATIONS_BENCH_APP")
            ?? Path.Combine(Path.GetDirectoryName(BenchmarkDoc.DefaultPath())!, "..", ".bench", "app");
        var docPath = Option("--doc");
        var md = Flag("--markdown");
        var keepDb = Flag("--keep");
        var onlyReads = Option("--reads");
        if (onlyReads is not null && md) throw new BenchException("--reads measures part of the run: not with --markdown.");
        if (arguments.Count > 0) throw new BenchException($"Unknown arguments: {string.Join(' ', arguments)}");

        var server = BenchDatabase.ServerFromEnvironment();
        var machine = await Machine.DescribeAsync(await BenchDatabase.ServerVersionAsync(server));
        foreach (var (name, value) in machine) Console.WriteLine($"{name,-11} {value}");
        Console.WriteLine();
        Console.Error.WriteLine($"bench: a programme of {leaders:N0} leaders (seed {seed})…");
        var run = new ProgrammeBenchmark(server, new ProgrammeOptions(leaders, seed, concurrency, TimeSpan.FromSeconds(seconds), appDir, keepDb, bookings, import, TimeSpan.FromSeconds(warmup), onlyReads));
        await run.RunAsync();
        var reads = run.ReadTable();
        var report =
            "**The programme**\n\n" + Figures.Table([run.Data], markdown: true) + "\n" +
            "**Reads** (latency measured from when each request was due, at the fixed rate)\n\n" + reads + "\n" +
            "**Against the goals**\n\n" + run.Goals() + "\n\n" +
            "**Writes**\n\n" + Figures.Table([run.Writes], markdown: true) + "\n" +
            "**Memory** (the app's process)\n\n" + Figures.Table([run.Memory], markdown: true);
        Console.WriteLine(report);
        Console.WriteLine("All correctness checks passed.");
        if (md)
        {
            var path = docPath ?? BenchmarkDoc.DefaultPath();
            var command = "./bench.sh" + (leaders == 2000 ? "" : $" --leaders {leaders}") + (seed == 1 ? "" : $" --seed {seed}");
            var content =
                $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` ({concurrency} requests in flight for {seconds} s, then {2 * seconds} s at the fixed rate, after a warm-up).\n\n" +
                string.Join("\n", machine.Select(m => $"- {m.Name}: {m.Value}")) + "\n\n" + report;
            // The default size is the figure of record; another size has its own section beside it.
            var (key, title) = leaders == 2000 ? ("programme", "Programme") : ($"programme-{leaders}", $"Programme of {leaders:N0} leaders");
            BenchmarkDoc.WriteSection(path, key, title, content);
            Console.Error.WriteLine($"bench: wrote the {title} section of {path}");
        }
        return 0;
    }
}
catch (BenchException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    return 1;
}
