using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Rotations.Bench;

/// <summary>
/// Named figures of one benchmark run (one column of the table), in the order they were measured.
/// Shared by every benchmark so that each prints, and writes to docs/benchmarks.md, the same way.
/// </summary>
public sealed class Figures(string column)
{
    public string Column { get; } = column;
    public List<(string Name, string Value)> Rows { get; } = [];

    public void Add(string name, string value) => Rows.Add((name, value));
    public void Add(string name, double value, string unit, string format = "0.#") =>
        Rows.Add((name, $"{value.ToString(format, CultureInfo.InvariantCulture)} {unit}".TrimEnd()));
    public void Ms(string name, TimeSpan elapsed) => Add(name, elapsed.TotalMilliseconds, "ms", elapsed.TotalMilliseconds < 10 ? "0.00" : "0");
    public void Count(string name, long value) => Add(name, value.ToString("N0", CultureInfo.InvariantCulture));

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>A table with one row per figure and one column per run.</summary>
    public static string Table(IReadOnlyList<Figures> runs, bool markdown)
    {
        var names = runs.SelectMany(r => r.Rows.Select(x => x.Name)).Distinct().ToList();
        var header = new[] { "" }.Concat(runs.Select(r => r.Column)).ToArray();
        var lines = names.Select(n => new[] { n }.Concat(runs.Select(r => r.Rows.FirstOrDefault(x => x.Name == n).Value ?? "")).ToArray()).ToList();
        var sb = new StringBuilder();
        if (markdown)
        {
            sb.AppendLine("| " + string.Join(" | ", header) + " |");
            sb.AppendLine("|" + string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
            foreach (var l in lines) sb.AppendLine("| " + string.Join(" | ", l) + " |");
            return sb.ToString();
        }
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        string Row(string[] cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        sb.AppendLine(Row(header));
        sb.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var l in lines) sb.AppendLine(Row(l));
        return sb.ToString();
    }
}

/// <summary>What the figures were measured on.</summary>
public static class Machine
{
    public static async Task<List<(string Name, string Value)>> DescribeAsync(string postgresVersion)
    {
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
            (".NET", $"SDK {await DotnetVersionAsync()}, runtime {RuntimeInformation.FrameworkDescription}"),
            ("PostgreSQL", $"{postgresVersion}, same machine, default settings"),
        ];
    }

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static async Task<string> DotnetVersionAsync()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

/// <summary>Replaces one benchmark's part of docs/benchmarks.md (between its markers), leaving the rest as written.</summary>
public static class BenchmarkDoc
{
    public static void WriteSection(string path, string key, string title, string content)
    {
        var start = $"<!-- {key}:start -->";
        var end = $"<!-- {key}:end -->";
        var block = $"{start}\n{content.TrimEnd()}\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "# Benchmarks\n";
        var i = text.IndexOf(start, StringComparison.Ordinal);
        var j = text.IndexOf(end, StringComparison.Ordinal);
        text = i >= 0 && j > i
            ? text[..i] + block + text[(j + end.Length)..]
            : text.TrimEnd() + $"\n\n## {title}\n\n{block}\n";
        File.WriteAllText(path, text);
    }

    /// <summary>The repository's docs/benchmarks.md, found from the working directory or the binary upwards.</summary>
    public static string DefaultPath()
    {
        foreach (var from in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Rotations.sln")))
                    return Path.Combine(dir.FullName, "docs", "benchmarks.md");
        throw new BenchException("Cannot find the repository (Rotations.sln) to write docs/benchmarks.md; pass --doc PATH.");
    }
}
