using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Planning;

/// <summary>
/// One plan: the proposal drawn against what is booked, what could not be placed and why, the metrics, and the items to
/// pin or remove; then plan again, commit or discard. Each form carries the plan's version, so a change made meanwhile by
/// another coordinator is never overwritten.
/// </summary>
[Authorize(Policy = Policies.HR)]
public sealed class PlanDetailsModel(PlanningService planning, PlanPreviewQueries previews) : PageModel
{
    public PlanDto Plan { get; private set; } = null!;
    public PlanPreview Preview { get; private set; } = null!;
    /// <summary>Why the last action was refused (stale version, plan no longer proposed, clashes at commit).</summary>
    public string? Refusal { get; private set; }
    public IReadOnlyList<Clash> Clashes { get; private set; } = [];
    public bool IsProposed => Plan.Status == PlanStatus.Proposed;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await LoadAsync(id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        return Page();
    }

    /// <summary>Pins or unpins, removes or restores one item.</summary>
    public Task<IActionResult> OnPostItemAsync(Guid id, int position, bool? pinned, bool? removed, uint version, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var plan = await planning.SetItemAsync(id, position, version, new PlanItemRequest(pinned, removed), ct);
            var item = plan.Assignments.Single(i => i.Position == position);
            TempData["Flash"] = $"{item.LeaderName} at {item.TourName}: " + (removed switch
            {
                true => "removed. Plan again to leave it out, or commit without it.",
                false => "back in the plan.",
                _ => pinned == true ? "pinned. Planning again keeps it where it is." : "unpinned.",
            });
            return Redirect($"/Plans/{id}#items");
        }, ct);

    public Task<IActionResult> OnPostReplanAsync(Guid id, uint version, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var plan = await planning.ReplanAsync(id, version, ct);
            TempData["Flash"] = $"Planned again: {Stints(plan.Metrics.Placed)} proposed, {plan.Metrics.Unplaced} not placed.";
            return Redirect($"/Plans/{id}");
        }, ct);

    public Task<IActionResult> OnPostCommitAsync(Guid id, uint version, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            var plan = await planning.CommitAsync(id, version, User, ct);
            var booked = plan.Assignments.Count(i => i.StintId is not null);
            TempData["Flash"] = $"Booked {Stints(booked)} for {plan.CohortName} from the plan.";
            return Redirect($"/Board?cohort={plan.CohortId}&from={plan.From:yyyy-MM}");
        }, ct);

    public Task<IActionResult> OnPostDiscardAsync(Guid id, uint version, CancellationToken ct) =>
        ActAsync(id, async () =>
        {
            await planning.DiscardAsync(id, version, ct);
            TempData["Flash"] = "The plan is discarded. Nothing was booked.";
            return Redirect("/Plans");
        }, ct);

    /// <summary>"1 stint", "3 stints".</summary>
    public static string Stints(int count) => count == 1 ? "1 stint" : $"{count} stints";

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<IActionResult>> act, CancellationToken ct)
    {
        try
        {
            return await act();
        }
        catch (StaleVersionException)
        {
            Refusal = "This plan was changed by someone else after you opened it, so nothing was changed. Below is the plan as it is now: check it and try again.";
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ConflictException ex)
        {
            Clashes = ex.Clashes.Where(c => c.Kind is not ("Plan" or "Empty")).ToList();
            Refusal = Clashes.Count > 0
                ? "Nothing was booked: the plan clashes with what is booked now. Remove the items named below, or plan again around what was booked meanwhile."
                : ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Plan = await planning.GetAsync(id, ct); // NotFoundException: 404
        Preview = await previews.BuildAsync(Plan, ct);
    }
}
