using Rotations.Web.Infrastructure.Email;

namespace Rotations.Web.Features.Notifications;

/// <summary>Absolute links for emails, from ROTATIONS_PUBLIC_URL: a mail program has no "current site" to resolve against.</summary>
public sealed class EmailLinks(EmailSettings settings)
{
    public string Stint(Guid stintId) => Absolute(StintPath(stintId));

    public string ReflectionForm(Guid stintId) => Absolute(ReflectionPath(stintId));

    public static string StintPath(Guid stintId) => $"/Stints/{stintId}";

    /// <summary>
    /// Where a leader writes the reflection on a stint. The form arrives with the reflections issue; until
    /// then the stint page. Change this one line when it does.
    /// </summary>
    public static string ReflectionPath(Guid stintId) => StintPath(stintId);

    public string Inbox => Absolute("/Inbox");

    public string Absolute(string path) => settings.PublicUrl + path;
}
