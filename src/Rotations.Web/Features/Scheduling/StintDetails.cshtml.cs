using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Scheduling;

/// <summary>
/// One stint, for anyone who may see it (404 for anyone else). HR reschedules and cancels it, the host
/// (or HR) confirms it, the leader writes their objectives. Each form carries the version it was
/// loaded at, so a change made meanwhile by someone else is never overwritten.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class StintDetailsModel(StintQueries queries, SchedulingService scheduling, StintFormChoices choices, ReflectionService reflections) : PageModel
{
    public sealed class RescheduleInput
    {
        [Display(Name = "First day")] public DateOnly? StartDate { get; set; }
        [Display(Name = "Last day")] public DateOnly? EndDate { get; set; }
        [Display(Name = "Kind")] public StintKind? Kind { get; set; }
        [Display(Name = "Host")] public Guid? HostId { get; set; }
        public uint Version { get; set; }
    }

    public sealed class CancelInput
    {
        [Display(Name = "Reason")] public string? Reason { get; set; }
        public uint Version { get; set; }
    }

    public sealed class ObjectivesInput
    {
        [Display(Name = "Objectives")] public string? Objectives { get; set; }
        public uint Version { get; set; }
    }

    [BindProperty] public RescheduleInput Reschedule { get; set; } = new();
    [BindProperty] public CancelInput Cancel { get; set; } = new();
    [BindProperty] public ObjectivesInput Objectives { get; set; } = new();

    public StintDto Stint { get; private set; } = null!;
    public StintParties Parties { get; private set; } = null!;
    public IReadOnlyList<HostChoice> Hosts { get; private set; } = [];
    public IReadOnlyList<Clash> Clashes { get; private set; } = [];
    /// <summary>The reflection and feedback of the stint, as far as this reader may see them.</summary>
    public StintLearning Learning { get; private set; } = null!;
    /// <summary>Set when the form posted an old version: nothing was saved.</summary>
    public string? Stale { get; private set; }
    /// <summary>The form that failed, so the page can open it and point at it.</summary>
    public string? FailedForm { get; private set; }

    public bool CanManage => User.CanManageStints();
    public bool CanConfirm => User.CanConfirm(Parties);
    public bool CanSetObjectives => User.CanSetObjectives(Parties);
    public bool IsOwnStint => User.IsLeaderOf(Parties);
    public bool IsOpen => Stint.Status is not (StintStatus.Cancelled or StintStatus.Completed);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        FillForms();
        return Page();
    }

    public async Task<IActionResult> OnPostRescheduleAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanManage) return Forbid();
        return await SaveAsync(nameof(Reschedule), () => scheduling.RescheduleAsync(id, Reschedule.Version,
                new StintRequest(null, null, Reschedule.HostId, Reschedule.StartDate, Reschedule.EndDate, Reschedule.Kind, null), ct),
            s => $"Saved: {StintDisplay.Dates(s.StartDate, s.EndDate)}.", ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanManage) return Forbid();
        return await SaveAsync(nameof(Cancel), () => scheduling.CancelAsync(id, Cancel.Version, Cancel.Reason, ct),
            _ => "The stint is cancelled. Its place and its dates are free again.", ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanConfirm) return Forbid();
        return await SaveAsync("Confirm", () => scheduling.ConfirmAsync(id, User.PersonId(), ct),
            _ => "Confirmed: the department expects the leader.", ct);
    }

    public async Task<IActionResult> OnPostObjectivesAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!CanSetObjectives) return Forbid();
        return await SaveAsync(nameof(Objectives), () => scheduling.SetObjectivesAsync(id, Objectives.Version, Objectives.Objectives, ct),
            _ => "Objectives saved.", ct);
    }

    private async Task<IActionResult> SaveAsync(string form, Func<Task<Stint>> write, Func<Stint, string> saved, CancellationToken ct)
    {
        FailedForm = form;
        if (!ModelState.IsValid)
        {
            RefillOtherForms(form);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        try
        {
            var stint = await write();
            TempData["Flash"] = saved(stint);
            return Redirect($"/Stints/{stint.Id}");
        }
        catch (ValidationFailedException ex)
        {
            var fields = form == nameof(Reschedule) ? ["StartDate", "EndDate", "Kind", "HostId"] : form == nameof(Cancel) ? ["Reason"] : new[] { "Objectives" };
            foreach (var message in StintFormChoices.AddErrors(ModelState, ex, form, fields)) ModelState.AddModelError(form, message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (ConflictException ex)
        {
            Clashes = ex.Clashes;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (StaleVersionException)
        {
            Stale = "This stint was changed by someone else after you opened it, so nothing was saved. " +
                    "The details below are the current ones; what you typed is still in the form. Check it and save again.";
            // What was typed stays; the forms now carry the current version, so saving again is a deliberate choice.
            await LoadAsync(Stint.Id, ct);
            foreach (var key in new[] { "Reschedule.Version", "Cancel.Version", "Objectives.Version" }) ModelState.Remove(key);
            Reschedule.Version = Cancel.Version = Objectives.Version = Stint.Version;
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        }
        RefillOtherForms(form);
        return Page();
    }

    /// <summary>The forms that were not posted show the stint as it is now.</summary>
    private void RefillOtherForms(string posted)
    {
        var typed = (Reschedule, Cancel, Objectives);
        FillForms();
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith(posted + ".", StringComparison.Ordinal) && k != posted).ToList())
            ModelState.Remove(key);
        if (posted == nameof(Reschedule)) Reschedule = typed.Reschedule;
        if (posted == nameof(Cancel)) Cancel = typed.Cancel;
        if (posted == nameof(Objectives)) Objectives = typed.Objectives;
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var stint = await queries.FindAsync(id, User, ct);
        if (stint is null) return false;
        Stint = stint;
        Parties = new StintParties(stint.Id, stint.LeaderId, stint.HostId, stint.Status == StintStatus.Cancelled, stint.Version);
        if (CanManage) Hosts = await choices.HostsAsync(stint.TourId, ct);
        Learning = await reflections.SummaryAsync(stint.Id, User, ct);
        return true;
    }

    private void FillForms()
    {
        Reschedule = new RescheduleInput
        {
            StartDate = Stint.StartDate, EndDate = Stint.EndDate, Kind = Stint.Kind, HostId = Stint.HostId, Version = Stint.Version,
        };
        Cancel = new CancelInput { Version = Stint.Version };
        Objectives = new ObjectivesInput { Objectives = Stint.Objectives, Version = Stint.Version };
    }
}
