using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Html;

namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// Markdown that people write (objectives, reflections, evidence, comments) turned into HTML that cannot
/// run anything: raw HTML is never rendered (Markdig's DisableHtml escapes it as text), and a link or image
/// whose address is not http(s), mailto or relative (javascript:, data:, vbscript: …) loses its address.
/// Links get rel="nofollow noopener noreferrer".
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseListExtras()
        .UseAutoLinks()
        .Build();

    public static IHtmlContent Render(string? markdown) => new HtmlString(ToHtml(markdown));

    public static string ToHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown)) return "";
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants().ToList())
        {
            switch (node)
            {
                case LinkInline link:
                    if (!IsSafe(link.Url)) link.Url = "";
                    if (link.IsImage)
                    {
                        // Images from outside would let a reflection track who reads it; show the text instead.
                        link.IsImage = false;
                        link.Url = IsSafe(link.Url) ? link.Url : "";
                    }
                    link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
                    break;
                case AutolinkInline auto when !IsSafe(auto.Url):
                    auto.ReplaceBy(new LiteralInline(auto.Url));
                    break;
            }
        }
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>Relative addresses and http, https, mailto. Browsers ignore tabs, new lines and controls inside a scheme, so they are removed before looking.</summary>
    internal static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url)) return true;
        var cleaned = new string(url.Where(c => c > ' ' && c != '\u007f').ToArray());
        var colon = cleaned.IndexOf(':');
        if (colon < 0) return true;
        var slash = cleaned.IndexOfAny(['/', '?', '#']);
        if (slash >= 0 && slash < colon) return true; // the colon is in a path or query: relative
        var scheme = cleaned[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
