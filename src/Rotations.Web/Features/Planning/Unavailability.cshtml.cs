using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Planning;

/// <summary>HR keeps a leader's unavailable periods here; the auto-planner books nothing in them.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class UnavailabilityModel(UnavailabilityService service) : PageModel
{
    public sealed class PeriodInput
    {
        [Display(Name = "First day away")] public DateOnly? From { get; set; }
        [Display(Name = "Last day away")] public DateOnly? To { get; set; }
        [Display(Name = "Reason")] public string? Reason { get; set; }
    }

    [BindProperty] public PeriodInput Input { get; set; } = new();
    public Guid LeaderId { get; private set; }
    public string LeaderName { get; private set; } = "";
    public IReadOnlyList<UnavailabilityDto> Periods { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        foreach (var key in new[] { "Input.From", "Input.To" })
            if (ModelState[key]?.Errors.Count > 0) { ModelState[key]!.Errors.Clear(); ModelState.AddModelError(key, "Enter a date."); }
        try
        {
            if (!ModelState.IsValid) throw new ValidationFailedException(new Dictionary<string, string[]>());
            var added = await service.AddAsync(id, new UnavailabilityRequest(Input.From, Input.To, Input.Reason), ct);
            TempData["Flash"] = $"Added: away from {Scheduling.StintDisplay.Date(added.From)} to {Scheduling.StintDisplay.Date(added.To)}. The planner books nothing in it.";
            return Redirect($"/People/{id}/Unavailability");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
                foreach (var m in messages) ModelState.AddModelError($"Input.{char.ToUpperInvariant(field[0])}{field[1..]}", m);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid periodId, CancellationToken ct)
    {
        try
        {
            await service.RemoveAsync(id, periodId, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        TempData["Flash"] = "Removed the period.";
        return Redirect($"/People/{id}/Unavailability");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            (LeaderName, Periods) = await service.LeaderAsync(id, ct);
            LeaderId = id;
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }
}
