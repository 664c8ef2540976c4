using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Notifications;

namespace Rotations.Tests.Account;

/// <summary>The outbox as the tests read it, and the emailed links followed the way a person follows them.</summary>
internal static class AccountEmailKit
{
    public const string NewPassword = "a passphrase of my own choosing";

    public static Task<List<EmailMessage>> OutboxAsync(this RotationsApp app, Guid recipientId) =>
        app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => m.RecipientId == recipientId).OrderBy(m => m.CreatedAt).ToListAsync());

    public static Task<int> OutboxCountAsync(this RotationsApp app) => app.WithDbAsync(db => db.EmailOutbox.CountAsync());

    /// <summary>Renders the row with the composer the app registered for its kind, as the delivery job does.</summary>
    public static async Task<ComposedEmail?> ComposeAsync(this RotationsApp app, EmailMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var composer = scope.ServiceProvider.GetServices<IEmailComposer>().Single(c => c.Handles == message.Kind);
        return await composer.ComposeAsync(message, CancellationToken.None);
    }

    /// <summary>The path and query of the link to <paramref name="page"/> in the email's plain-text part.</summary>
    public static string LinkIn(ComposedEmail email, string page)
    {
        var match = Regex.Match(email.Text, $@"https?://[^\s/]+(?<path>{Regex.Escape(page)}\?\S+)");
        Assert.True(match.Success, $"no link to {page} in:\n{email.Text}");
        // The HTML part carries the same link, encoded.
        Assert.Contains(WebUtility.HtmlEncode(match.Value), email.Html);
        return match.Groups["path"].Value;
    }

    /// <summary>Composes the person's latest email of <paramref name="kind"/> and returns its link.</summary>
    public static async Task<string> LatestLinkAsync(this RotationsApp app, Guid personId, EmailKind kind)
    {
        var message = (await app.OutboxAsync(personId)).Last(m => m.Kind == kind);
        var email = await app.ComposeAsync(message);
        Assert.NotNull(email);
        return LinkIn(email, kind == EmailKind.Invitation ? "/Account/SetPassword" : "/Account/ResetPassword");
    }

    /// <summary>Opens the link and submits its form with the fields the page itself put there.</summary>
    public static async Task<HttpResponseMessage> SubmitLinkAsync(HttpClient client, string link, string password, string? confirm = null)
    {
        var page = await client.GetAsync(link);
        var html = await page.ReadHtmlAsync();
        var form = html.QuerySelector<IHtmlFormElement>("form[method=post]:not([action*='Logout'])");
        Assert.True(form is not null, $"no form on {link}: {html.QuerySelector(".auth-card")?.Text()}");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Hidden(form, "__RequestVerificationToken"),
            ["person"] = Hidden(form, "person"),
            ["token"] = Hidden(form, "token"),
            ["Input.NewPassword"] = password,
            ["Input.ConfirmPassword"] = confirm ?? password,
        };
        return await client.PostAsync(link.Split('?')[0], new FormUrlEncodedContent(fields));
    }

    private static string Hidden(IHtmlFormElement form, string name) =>
        form.QuerySelector<IHtmlInputElement>($"input[name='{name}']")?.Value ?? throw new InvalidOperationException($"no field {name}");

    public static async Task<string> AuthCardTextAsync(this HttpResponseMessage response) =>
        (await response.ReadHtmlAsync()).QuerySelector(".auth-card")!.Text();
}
