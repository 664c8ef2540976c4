using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reminders;

/// <summary>HR and Admin set the programme's rhythm: reminder offsets, the local send hour, the digest day.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class SettingsModel(ReminderSettingsService service) : PageModel
{
    public sealed class InputModel
    {
        [Display(Name = "First reminder, days before the start")] public int? UpcomingFirstDays { get; set; }
        [Display(Name = "Second reminder, days before the start")] public int? UpcomingSecondDays { get; set; }
        [Display(Name = "Midpoint check-in for stints of at least (weeks)")] public int? MidpointMinWeeks { get; set; }
        [Display(Name = "Overdue reminder, days after the end")] public int? OverdueDays { get; set; }
        [Display(Name = "Escalation to the manager, days after the end")] public int? EscalationDays { get; set; }
        [Display(Name = "Send hour (each person's local time)")] public int? SendHour { get; set; }
        [Display(Name = "Weekly HR digest on")] public DayOfWeek? DigestDay { get; set; }
        public uint? Version { get; set; }
    }

    [BindProperty] public InputModel Input { get; set; } = new();
    public ReminderSettingsDto? Current { get; private set; }
    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await service.GetAsync(ct);
        Input = new InputModel
        {
            UpcomingFirstDays = Current.UpcomingFirstDays, UpcomingSecondDays = Current.UpcomingSecondDays,
            MidpointMinWeeks = Current.MidpointMinWeeks, OverdueDays = Current.OverdueDays, EscalationDays = Current.EscalationDays,
            SendHour = Current.SendHour, DigestDay = Current.DigestDay, Version = Current.Version,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        foreach (var entry in ModelState.Values.Where(v => v.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add("Enter a whole number.");
        }
        try
        {
            if (Input.Version is not { } version) throw new StaleVersionException("The reminder settings");
            await service.UpdateAsync(version, new ReminderSettingsRequest(
                Input.UpcomingFirstDays, Input.UpcomingSecondDays, Input.MidpointMinWeeks, Input.OverdueDays,
                Input.EscalationDays, Input.SendHour, Input.DigestDay), User.PersonId(), ct);
            TempData["Flash"] = "Saved. The next sweep uses the new rhythm.";
            return RedirectToPage();
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                // A value that did not parse already says so; the service only saw it missing.
                var key = $"Input.{char.ToUpperInvariant(field[0])}{field[1..]}";
                if (ModelState[key]?.Errors.Count > 0) continue;
                foreach (var message in messages) ModelState.AddModelError(key, message);
            }
            Error = "The settings were not saved. Correct the fields marked below.";
        }
        catch (StaleVersionException)
        {
            Stale = true;
        }
        Current = await service.GetAsync(ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
