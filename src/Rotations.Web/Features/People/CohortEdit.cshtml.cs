using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.People;

/// <summary>HR creates a cohort or renames it and changes its dates; its leaders are listed by name.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class CohortEditModel(CohortService cohorts) : PageModel
{
    public sealed class InputModel
    {
        [Display(Name = "Name")] public string? Name { get; set; }
        [Display(Name = "Starts")] public DateOnly? StartDate { get; set; }
        [Display(Name = "Ends")] public DateOnly? EndDate { get; set; }
        public uint? Version { get; set; }
    }

    private static readonly Dictionary<string, string> FieldKeys = new()
    {
        ["name"] = "Input.Name", ["startDate"] = "Input.StartDate", ["endDate"] = "Input.EndDate",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Guid? Id { get; private set; }
    public CohortDto? Saved { get; private set; }
    public IReadOnlyList<CohortLeader> Leaders { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } existing)
        {
            if (await Load(existing, ct) is not { } cohort) return NotFound();
            Input = new InputModel { Name = cohort.Name, StartDate = cohort.StartDate, EndDate = cohort.EndDate, Version = cohort.Version };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } existing && await Load(existing, ct) is null) return NotFound();
        foreach (var entry in ModelState.Values.Where(v => v.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add("Enter a date, like 2027-01-04.");
        }
        try
        {
            var request = new CohortRequest(Input.Name, Input.StartDate, Input.EndDate);
            CohortDto cohort;
            if (id is { } cohortId)
            {
                if (Input.Version is not { } version) throw new StaleVersionException("This cohort");
                cohort = await cohorts.UpdateAsync(cohortId, version, request, ct);
                TempData["Flash"] = $"Saved {cohort.Name}.";
            }
            else
            {
                cohort = await cohorts.CreateAsync(request, ct);
                TempData["Flash"] = $"Created {cohort.Name}.";
            }
            return Redirect("/Cohorts");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                var key = FieldKeys.GetValueOrDefault(field, "");
                if (key != "" && ModelState[key]?.Errors.Count > 0) continue;
                foreach (var message in messages) ModelState.AddModelError(key, message);
            }
            Error = "The cohort was not saved. Correct the fields marked below.";
        }
        catch (ConflictException ex)
        {
            foreach (var clash in ex.Clashes) ModelState.AddModelError(clash.Kind == "Name" ? "Input.Name" : "", clash.Message);
            Error = "The cohort was not saved. Correct the fields marked below.";
        }
        catch (StaleVersionException)
        {
            Stale = true;
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    public bool HasError(string key) => ErrorFor(key) is not null;

    private async Task<CohortDto?> Load(Guid id, CancellationToken ct)
    {
        Id = id;
        try
        {
            Saved = await cohorts.GetAsync(id, ct);
            Leaders = await cohorts.LeadersAsync(id, ct);
        }
        catch (NotFoundException)
        {
            Saved = null;
        }
        return Saved;
    }
}
