using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.People;

public sealed record ManagerOption(Guid Id, string Label, bool IsManager);

/// <summary>/People/Edit/{id?}: HR adds a person (no id) or edits one, and deactivates or reactivates them.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class EditModel(PeopleService service, AccountEmails accountEmails, RotationsDbContext db) : PageModel
{
    public sealed class InputModel
    {
        [Display(Name = "Email")]
        public string? Email { get; set; }
        [Display(Name = "Name")]
        public string? DisplayName { get; set; }
        public List<string> Roles { get; set; } = [];
        [Display(Name = "Manager")]
        public Guid? ManagerId { get; set; }
        [Display(Name = "Time zone")]
        public string? TimeZone { get; set; } = PersonRules.DefaultTimeZone;
        [Display(Name = "Initial password")]
        public string? InitialPassword { get; set; }
        [Display(Name = "Current level")]
        public string? CurrentLevel { get; set; }
        [Display(Name = "Target level")]
        public string? TargetLevel { get; set; }
        [Display(Name = "Cohort")]
        public Guid? CohortId { get; set; }
        [Display(Name = "Home department")]
        public string? HomeDepartment { get; set; }
        [Display(Name = "Programme start")]
        public DateOnly? ProgrammeStart { get; set; }
        public string? Version { get; set; }
    }

    /// <summary>Service field names → form fields; the rest show at the top.</summary>
    private static readonly Dictionary<string, string> Fields = new()
    {
        ["email"] = "Input.Email", ["displayName"] = "Input.DisplayName", ["roles"] = "Input.Roles",
        ["managerId"] = "Input.ManagerId", ["timeZone"] = "Input.TimeZone", ["initialPassword"] = "Input.InitialPassword",
        ["leader"] = "Input.Leader", ["leader.currentLevel"] = "Input.CurrentLevel", ["leader.targetLevel"] = "Input.TargetLevel",
        ["leader.cohortId"] = "Input.CohortId", ["leader.homeDepartment"] = "Input.HomeDepartment",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>The person as stored (null when adding one).</summary>
    public PersonDto? Person { get; private set; }
    public IReadOnlyList<ManagerOption> Managers { get; private set; } = [];
    public IReadOnlyList<CohortOption> Cohorts { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public bool IsNew => Person is null;
    /// <summary>Only an Admin changes an Admin's account (the service says so too).</summary>
    public bool CanEdit => Person is null || !Person.Roles.Contains(Account.Roles.Admin) || User.IsInRole(Account.Roles.Admin);

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } personId)
        {
            Person = await service.GetAsync(personId, User, ct);
            if (Person is null) return NotFound();
            Input = From(Person);
        }
        await LoadOptionsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } personId && (Person = await service.GetAsync(personId, User, ct)) is null) return NotFound();
        if (ModelState.IsValid)
        {
            try
            {
                var request = ToRequest(Input, isNew: id is null);
                var saved = id is { } existing
                    ? await service.UpdateAsync(existing, Input.Version ?? "", request, User, ct)
                    : await service.CreateAsync(request, User, ct);
                TempData["Flash"] = id is null
                    ? $"{saved.DisplayName} has been added." + (string.IsNullOrEmpty(Input.InitialPassword)
                        ? $" An invitation to choose a password is on its way to {saved.Email}." : "")
                    : $"{saved.DisplayName} has been saved.";
                return RedirectToPage("/People/Edit", new { id = saved.Id });
            }
            catch (ValidationFailedException ex)
            {
                foreach (var (field, messages) in ex.Errors)
                    foreach (var message in messages)
                        if (Fields.TryGetValue(field, out var key)) ModelState.AddModelError(key, message);
                        else Error = message;
            }
            catch (StaleVersionException ex)
            {
                Stale = true;
                Error = ex.Message;
            }
            catch (ForbiddenException ex)
            {
                Error = ex.Message;
            }
        }
        Error ??= "Some fields need attention: see the messages beside them.";
        Input.InitialPassword = null;
        Response.StatusCode = Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        await LoadOptionsAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostDeactivateAsync(Guid id, CancellationToken ct) =>
        SetActiveAsync(id, false, ct);

    public Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken ct) =>
        SetActiveAsync(id, true, ct);

    public async Task<IActionResult> OnPostInviteAsync(Guid id, CancellationToken ct)
    {
        if ((Person = await service.GetAsync(id, User, ct)) is null) return NotFound();
        try
        {
            var outcome = await accountEmails.ResendInvitationAsync(id, User, ct);
            if (outcome == InvitationOutcome.Queued)
            {
                TempData["Flash"] = $"A new invitation is on its way to {Person.Email}. Its link works for 7 days.";
                return RedirectToPage("/People/Edit", new { id });
            }
            Error = outcome == InvitationOutcome.HasPassword
                ? $"{Person.DisplayName} has a password already: no invitation is needed. If they have forgotten it, they can use “Forgot your password?” on the sign-in page."
                : $"{Person.DisplayName} is deactivated: reactivate them before inviting them.";
        }
        catch (ForbiddenException ex)
        {
            Error = ex.Message;
        }
        Person = await service.GetAsync(id, User, ct);
        Input = From(Person!);
        Response.StatusCode = StatusCodes.Status409Conflict;
        await LoadOptionsAsync(ct);
        return Page();
    }

    private async Task<IActionResult> SetActiveAsync(Guid id, bool active, CancellationToken ct)
    {
        if (await service.GetAsync(id, User, ct) is null) return NotFound();
        try
        {
            var person = active ? await service.ReactivateAsync(id, User, ct) : await service.DeactivateAsync(id, User, ct);
            TempData["Flash"] = active
                ? $"{person.DisplayName} has been reactivated and can sign in again."
                : $"{person.DisplayName} has been deactivated: they can no longer sign in. Their history stays.";
            return RedirectToPage("/People/Edit", new { id });
        }
        catch (Exception ex) when (ex is ValidationFailedException or ForbiddenException)
        {
            Error = ex is ValidationFailedException v ? string.Join(" ", v.Errors.SelectMany(e => e.Value)) : ex.Message;
            Person = await service.GetAsync(id, User, ct);
            Input = From(Person!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadOptionsAsync(ct);
            return Page();
        }
    }

    private static InputModel From(PersonDto p) => new()
    {
        Email = p.Email, DisplayName = p.DisplayName, Roles = p.Roles.ToList(), ManagerId = p.ManagerId, TimeZone = p.TimeZone,
        CurrentLevel = p.Leader?.CurrentLevel.ToString(), TargetLevel = p.Leader?.TargetLevel.ToString(), CohortId = p.Leader?.CohortId,
        HomeDepartment = p.Leader?.HomeDepartment, ProgrammeStart = p.Leader?.ProgrammeStart, Version = p.Version,
    };

    private static PersonRequest ToRequest(InputModel input, bool isNew)
    {
        // The profile goes with the Leader role, or whenever any of its fields is filled in.
        var leader = input.Roles.Contains(Account.Roles.Leader) || !string.IsNullOrEmpty(input.CurrentLevel) ||
            !string.IsNullOrEmpty(input.TargetLevel) || input.CohortId is not null || !string.IsNullOrWhiteSpace(input.HomeDepartment) ||
            input.ProgrammeStart is not null
            ? new LeaderRequest(input.CurrentLevel, input.TargetLevel, input.CohortId, input.HomeDepartment, input.ProgrammeStart)
            : null;
        return new PersonRequest(input.Email, input.DisplayName, input.Roles, input.ManagerId, input.TimeZone,
            isNew ? input.InitialPassword : null, leader);
    }

    private async Task LoadOptionsAsync(CancellationToken ct)
    {
        var self = Person?.Id ?? Guid.Empty;
        var current = Input.ManagerId ?? Guid.Empty;
        // Active people, plus the current manager even if they have left, so the link shows as it is.
        // Those in the Manager role come first: only they see their reports.
        Managers = await db.Users.AsNoTracking()
            .Where(p => p.Id != self && (p.IsActive || p.Id == current))
            .Select(p => new
            {
                p.Id, p.DisplayName, p.Email, p.IsActive,
                IsManager = db.UserRoles.Any(ur => ur.UserId == p.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Account.Roles.Manager)),
            })
            .OrderByDescending(p => p.IsManager).ThenBy(p => p.DisplayName).ThenBy(p => p.Email)
            .Select(p => new ManagerOption(p.Id, p.DisplayName + " (" + p.Email + ")" + (p.IsActive ? "" : " — deactivated"), p.IsManager))
            .ToListAsync(ct);
        Cohorts = await db.Cohorts.AsNoTracking().OrderByDescending(c => c.StartDate).ThenBy(c => c.Name)
            .Select(c => new CohortOption(c.Id, c.Name)).ToListAsync(ct);
    }
}
