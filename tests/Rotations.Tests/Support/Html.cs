using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Rotations.Tests.Support;

/// <summary>Pages parsed as a browser would, for assertions on what they show.</summary>
public static class Html
{
    public static async Task<IDocument> ReadHtmlAsync(this HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>The visible text of the element, whitespace collapsed.</summary>
    public static string Text(this IElement element) =>
        string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
