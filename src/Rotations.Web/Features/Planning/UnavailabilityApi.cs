using Rotations.Web.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Planning;

public sealed record UnavailabilityRequest(DateOnly? From, DateOnly? To, string? Reason);

public sealed record UnavailabilityDto(Guid Id, Guid PersonId, DateOnly From, DateOnly To, string Reason);

/// <summary>
/// A leader's unavailable periods (leave, a project, a course), which the auto-planner never books into. HR keeps
/// them; the periods are about a person's life, so only HR reads them too.
/// </summary>
public static class UnavailabilityApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/people/{id:guid}/unavailability").WithTags("Auto-planner").RequireAuthorization(Policies.HR);
        group.MapGet("", List).WithName("ListUnavailability").WithSummary("The leader's unavailable periods, in date order")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("", Add).WithName("AddUnavailability").WithSummary("Add an unavailable period {from, to, reason}; the planner books nothing in it")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{periodId:guid}", Remove).WithName("RemoveUnavailability").WithSummary("Remove one period")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static async Task<Ok<IReadOnlyList<UnavailabilityDto>>> List(Guid id, UnavailabilityService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(id, ct));

    internal static async Task<Created<UnavailabilityDto>> Add(Guid id, UnavailabilityRequest request, UnavailabilityService service, CancellationToken ct)
    {
        var period = await service.AddAsync(id, request, ct);
        return TypedResults.Created($"/api/v1/people/{id}/unavailability/{period.Id}", period);
    }

    internal static async Task<NoContent> Remove(Guid id, Guid periodId, UnavailabilityService service, CancellationToken ct)
    {
        await service.RemoveAsync(id, periodId, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>The rules of unavailable periods, for the API and the page alike.</summary>
public sealed class UnavailabilityService(RotationsDbContext db, TimeProvider clock)
{
    public const int MaxPeriodDays = 2 * 366;

    public async Task<(string Name, IReadOnlyList<UnavailabilityDto> Periods)> LeaderAsync(Guid id, CancellationToken ct)
    {
        var name = await db.Users.AsNoTracking().Where(p => p.Id == id && p.LeaderProfile != null).Select(p => p.DisplayName).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("There is no such leader.");
        return (name, await ListAsync(id, ct));
    }

    public async Task<IReadOnlyList<UnavailabilityDto>> ListAsync(Guid id, CancellationToken ct)
    {
        await EnsureLeaderAsync(id, ct);
        return await db.Unavailability.AsNoTracking().Where(u => u.PersonId == id).OrderBy(u => u.FromDate)
            .Select(u => new UnavailabilityDto(u.Id, u.PersonId, u.FromDate, u.ToDate, u.Reason)).ToListAsync(ct);
    }

    public async Task<UnavailabilityDto> AddAsync(Guid id, UnavailabilityRequest request, CancellationToken ct)
    {
        await EnsureLeaderAsync(id, ct);
        var errors = new Dictionary<string, string[]>();
        if (request.From is null) errors["from"] = ["Give the first day the leader is away."];
        if (request.To is null) errors["to"] = ["Give the last day the leader is away."];
        DateWindow.Check(request.From, "from", errors);
        DateWindow.Check(request.To, "to", errors);
        if (request.From is { } f && request.To is { } t)
        {
            if (t < f) errors["to"] = ["The period ends before it begins."];
            else if (t.DayNumber - f.DayNumber > MaxPeriodDays) errors["to"] = ["A period is at most two years; add another for longer."];
        }
        var reason = (request.Reason ?? "").Trim();
        if (reason.Length > Unavailability.MaxReasonLength) errors["reason"] = [$"At most {Unavailability.MaxReasonLength} characters."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        var period = new Unavailability { PersonId = id, FromDate = request.From!.Value, ToDate = request.To!.Value, Reason = reason, CreatedAt = clock.GetUtcNow() };
        db.Unavailability.Add(period);
        await db.SaveChangesAsync(ct);
        return new UnavailabilityDto(period.Id, id, period.FromDate, period.ToDate, period.Reason);
    }

    public async Task RemoveAsync(Guid id, Guid periodId, CancellationToken ct)
    {
        var removed = await db.Unavailability.Where(u => u.Id == periodId && u.PersonId == id).ExecuteDeleteAsync(ct);
        if (removed == 0) throw new NotFoundException("There is no such period.");
    }

    private async Task EnsureLeaderAsync(Guid id, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(p => p.Id == id && p.LeaderProfile != null, ct)) throw new NotFoundException("There is no such leader.");
    }
}
