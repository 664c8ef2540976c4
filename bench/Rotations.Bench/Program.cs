using System.Globalization;
using Rotations.Bench;

// Benchmarks of Rotations: figures, not assertions of speed. Correctness is checked; a wrong result exits 1.
// Usage: Rotations.Bench reminders [--stints 1000,10000] [--inbox 1000] [--emails 1000] [--markdown] [--doc PATH] [--keep]
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

    var sizes = (Option("--stints") ?? "10000").Split(',').Select(s => Number(s.Trim(), "--stints")).ToList();
    var inbox = Number(Option("--inbox") ?? "1000", "--inbox");
    var emails = Number(Option("--emails") ?? "1000", "--emails");
    var doc = Option("--doc");
    var markdown = Flag("--markdown");
    var keep = Flag("--keep");
    if (arguments.Count > 0) throw new BenchException($"Unknown arguments: {string.Join(' ', arguments)}");
    if (benchmark != "reminders") throw new BenchException($"No benchmark named \"{benchmark}\"; there is: reminders.");

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
}
catch (BenchException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    return 1;
}
