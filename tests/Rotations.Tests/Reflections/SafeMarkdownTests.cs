using AngleSharp.Html.Parser;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Tests.Reflections;

/// <summary>
/// What people write is Markdown, and no payload in it reaches a page as markup that runs: raw HTML is shown
/// as text, event handlers never become attributes, and only http(s), mailto and relative links keep their address.
/// </summary>
public sealed class SafeMarkdownTests
{
    public static readonly TheoryData<string> Payloads = new()
    {
        "<script>alert('x')</script>",
        "Before <img src=x onerror=alert(1)> after",
        "<svg onload=alert(1)></svg>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](  vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![img](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "**bold** <b onmouseover=alert(1)>hover</b>",
        "`<script>in code</script>`\n\n    <script>indented</script>",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void No_payload_becomes_markup_that_runs(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, new[] { "script", "iframe", "svg", "object", "embed", "style", "img", "div" });
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} on <{element.LocalName}> from {markdown}");
                Assert.NotEqual("style", attribute.Name);
                if (attribute.Name is "href" or "src")
                {
                    var value = new string(attribute.Value.Where(c => c > ' ').ToArray()).ToLowerInvariant();
                    Assert.False(value.Contains(':') && !value.StartsWith("http:") && !value.StartsWith("https:") && !value.StartsWith("mailto:"),
                        $"{attribute.Name}=\"{attribute.Value}\" from {markdown}");
                }
            }
        }
    }

    [Fact]
    public void Raw_html_is_shown_as_the_text_that_was_typed()
    {
        var html = SafeMarkdown.ToHtml("<script>alert('x')</script>");
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        Assert.Contains("<script>alert('x')</script>", document.Body!.TextContent);
    }

    [Fact]
    public void Ordinary_markdown_still_renders_and_safe_links_keep_their_address()
    {
        var html = SafeMarkdown.ToHtml("**Queue** at *9am*\n\n- one\n- two\n\n[intranet](https://intranet.example/kpi) and [mail](mailto:a@b.example) and [page](/Tours/CONTACT) and https://auto.example");
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        Assert.Equal("Queue", document.QuerySelector("strong")!.TextContent);
        Assert.Equal(2, document.QuerySelectorAll("li").Length);
        var hrefs = document.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["https://intranet.example/kpi", "mailto:a@b.example", "/Tours/CONTACT", "https://auto.example"], hrefs);
        Assert.All(document.QuerySelectorAll("a").Take(3), a => Assert.Equal("nofollow noopener noreferrer", a.GetAttribute("rel")));
        Assert.Equal("", SafeMarkdown.ToHtml("   "));
    }
}
