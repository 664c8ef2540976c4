using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reflections;

/// <summary>Everything about a stint that the reflection and feedback rules need, read in one query.</summary>
public sealed record StintCircle(
    Guid StintId, Guid LeaderId, string LeaderName, string LeaderTimeZone, Guid? ManagerId, Guid? HostId, string? HostName,
    Guid TourId, string TourCode, string TourName, string OutsideIn, string InsideOut, string Prompts,
    DateOnly StartDate, DateOnly EndDate, StintKind Kind, string Objectives, bool IsCancelled)
{
    /// <summary>A reflection (and host feedback) can be submitted from the last week of the stint on.</summary>
    public DateOnly SubmitOpensOn => EndDate.AddDays(-6) > StartDate ? EndDate.AddDays(-6) : StartDate;
}

/// <summary>
/// Who may see what around a stint's learning, in one place.
/// A reflection: its author (the leader), the leader's manager and HR; nobody else learns it exists (404).
/// Host feedback: the stint's host writes it; the leader, their manager and HR read it once submitted.
/// Admin alone does not open reflections: they run the system, not the programme's people.
/// </summary>
public static class ReflectionAccess
{
    public static bool IsAuthor(this ClaimsPrincipal user, StintCircle s) => s.LeaderId == user.PersonId();

    public static bool IsManagerOf(this ClaimsPrincipal user, StintCircle s) =>
        user.IsInRole(Roles.Manager) && s.ManagerId is { } m && m == user.PersonId();

    public static bool IsHostOf(this ClaimsPrincipal user, StintCircle s) => s.HostId is { } h && h == user.PersonId();

    public static bool CanReadReflection(this ClaimsPrincipal user, StintCircle s) =>
        user.IsAuthor(s) || user.IsManagerOf(s) || user.IsInRole(Roles.HR);

    /// <summary>Reads submitted feedback: the leader, their manager, HR.</summary>
    public static bool CanReadFeedback(this ClaimsPrincipal user, StintCircle s) =>
        user.IsAuthor(s) || user.IsManagerOf(s) || user.IsInRole(Roles.HR);

    /// <summary>The stint's circle, or 404 when the stint does not exist.</summary>
    public static async Task<StintCircle> CircleAsync(this RotationsDbContext db, Guid stintId, CancellationToken ct) =>
        await db.Stints.AsNoTracking().Where(s => s.Id == stintId)
            .Select(s => new StintCircle(
                s.Id, s.LeaderId, s.Leader!.DisplayName, s.Leader.TimeZone, s.Leader.ManagerId, s.HostId,
                s.Host != null ? s.Host.DisplayName : null,
                s.TourId, s.Tour!.Code, s.Tour.Name, s.Tour.OutsideIn, s.Tour.InsideOut, s.Tour.ReflectionPrompts,
                s.StartDate, s.EndDate, s.Kind, s.Objectives, s.CancelledAt != null))
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("There is no such stint.");
}
