using System.Text;
using System.Text.Encodings.Web;

namespace Rotations.Web.Features.Account;

/// <summary>The plain-text and HTML bodies of the account emails: a greeting, paragraphs, and one link.</summary>
internal static class AccountEmailText
{
    public static string Text(string greeting, IReadOnlyList<string> before, string link, IReadOnlyList<string> after)
    {
        var text = new StringBuilder();
        text.Append(greeting).Append("\r\n\r\n");
        foreach (var p in before) text.Append(p).Append("\r\n\r\n");
        text.Append(link).Append("\r\n\r\n");
        foreach (var p in after) text.Append(p).Append("\r\n\r\n");
        text.Append("Rotations · tours of duty for customer-experience leaders\r\n");
        return text.ToString();
    }

    public static string Html(string subject, string greeting, IReadOnlyList<string> before, string link, string linkText, IReadOnlyList<string> after)
    {
        var h = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(h.Encode(subject)).Append("</title></head>")
            .Append("<body style=\"font-family:system-ui,sans-serif;color:#1b2430;line-height:1.5\">");
        html.Append("<p>").Append(h.Encode(greeting)).Append("</p>");
        foreach (var p in before) html.Append("<p>").Append(h.Encode(p)).Append("</p>");
        html.Append("<p><a href=\"").Append(h.Encode(link)).Append("\" style=\"display:inline-block;padding:10px 16px;background:#0f6e7e;color:#fff;")
            .Append("border-radius:8px;text-decoration:none;font-weight:600\">").Append(h.Encode(linkText)).Append("</a></p>");
        html.Append("<p style=\"font-size:13px;color:#5b6675\">If the button does not work, copy this address into your browser: ")
            .Append(h.Encode(link)).Append("</p>");
        foreach (var p in after) html.Append("<p>").Append(h.Encode(p)).Append("</p>");
        html.Append("<p style=\"font-size:13px;color:#5b6675\">Rotations · tours of duty for customer-experience leaders</p></body></html>");
        return html.ToString();
    }

    /// <summary>"7 days", "2 hours": a lifespan as people say it.</summary>
    public static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? Plural((int)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? Plural((int)span.TotalHours, "hour")
        : Plural((int)Math.Ceiling(span.TotalMinutes), "minute");

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
