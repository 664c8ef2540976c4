using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Account;

/// <summary>Whether one kind of notification also reaches the person by email.</summary>
public sealed record EmailPreference(NotificationKind Kind, bool Email, string Description);

public sealed record EmailPreferencesDto(IReadOnlyList<EmailPreference> Kinds);

/// <summary>One change, as a caller sends it. Strings and nullables, so that a wrong or missing value is named.</summary>
public sealed record EmailPreferenceChange(string? Kind, bool? Email);

/// <summary>The kinds to change; kinds left out keep their setting.</summary>
public sealed record EmailPreferencesRequest(IReadOnlyList<EmailPreferenceChange>? Kinds);

/// <summary>
/// Which reminders each person also wants by email (the inbox always gets them all). Only the refusals are stored,
/// as rows of email_opt_outs: every kind is emailed until the person turns it off, and a kind added later is on.
/// A person only ever reads and changes their own: there is no id to change.
/// </summary>
public sealed class EmailPreferencesService(RotationsDbContext db)
{
    public async Task<EmailPreferencesDto> GetAsync(Guid personId, CancellationToken ct = default)
    {
        var off = await db.EmailOptOuts.AsNoTracking().Where(o => o.PersonId == personId).Select(o => o.Kind).ToListAsync(ct);
        var settings = await db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new ReminderSettings();
        return new EmailPreferencesDto(Enum.GetValues<NotificationKind>()
            .Select(k => new EmailPreference(k, !off.Contains(k), EmailPreferenceText.Describe(k, settings))).ToList());
    }

    /// <exception cref="ValidationFailedException">A kind is unknown or repeated, or a value is missing: nothing is changed.</exception>
    public async Task<EmailPreferencesDto> SetAsync(Guid personId, EmailPreferencesRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = new Dictionary<NotificationKind, bool>();
        if (request.Kinds is null) errors["kinds"] = ["Send the kinds to change: {\"kinds\": [{\"kind\": \"UpcomingStint\", \"email\": false}]}."];
        for (var i = 0; i < (request.Kinds?.Count ?? 0); i++)
        {
            var change = request.Kinds![i];
            var field = $"kinds[{i}]";
            if (change is null) { errors[field] = ["Each entry needs a kind and email: true or false."]; continue; }
            NotificationKind? kind = null;
            if (string.IsNullOrWhiteSpace(change.Kind)) errors[$"{field}.kind"] = ["Name the kind of notification."];
            else if (Enum.GetNames<NotificationKind>().FirstOrDefault(n => string.Equals(n, change.Kind.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } name)
                errors[$"{field}.kind"] = [$"Unknown kind “{change.Kind}”: the kinds are {string.Join(", ", Enum.GetNames<NotificationKind>())}."];
            else if (wanted.ContainsKey(Enum.Parse<NotificationKind>(name)))
                errors[$"{field}.kind"] = [$"{name} appears more than once."];
            else kind = Enum.Parse<NotificationKind>(name);
            if (change.Email is null) errors[$"{field}.email"] = ["Say true (also by email) or false (inbox only)."];
            if (kind is { } k && change.Email is { } email) wanted[k] = email;
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var on = wanted.Where(w => w.Value).Select(w => w.Key).ToList();
        if (on.Count > 0) await db.EmailOptOuts.Where(o => o.PersonId == personId && on.Contains(o.Kind)).ExecuteDeleteAsync(ct);
        // "On conflict do nothing": the same change sent twice at once is not an error.
        foreach (var kind in wanted.Where(w => !w.Value).Select(w => w.Key))
            await db.Database.ExecuteSqlAsync(
                $"insert into email_opt_outs (person_id, kind) values ({personId}, {kind.ToString()}) on conflict do nothing", ct);
        await tx.CommitAsync(ct);
        return await GetAsync(personId, ct);
    }
}

/// <summary>How each kind reads on the preferences page, and whom it concerns.</summary>
public static class EmailPreferenceText
{
    public static string Describe(NotificationKind kind, ReminderSettings s) => kind switch
    {
        NotificationKind.UpcomingStint => $"Upcoming stint, {Days(s.UpcomingFirstDays)} before it starts: time to set objectives (leaders and hosts)",
        NotificationKind.StintStartsSoon => $"Stint starting soon, {Days(s.UpcomingSecondDays)} before it starts (leaders and hosts)",
        NotificationKind.StintStarts => "First day of a stint: the tour's two lenses and your objectives",
        NotificationKind.MidpointCheckIn => $"Midpoint check-in, in stints of {s.MidpointMinWeeks} weeks or more",
        NotificationKind.ReflectionDue => "Last day of a stint: your reflection is due",
        NotificationKind.FeedbackRequested => "Last day of a stint you host: feedback requested",
        NotificationKind.ReflectionOverdue => $"Reflection overdue ({Days(s.OverdueDays)} after the stint ended)",
        NotificationKind.ReflectionEscalation => $"A report's reflection still missing {Days(s.EscalationDays)} after their stint ended",
        NotificationKind.WeeklyDigest => $"Weekly digest on {s.DigestDay}s: starts next week, overdue reflections, capacity clashes",
        _ => kind.ToString(),
    };

    /// <summary>The roles whose people receive the kind; the page shows these first.</summary>
    public static IReadOnlyList<string> Roles(NotificationKind kind) => kind switch
    {
        NotificationKind.UpcomingStint or NotificationKind.StintStartsSoon => [Account.Roles.Leader, Account.Roles.Host],
        NotificationKind.FeedbackRequested => [Account.Roles.Host],
        NotificationKind.ReflectionEscalation => [Account.Roles.Manager],
        NotificationKind.WeeklyDigest => [Account.Roles.HR],
        _ => [Account.Roles.Leader],
    };

    private static string Days(int n) => n == 1 ? "1 day" : $"{n} days";
}
