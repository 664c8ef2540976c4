using Rotations.Web.Infrastructure.Email;

namespace Rotations.Web.Features.Notifications;

/// <summary>Absolute links for emails, from ROTATIONS_PUBLIC_URL: a mail program has no "current site" to resolve against.</summary>
public sealed class EmailLinks(EmailSettings settings)
{
    public string Stint(Guid stintId) => Absolute(StintPath(stintId));

    public string ReflectionForm(Guid stintId) => Absolute(ReflectionPath(stintId));

    public static string StintPath(Guid stintId) => $"/Stints/{stintId}";

    public string FeedbackForm(Guid stintId) => Absolute(FeedbackPath(stintId));

    /// <summary>Where a leader writes the reflection on a stint (and where their manager reads it).</summary>
    public static string ReflectionPath(Guid stintId) => $"/Stints/{stintId}/Reflection";

    /// <summary>Where the host gives feedback on a stint.</summary>
    public static string FeedbackPath(Guid stintId) => $"/Stints/{stintId}/Feedback";

    public string Inbox => Absolute("/Inbox");

    public string Absolute(string path) => settings.PublicUrl + path;
}
