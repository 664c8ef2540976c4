using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reflections;

/// <summary>How the learning log partial is shown: the log, where its search form goes, and what was typed into it.</summary>
public sealed record LogView(LearningLogDto Log, string Path, string? TypedQuery, string? QueryError);

/// <summary>What the two learning log pages (the leader's own, and a leader's for their manager and HR) share.</summary>
public static class LogPages
{
    /// <summary>
    /// The log, or null when the viewer may not read it (the page answers 404). A search the service refuses
    /// (too long) comes back as the error to show beside the field, with the timeline still shown.
    /// </summary>
    public static async Task<(LogView? View, bool Invalid)> ReadAsync(
        LearningLog log, Guid leaderId, string? q, string path, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            return (new LogView(await log.GetAsync(leaderId, q, user, ct), path, q, null), false);
        }
        catch (NotFoundException)
        {
            return (null, false);
        }
        catch (ValidationFailedException ex)
        {
            var message = string.Join(" ", ex.Errors.Values.SelectMany(m => m));
            return (new LogView(await log.GetAsync(leaderId, null, user, ct), path, q, message), true);
        }
    }
}

/// <summary>
/// A search hit's snippet as HTML. The text between the marks is people's own writing, so every piece of
/// it is HTML-encoded before the only markup this adds, &lt;mark&gt;, goes around the matched words.
/// (Encoding the whole snippet first would also encode the control characters that are the marks.)
/// </summary>
public static class LogSnippet
{
    public static IHtmlContent ToHtml(string? snippet)
    {
        if (string.IsNullOrEmpty(snippet)) return HtmlString.Empty;
        var html = new StringBuilder(snippet.Length + 32);
        var open = false;
        var start = 0;
        for (var i = 0; i <= snippet.Length; i++)
        {
            var end = i == snippet.Length;
            var c = end ? '\0' : snippet[i];
            if (!end && c != LearningLog.MarkStart[0] && c != LearningLog.MarkEnd[0]) continue;
            html.Append(HtmlEncoder.Default.Encode(snippet[start..i]));
            start = i + 1;
            if (end) break;
            if (c == LearningLog.MarkStart[0] && !open) { html.Append("<mark>"); open = true; }
            else if (c == LearningLog.MarkEnd[0] && open) { html.Append("</mark>"); open = false; }
        }
        if (open) html.Append("</mark>");
        return new HtmlString(html.ToString());
    }
}
