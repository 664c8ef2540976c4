using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Planning;

/// <summary>HR asks the auto-planner for a proposal for a cohort over a horizon, and finds the latest plans.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class PlansModel(PlanningService planning, PlanPreviewQueries preview, TimeProvider clock) : PageModel
{
    private static readonly string[] Fields = ["CohortId", "From", "To"];

    public sealed class InputModel
    {
        [Display(Name = "Cohort")] public Guid? CohortId { get; set; }
        [Display(Name = "First day")] public DateOnly? From { get; set; }
        [Display(Name = "Last day")] public DateOnly? To { get; set; }
    }

    [BindProperty] public InputModel Input { get; set; } = new();

    public IReadOnlyList<CohortChoice> Cohorts { get; private set; } = [];
    public IReadOnlyList<PlanSummary> Latest { get; private set; } = [];
    public IReadOnlyList<string> OtherErrors { get; private set; } = [];

    public async Task OnGetAsync(Guid? cohortId, CancellationToken ct)
    {
        // Next Monday, and a year from it.
        var today = clock.Today();
        var monday = today.AddDays(1);
        while (monday.DayOfWeek != DayOfWeek.Monday) monday = monday.AddDays(1);
        Input = new InputModel { CohortId = cohortId, From = monday, To = monday.AddMonths(12) };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var plan = await planning.CreateAsync(new PlanRequest(Input.CohortId, Input.From, Input.To), User, ct);
                TempData["Flash"] = $"Planned {plan.CohortName}: {PlanDetailsModel.Stints(plan.Metrics.Placed)} proposed, {plan.Metrics.Unplaced} not placed. Nothing is booked until you commit.";
                return Redirect($"/Plans/{plan.Id}");
            }
            catch (ValidationFailedException ex)
            {
                OtherErrors = StintFormChoices.AddErrors(ModelState, ex, nameof(Input), Fields);
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Cohorts = await preview.CohortsAsync(ct);
        Latest = await planning.ListAsync(ct);
    }
}
