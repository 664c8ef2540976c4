using System.Text;
using Rotations.Web.Features.Calendar;

namespace Rotations.Tests.Calendar;

/// <summary>The hand-written RFC 5545 line writer, without a database.</summary>
public sealed class ICalendarTextTests
{
    private static string[] PhysicalLines(string ics)
    {
        Assert.EndsWith("\r\n", ics);
        return ics[..^2].Split("\r\n");
    }

    [Fact]
    public void Text_EscapesBackslashSemicolonCommaAndLineBreaks_AndDropsOtherControlCharacters()
    {
        Assert.Equal(@"a\\b\;c\,d\ne\nf\ng	h", ICalendarText.Escape("a\\b;c,d\r\ne\nf\rg\th\u0007"));
    }

    [Fact]
    public void ALineOf75Octets_IsNotFolded_And76Are()
    {
        var exactly = new ICalendarText().Raw("X", new string('a', 73)).ToString();
        var oneMore = new ICalendarText().Raw("X", new string('a', 74)).ToString();

        Assert.Equal([75], PhysicalLines(exactly).Select(l => Encoding.UTF8.GetByteCount(l)));
        Assert.Equal([75, 2], PhysicalLines(oneMore).Select(l => Encoding.UTF8.GetByteCount(l)));
        Assert.StartsWith(" ", PhysicalLines(oneMore)[1]);
    }

    [Fact]
    public void Folding_CountsUtf8Octets_AndSplitsNeitherACharacterNorAnEscape()
    {
        var value = string.Concat(Enumerable.Repeat("é📞, ", 60));
        var ics = new ICalendarText().Text("SUMMARY", value).ToString();

        var lines = PhysicalLines(ics);
        Assert.True(lines.Length > 5);
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"{Encoding.UTF8.GetByteCount(l)} octets: {l}"));
        Assert.All(lines, l => Assert.False(char.IsHighSurrogate(l[^1]), "a fold split a surrogate pair"));
        Assert.All(lines, l => Assert.False(l.EndsWith('\\'), "a fold split an escape sequence"));
        Assert.Equal("SUMMARY:" + ICalendarText.Escape(value), string.Concat(lines.Select((l, i) => i == 0 ? l : l[1..])));
    }
}
