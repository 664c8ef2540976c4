using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Scheduling;

/// <summary>A stint as the API and the pages show it. Status follows from the dates on the day it is read.</summary>
public sealed record StintDto(
    Guid Id,
    Guid LeaderId,
    string LeaderName,
    Guid TourId,
    string TourCode,
    string TourName,
    Guid? HostId,
    string? HostName,
    DateOnly StartDate,
    DateOnly EndDate,
    StintKind Kind,
    StintStatus Status,
    string Objectives,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? CancelledAt,
    string? CancelReason,
    uint Version)
{
    /// <summary>Inclusive length in days.</summary>
    public int Days => EndDate.DayNumber - StartDate.DayNumber + 1;

    /// <summary>The value of the ETag header for this version: a quoted string.</summary>
    public string ETag => $"\"{Version}\"";
}

/// <summary>One page of a list, and how many items the whole list holds.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Which stints a list shows. Dates select stints that overlap the range; both ends are inclusive.</summary>
public sealed record StintFilter(
    Guid? LeaderId = null, Guid? TourId = null, Guid? CohortId = null,
    DateOnly? From = null, DateOnly? To = null, StintStatus? Status = null);

/// <summary>Who the people around a stint are: what the permission checks need to know.</summary>
public sealed record StintParties(Guid Id, Guid LeaderId, Guid? HostId, bool IsCancelled, uint Version);

/// <summary>
/// Reads of stints for the API and the pages. Every read starts from what the caller may see
/// (<see cref="StintAccess.VisibleTo"/>): a stint outside it does not exist for them.
/// </summary>
public sealed class StintQueries(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 100;

    public IQueryable<Stint> Visible(ClaimsPrincipal user) => db.Stints.AsNoTracking().VisibleTo(user);

    public async Task<StintDto?> FindAsync(Guid id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var today = clock.Today();
        return await Project(Visible(user).Where(s => s.Id == id), today).SingleOrDefaultAsync(ct);
    }

    /// <summary>The stint if the caller may see it; <see cref="NotFoundException"/> otherwise.</summary>
    public async Task<StintParties> PartiesAsync(Guid id, ClaimsPrincipal user, CancellationToken ct = default) =>
        await Visible(user).Where(s => s.Id == id)
            .Select(s => new StintParties(s.Id, s.LeaderId, s.HostId, s.CancelledAt != null, s.Version))
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("There is no such stint.");

    public async Task<Paged<StintDto>> ListAsync(ClaimsPrincipal user, StintFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1) errors["page"] = ["Pages are numbered from 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"A page holds 1 to {MaxPageSize} stints."];
        if (filter is { From: { } from, To: { } to } && to < from)
            errors["to"] = [$"The end of the range ({to:yyyy-MM-dd}) is before its start ({from:yyyy-MM-dd})."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        var today = clock.Today();
        var query = Filter(Visible(user), filter, today);
        var total = await query.CountAsync(ct);
        var items = await Project(query
                .OrderBy(s => s.StartDate).ThenBy(s => s.EndDate).ThenBy(s => s.Leader!.DisplayName).ThenBy(s => s.Id)
                .Skip((page - 1) * pageSize).Take(pageSize), today)
            .ToListAsync(ct);
        return new Paged<StintDto>(items, page, pageSize, total);
    }

    /// <summary>
    /// The filter as SQL conditions. In progress and Completed follow from the dates, so they are
    /// asked of the dates against today rather than of a stored column.
    /// </summary>
    public static IQueryable<Stint> Filter(IQueryable<Stint> stints, StintFilter f, DateOnly today)
    {
        if (f.LeaderId is { } leader) stints = stints.Where(s => s.LeaderId == leader);
        if (f.TourId is { } tour) stints = stints.Where(s => s.TourId == tour);
        if (f.CohortId is { } cohort) stints = stints.Where(s => s.Leader!.LeaderProfile!.CohortId == cohort);
        if (f.From is { } from) stints = stints.Where(s => s.EndDate >= from);
        if (f.To is { } to) stints = stints.Where(s => s.StartDate <= to);
        return f.Status switch
        {
            null => stints,
            StintStatus.Cancelled => stints.Where(s => s.CancelledAt != null),
            StintStatus.Completed => stints.Where(s => s.CancelledAt == null && s.EndDate < today),
            StintStatus.InProgress => stints.Where(s => s.CancelledAt == null && s.StartDate <= today && s.EndDate >= today),
            StintStatus.Confirmed => stints.Where(s => s.CancelledAt == null && s.StartDate > today && s.ConfirmedAt != null),
            StintStatus.Planned => stints.Where(s => s.CancelledAt == null && s.StartDate > today && s.ConfirmedAt == null),
            _ => throw new ValidationFailedException("status", $"Unknown status {f.Status}."),
        };
    }

    /// <summary>Into the DTO; the status comes from <see cref="Stint.StatusOn"/>, evaluated as the rows arrive.</summary>
    public static IQueryable<StintDto> Project(IQueryable<Stint> stints, DateOnly today) =>
        stints.Select(s => new StintDto(
            s.Id, s.LeaderId, s.Leader!.DisplayName, s.TourId, s.Tour!.Code, s.Tour.Name, s.HostId,
            s.Host != null ? s.Host.DisplayName : null, s.StartDate, s.EndDate, s.Kind,
            s.StatusOn(today),
            s.Objectives, s.ConfirmedAt, s.CancelledAt, s.CancelReason, s.Version));
}

/// <summary>What each person may do to a stint they can see. Seeing it is checked first (404), then this (403).</summary>
public static class StintPermissions
{
    /// <summary>Book, reschedule and cancel: the programme's coordinators.</summary>
    public static bool CanManageStints(this ClaimsPrincipal user) => user.SeesAllStints();

    /// <summary>The host confirms that the department expects the leader; HR may do it for them.</summary>
    public static bool CanConfirm(this ClaimsPrincipal user, StintParties stint) =>
        user.SeesAllStints() || (stint.HostId is { } host && host == user.PersonId());

    /// <summary>The objectives are the leader's own; HR may fill them in on their behalf.</summary>
    public static bool CanSetObjectives(this ClaimsPrincipal user, StintParties stint) =>
        user.SeesAllStints() || stint.LeaderId == user.PersonId();

    public static bool IsLeaderOf(this ClaimsPrincipal user, StintParties stint) => stint.LeaderId == user.PersonId();
}
