using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Rotations.Planning;
using Rotations.Planning.Tests.Support;
using Rotations.PlannerBench;

// The auto-planner benchmark: figures, not assertions of speed. Every proposal is checked with the tests' independent
// rule checker; a broken rule exits 1.
// Usage: Rotations.PlannerBench [--leaders 50,100,500,1000,2000,5000] [--seed 1] [--markdown] [--doc PATH]
var arguments = args.ToList();
string? Option(string name)
{
    var i = arguments.IndexOf(name);
    if (i < 0) return null;
    if (i + 1 >= arguments.Count) { Console.Error.WriteLine($"{name} needs a value."); Environment.Exit(2); }
    var value = arguments[i + 1];
    arguments.RemoveRange(i, 2);
    return value;
}
var sizes = (Option("--leaders") ?? "50,100,500,1000,2000,5000").Split(',').Select(s => int.Parse(s.Trim().Replace("_", ""), CultureInfo.InvariantCulture)).ToList();
var seed = int.Parse(Option("--seed") ?? "1", CultureInfo.InvariantCulture);
var doc = Option("--doc");
var markdown = arguments.Remove("--markdown");
if (arguments.Count > 0) { Console.Error.WriteLine($"Unknown arguments: {string.Join(' ', arguments)}"); return 2; }

var machine = Machine.Describe();
foreach (var (name, value) in machine) Console.WriteLine($"{name,-6} {value}");
Console.WriteLine();

// Warm-up: JIT the engine on a small cohort so it is not in the first figure.
Planner.Plan(CohortGenerator.Generate(new CohortShape { Leaders = 50, Seed = seed + 1000 }));

var rows = new List<Row>();
var failed = false;
foreach (var size in sizes)
{
    var input = CohortGenerator.Generate(new CohortShape { Leaders = size, Seed = seed });
    var runs = size <= 1000 ? 5 : 3;
    var times = new List<double>();
    PlanningResult result = null!;
    for (var r = 0; r < runs; r++)
    {
        GC.Collect();
        var watch = Stopwatch.StartNew();
        result = Planner.Plan(input);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    var errors = PlanChecker.Check(input, result);
    if (errors.Count > 0)
    {
        failed = true;
        Console.Error.WriteLine($"bench: {size} leaders: {errors.Count} rules broken, e.g. {errors[0]}");
    }
    rows.Add(new Row(size, input.Leaders.Sum(l => l.Needs.Count), input.Tours.Sum(t => t.Capacity), input.Booked.Count, times[times.Count / 2],
        input.To, result, errors.Count == 0));
    Console.Error.WriteLine($"bench: {size,5} leaders: {times[times.Count / 2],8:0.0} ms (median of {runs})");
}
Console.WriteLine(Row.Table(rows, markdown: false, input0From: new CohortShape().From));
Console.WriteLine(Row.Growth(rows));
if (failed) { Console.WriteLine("A proposal broke a rule (see above)."); return 1; }
Console.WriteLine("Every proposal passed the independent rule checker.");

if (markdown)
{
    var path = doc ?? DocPath();
    var command = "bench/planner.sh" + (sizes.SequenceEqual([50, 100, 500, 1000, 2000, 5000]) ? "" : $" --leaders {string.Join(',', sizes)}");
    var content = $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` (seed {seed}).\n\n" +
        string.Join("\n", machine.Select(m => $"- {m.Name}: {m.Value}")) + "\n\n" +
        Row.Table(rows, markdown: true, input0From: new CohortShape().From) + "\n" + Row.Growth(rows) + "\n";
    WriteSection(path, "planner", "Auto-planner", content);
    Console.Error.WriteLine($"bench: wrote the Auto-planner figures in {path}");
}
return 0;

static string DocPath()
{
    foreach (var from in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Rotations.sln"))) return Path.Combine(dir.FullName, "docs", "benchmarks.md");
    throw new InvalidOperationException("Cannot find the repository (Rotations.sln); pass --doc PATH.");
}

// Replaces the part between the markers, leaving the rest of the file as written.
static void WriteSection(string path, string key, string title, string content)
{
    var start = $"<!-- {key}:start -->";
    var end = $"<!-- {key}:end -->";
    var block = $"{start}\n{content.TrimEnd()}\n{end}";
    var text = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "# Benchmarks\n";
    var i = text.IndexOf(start, StringComparison.Ordinal);
    var j = text.IndexOf(end, StringComparison.Ordinal);
    text = i >= 0 && j > i ? text[..i] + block + text[(j + end.Length)..] : text.TrimEnd() + $"\n\n## {title}\n\n{block}\n";
    File.WriteAllText(path, text);
}

internal sealed record Row(int Leaders, int Needs, int Capacity, int Booked, double Milliseconds, DateOnly To, PlanningResult Result, bool Valid)
{
    private static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string Table(IReadOnlyList<Row> rows, bool markdown, DateOnly input0From)
    {
        string[] header = ["leaders", "needs", "seats", "booked", "time", "makespan", "lower bound", "gap", "capacity use", "spread", "unplaced", "rules"];
        var lines = rows.Select(r => new[]
        {
            r.Leaders.ToString("N0", CultureInfo.InvariantCulture), r.Needs.ToString("N0", CultureInfo.InvariantCulture),
            r.Capacity.ToString(CultureInfo.InvariantCulture), r.Booked.ToString(CultureInfo.InvariantCulture),
            $"{r.Milliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms", D(r.Result.Metrics.Makespan), D(r.Result.Metrics.LowerBound),
            $"{r.Result.Metrics.GapPercent.ToString("0.0", CultureInfo.InvariantCulture)} %",
            $"{(100 * r.Result.Metrics.CapacityUse).ToString("0", CultureInfo.InvariantCulture)} %",
            $"{r.Result.Metrics.CompletionSpreadDays} d", r.Result.Metrics.UnplacedCount.ToString(CultureInfo.InvariantCulture),
            r.Valid ? "ok" : "BROKEN",
        }).ToList();
        var sb = new StringBuilder();
        if (markdown)
        {
            sb.AppendLine("| " + string.Join(" | ", header) + " |");
            sb.AppendLine("|" + string.Concat(header.Select(_ => "---:|")));
            foreach (var l in lines) sb.AppendLine("| " + string.Join(" | ", l) + " |");
        }
        else
        {
            var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
            sb.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
            foreach (var l in lines) sb.AppendLine(string.Join("  ", l.Select((c, i) => c.PadLeft(widths[i]))));
        }
        return sb.ToString();
    }

    /// <summary>How time grows: the exponent k in time ∝ leaders^k between consecutive sizes.</summary>
    public static string Growth(IReadOnlyList<Row> rows)
    {
        var parts = new List<string>();
        for (var i = 1; i < rows.Count; i++)
        {
            var k = Math.Log(rows[i].Milliseconds / rows[i - 1].Milliseconds) / Math.Log((double)rows[i].Leaders / rows[i - 1].Leaders);
            parts.Add($"{rows[i - 1].Leaders}→{rows[i].Leaders}: {k.ToString("0.00", CultureInfo.InvariantCulture)}");
        }
        return parts.Count == 0 ? "" : "Growth exponent k (time ∝ leaders^k) between consecutive sizes: " + string.Join(", ", parts) + ".";
    }
}

internal static class Machine
{
    public static List<(string Name, string Value)> Describe()
    {
        static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
        var cpu = Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var memKb = Read("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = Read("/etc/os-release")?.Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"')
            ?? RuntimeInformation.OSDescription;
        return
        [
            ("CPU", $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores"),
            ("RAM", memKb is null ? "unknown" : $"{long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.#} GiB"),
            ("OS", $"{os} (kernel {Environment.OSVersion.Version})"),
            (".NET", $"runtime {RuntimeInformation.FrameworkDescription}"),
        ];
    }
}
