using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Scheduling;

/// <summary>HR books a stint. The rules are SchedulingService's; this page shows what they say beside each field.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class NewStintModel(SchedulingService scheduling, StintFormChoices choices) : PageModel
{
    private static readonly string[] Fields = ["LeaderId", "TourId", "HostId", "StartDate", "EndDate", "Kind", "Objectives"];

    public sealed class InputModel
    {
        [Display(Name = "Leader")] public Guid? LeaderId { get; set; }
        [Display(Name = "Tour")] public Guid? TourId { get; set; }
        [Display(Name = "Host")] public Guid? HostId { get; set; }
        [Display(Name = "First day")] public DateOnly? StartDate { get; set; }
        [Display(Name = "Last day")] public DateOnly? EndDate { get; set; }
        [Display(Name = "Kind")] public StintKind? Kind { get; set; } = StintKind.Orientation;
        [Display(Name = "Objectives")] public string? Objectives { get; set; }
    }

    [BindProperty] public InputModel Input { get; set; } = new();

    public IReadOnlyList<LeaderChoice> Leaders { get; private set; } = [];
    public IReadOnlyList<TourChoice> Tours { get; private set; } = [];
    public IReadOnlyList<HostChoice> Hosts { get; private set; } = [];
    public IReadOnlyList<Clash> Clashes { get; private set; } = [];
    public IReadOnlyList<string> OtherErrors { get; private set; } = [];

    public async Task OnGetAsync(Guid? leaderId, Guid? tourId, CancellationToken ct)
    {
        Input.LeaderId = leaderId;
        Input.TourId = tourId;
        await LoadChoicesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var stint = await scheduling.BookAsync(new StintRequest(Input.LeaderId, Input.TourId, Input.HostId,
                    Input.StartDate, Input.EndDate, Input.Kind, Input.Objectives), ct);
                await LoadChoicesAsync(ct);
                var leader = Leaders.FirstOrDefault(l => l.Id == stint.LeaderId)?.Name ?? "The leader";
                var tour = Tours.FirstOrDefault(t => t.Id == stint.TourId)?.Label ?? "the tour";
                TempData["Flash"] = $"Booked: {leader} at {tour}, {StintDisplay.Dates(stint.StartDate, stint.EndDate)}.";
                return Redirect($"/Stints/{stint.Id}");
            }
            catch (ValidationFailedException ex)
            {
                OtherErrors = StintFormChoices.AddErrors(ModelState, ex, nameof(Input), Fields);
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
            catch (ConflictException ex)
            {
                Clashes = ex.Clashes;
                Response.StatusCode = StatusCodes.Status409Conflict;
            }
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        Leaders = await choices.LeadersAsync(ct);
        Tours = await choices.OpenToursAsync(ct);
        Hosts = await choices.HostsAsync(ct: ct);
    }
}
