using System.Globalization;
using System.Text;

namespace Rotations.Web.Features.Calendar;

/// <summary>
/// Writes RFC 5545 content lines by hand: CRLF endings, lines folded at 75 octets without splitting a
/// UTF-8 character, TEXT values escaped. Small enough that a package would cost more than it saves.
/// </summary>
internal sealed class ICalendarText
{
    /// <summary>RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.</summary>
    public const int MaxLineOctets = 75;

    private readonly StringBuilder text = new();

    /// <summary>A property whose value is already in its RFC 5545 form (a date, a number, a URI, a keyword).</summary>
    public ICalendarText Raw(string nameAndParameters, string value)
    {
        Fold(nameAndParameters + ":" + value);
        return this;
    }

    /// <summary>A TEXT property: backslashes, semicolons, commas and line breaks escaped.</summary>
    public ICalendarText Text(string name, string value) => Raw(name, Escape(value));

    /// <summary>An all-day date: <c>DTSTART;VALUE=DATE:20270104</c>.</summary>
    public ICalendarText Date(string name, DateOnly date) =>
        Raw(name + ";VALUE=DATE", date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    /// <summary>An instant in UTC: <c>DTSTAMP:20270104T091500Z</c>.</summary>
    public ICalendarText Utc(string name, DateTimeOffset instant) =>
        Raw(name, instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));

    public override string ToString() => text.ToString();

    /// <summary>RFC 5545 §3.3.11. Other control characters are not allowed in TEXT, so they are dropped.</summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 16);
        var normalised = value.Replace("\r\n", "\n").Replace('\r', '\n');
        foreach (var c in normalised)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case ';': escaped.Append(@"\;"); break;
                case ',': escaped.Append(@"\,"); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\t': escaped.Append(c); break;
                case < ' ' or '\u007f': break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>
    /// RFC 5545 §3.1: a long line is split by inserting CRLF and one space, counted in UTF-8 octets. A fold never
    /// splits a character, nor an escape sequence such as <c>\n</c> (lenient readers unescape line by line).
    /// </summary>
    private void Fold(string line)
    {
        var octets = 0;
        var runes = line.EnumerateRunes().ToList();
        for (var i = 0; i < runes.Count; i++)
        {
            var unit = runes[i].Value == '\\' && i + 1 < runes.Count ? runes[i].ToString() + runes[++i] : runes[i].ToString();
            var size = System.Text.Encoding.UTF8.GetByteCount(unit);
            if (octets + size > MaxLineOctets)
            {
                text.Append("\r\n ");
                octets = 1;
            }
            text.Append(unit);
            octets += size;
        }
        text.Append("\r\n");
    }
}
