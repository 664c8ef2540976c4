using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Rotations.Tests.Calendar;

/// <summary>One VEVENT as Debian's python3-icalendar reads it.</summary>
public sealed record ParsedEvent(
    string Uid, string DtStart, string DtStartType, string DtEnd, string DtEndType, string Summary, string Description,
    string Status, int Sequence, string DtStamp);

/// <summary>The calendar's own properties and its events.</summary>
public sealed record ParsedCalendar(string Version, string Method, string CalScale, string ProdId, string Name, IReadOnlyList<ParsedEvent> Events)
{
    public ParsedEvent Event(Guid stintId) => Assert.Single(Events, e => e.Uid == $"stint-{stintId}@rotations");
}

/// <summary>
/// Parses a feed with a real iCalendar parser, not our own reading of RFC 5545: Debian's python3-icalendar
/// (test.sh installs it). Dates come back in ISO form with their Python type (date for all-day events).
/// </summary>
public static class RealICalendarParser
{
    private const string Script = """
        import json, sys
        import icalendar
        with open(sys.argv[1], 'rb') as f:
            cal = icalendar.Calendar.from_ical(f.read())
        def text(c, name):
            v = c.get(name)
            return '' if v is None else str(v)
        def when(c, name):
            v = c.get(name)
            return ('', '') if v is None else (v.dt.isoformat(), type(v.dt).__name__)
        events = []
        for e in cal.walk('VEVENT'):
            start, end = when(e, 'dtstart'), when(e, 'dtend')
            events.append({
                'uid': text(e, 'uid'), 'dtStart': start[0], 'dtStartType': start[1], 'dtEnd': end[0], 'dtEndType': end[1],
                'summary': text(e, 'summary'), 'description': text(e, 'description'), 'status': text(e, 'status'),
                'sequence': int(e.get('sequence', -1)), 'dtStamp': when(e, 'dtstamp')[0],
            })
        print(json.dumps({
            'version': text(cal, 'version'), 'method': text(cal, 'method'), 'calScale': text(cal, 'calscale'),
            'prodId': text(cal, 'prodid'), 'name': text(cal, 'x-wr-calname'), 'events': events,
        }))
        """;

    /// <summary>Debian's interpreter, where the apt package is installed (a pyenv python3 on PATH would not see it).</summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("ROTATIONS_PYTHON") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static async Task<ParsedCalendar> ParseAsync(byte[] ics)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rotations-feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllBytesAsync(file, ics);
        try
        {
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add(file);
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0,
                $"python3-icalendar could not parse the feed (exit {process.ExitCode}; test.sh installs the package):\n{await stderr}");
            return JsonSerializer.Deserialize<ParsedCalendar>(await stdout, JsonSerializerOptions.Web)!;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
