using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Catalogue;

/// <summary>HR creates a tour or edits every field of one; retires and reinstates it.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class TourEditModel(CatalogueService catalogue) : PageModel
{
    public sealed class InputModel
    {
        [Display(Name = "Code")] public string? Code { get; set; }
        [Display(Name = "Name")] public string? Name { get; set; }
        [Display(Name = "Summary")] public string? Summary { get; set; }
        [Display(Name = "Outside-in: the customer's side")] public string? OutsideIn { get; set; }
        [Display(Name = "Inside-out: how the company works")] public string? InsideOut { get; set; }
        [Display(Name = "Reflection prompts")] public string? ReflectionPrompts { get; set; }
        [Display(Name = "Fewest")] public int? OrientationMin { get; set; }
        [Display(Name = "Typical")] public int? OrientationTypical { get; set; }
        [Display(Name = "Most")] public int? OrientationMax { get; set; }
        [Display(Name = "Fewest")] public int? AssignmentMin { get; set; }
        [Display(Name = "Typical")] public int? AssignmentTypical { get; set; }
        [Display(Name = "Most")] public int? AssignmentMax { get; set; }
        [Display(Name = "Capacity")] public int? Capacity { get; set; }
        public List<Guid> HostIds { get; set; } = [];
        /// <summary>The version the form was loaded at: a save against a newer one is refused.</summary>
        public uint? Version { get; set; }
    }

    /// <summary>The service's camelCase field names, and where each one's message goes on this form.</summary>
    private static readonly Dictionary<string, string> FieldKeys = new()
    {
        ["code"] = "Input.Code", ["name"] = "Input.Name", ["summary"] = "Input.Summary",
        ["outsideIn"] = "Input.OutsideIn", ["insideOut"] = "Input.InsideOut", ["reflectionPrompts"] = "Input.ReflectionPrompts",
        ["orientationWeeks"] = "Input.OrientationWeeks", ["orientationWeeks.min"] = "Input.OrientationMin",
        ["orientationWeeks.typical"] = "Input.OrientationTypical", ["orientationWeeks.max"] = "Input.OrientationMax",
        ["assignmentWeeks"] = "Input.AssignmentWeeks", ["assignmentWeeks.min"] = "Input.AssignmentMin",
        ["assignmentWeeks.typical"] = "Input.AssignmentTypical", ["assignmentWeeks.max"] = "Input.AssignmentMax",
        ["capacity"] = "Input.Capacity", ["hostIds"] = "Input.HostIds",
    };

    private static readonly Dictionary<string, string> ClashKeys = new()
    {
        ["Code"] = "Input.Code", ["Capacity"] = "Input.Capacity", ["Host"] = "Input.HostIds",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Guid? Id { get; private set; }
    public TourDto? Saved { get; private set; }
    public IReadOnlyList<HostCandidate> Candidates { get; private set; } = [];
    public IReadOnlyList<HostCandidate> Lapsed { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Stale { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } existing)
        {
            var tour = await Load(existing, ct);
            if (tour is null) return NotFound();
            Input = FromTour(tour);
        }
        else
        {
            Input = new InputModel
            {
                OrientationMin = 1, OrientationTypical = 2, OrientationMax = 4,
                AssignmentMin = 6, AssignmentTypical = 12, AssignmentMax = 26, Capacity = 2,
            };
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } existing && await Load(existing, ct) is null) return NotFound();
        // A number that did not parse: say so plainly; the service will also find the field empty.
        foreach (var entry in ModelState.Values.Where(v => v.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add("Enter a whole number.");
        }

        try
        {
            var request = ToRequest(Input);
            TourDto tour;
            if (id is { } tourId)
            {
                if (Input.Version is not { } version) throw new StaleVersionException("This tour");
                tour = await catalogue.UpdateAsync(tourId, version, request, ct);
                TempData["Flash"] = $"Saved your changes to {tour.Name}.";
            }
            else
            {
                tour = await catalogue.CreateAsync(request, ct);
                TempData["Flash"] = $"Added {tour.Name} ({tour.Code}) to the catalogue.";
            }
            return Redirect($"/Tours/{tour.Code}");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                var key = FieldKeys.GetValueOrDefault(field, "");
                if (key != "" && ModelState[key]?.Errors.Count > 0) continue;
                foreach (var message in messages) ModelState.AddModelError(key, message);
            }
            Error = "The tour was not saved. Correct the fields marked below.";
        }
        catch (ConflictException ex)
        {
            foreach (var clash in ex.Clashes) ModelState.AddModelError(ClashKeys.GetValueOrDefault(clash.Kind, ""), clash.Message);
            Error = "The tour was not saved: it clashes with what is already in Rotations. See the marked fields.";
        }
        catch (StaleVersionException)
        {
            Stale = true;
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadChoicesAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostRetireAsync(Guid id, uint? version, CancellationToken ct) =>
        SetRetired(id, version, retire: true, ct);

    public Task<IActionResult> OnPostReinstateAsync(Guid id, uint? version, CancellationToken ct) =>
        SetRetired(id, version, retire: false, ct);

    private async Task<IActionResult> SetRetired(Guid id, uint? version, bool retire, CancellationToken ct)
    {
        if (await Load(id, ct) is null) return NotFound();
        try
        {
            if (version is null) throw new StaleVersionException("This tour");
            var tour = retire ? await catalogue.RetireAsync(id, version, ct) : await catalogue.ReinstateAsync(id, version, ct);
            TempData["Flash"] = retire
                ? $"{tour.Name} is retired: it keeps the stints already booked and takes no new ones."
                : $"{tour.Name} is back in the catalogue and takes new stints.";
            return Redirect($"/Tours/Edit/{id}");
        }
        catch (StaleVersionException)
        {
            Stale = true;
            Input = FromTour(Saved!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadChoicesAsync(ct);
            return Page();
        }
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    public bool HasError(string key) => ErrorFor(key) is not null;

    /// <summary>The id of the element holding a field's error, for aria-describedby; null when there is none.</summary>
    public string? Described(string key, string? hintId = null)
    {
        var ids = new[] { hintId, HasError(key) ? ErrorId(key) : null }.Where(i => i is not null);
        var joined = string.Join(' ', ids);
        return joined.Length == 0 ? null : joined;
    }

    public static string ErrorId(string key) => key.Replace("Input.", "").ToLowerInvariant() + "-error";

    private async Task<TourDto?> Load(Guid id, CancellationToken ct)
    {
        Id = id;
        try
        {
            Saved = await catalogue.GetAsync(id, ct);
        }
        catch (NotFoundException)
        {
            Saved = null;
        }
        return Saved;
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        Candidates = await catalogue.HostCandidatesAsync(ct);
        Lapsed = Id is { } id ? await catalogue.LapsedHostsAsync(id, ct) : [];
    }

    private static InputModel FromTour(TourDto t) => new()
    {
        Code = t.Code, Name = t.Name, Summary = t.Summary, OutsideIn = t.OutsideIn, InsideOut = t.InsideOut,
        ReflectionPrompts = t.ReflectionPrompts,
        OrientationMin = t.OrientationWeeks.Min, OrientationTypical = t.OrientationWeeks.Typical, OrientationMax = t.OrientationWeeks.Max,
        AssignmentMin = t.AssignmentWeeks.Min, AssignmentTypical = t.AssignmentWeeks.Typical, AssignmentMax = t.AssignmentWeeks.Max,
        Capacity = t.Capacity, HostIds = t.Hosts.Select(h => h.Id).ToList(), Version = t.Version,
    };

    private static TourRequest ToRequest(InputModel i) => new(
        i.Code, i.Name,
        new WeeksRequest(i.OrientationMin, i.OrientationTypical, i.OrientationMax),
        new WeeksRequest(i.AssignmentMin, i.AssignmentTypical, i.AssignmentMax),
        i.Capacity, i.Summary, i.OutsideIn, i.InsideOut, i.ReflectionPrompts, i.HostIds);
}
