using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reflections;

/// <summary>
/// A stint's reflection. The leader writes it here (drafts, then submit; after submission each change
/// becomes a version); their manager and HR read what was submitted. Anyone else gets 404, even a host
/// who can see the stint. The rules are <see cref="ReflectionService"/>'s, the same as the API's.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed partial class ReflectionModel(ReflectionService service) : PageModel
{
    /// <summary>Blank vocabulary rows offered after the ones written; saving offers more.</summary>
    public const int BlankTerms = 3;

    public sealed class TermRow
    {
        public string? Term { get; set; }
        public string? Meaning { get; set; }
        public string? CustomerMeaning { get; set; }

        internal bool IsBlank => string.IsNullOrWhiteSpace(Term) && string.IsNullOrWhiteSpace(Meaning) && string.IsNullOrWhiteSpace(CustomerMeaning);
    }

    public sealed class CompetencyRow
    {
        public Guid CompetencyId { get; set; }
        public bool Exercised { get; set; }
        public string? Evidence { get; set; }

        internal bool IsCited => Exercised || !string.IsNullOrWhiteSpace(Evidence);
    }

    public sealed class ReflectionForm
    {
        public string? CustomerSide { get; set; }
        public string? InsideOut { get; set; }
        public List<TermRow> Vocabulary { get; set; } = [];
        public string? PeopleMet { get; set; }
        public string? FrictionAndIdeas { get; set; }
        public List<CompetencyRow> Competencies { get; set; } = [];
        public uint Version { get; set; }
    }

    [BindProperty] public ReflectionForm Form { get; set; } = new();

    public ReflectionDto Reflection { get; private set; } = null!;
    public IReadOnlyList<CompetencyChoice> Choices { get; private set; } = [];
    /// <summary>Why nothing was saved, when it is not one field's fault (too early, already submitted, stale).</summary>
    public string? Problem { get; private set; }
    public bool IsAuthor => Reflection.LeaderId == User.PersonId();
    /// <summary>A submitted reflection opens as its author's readers see it; "Edit" opens the form again.</summary>
    public bool Editing { get; private set; }
    public bool ShowForm => IsAuthor && Reflection.CanEdit && (Reflection.Status != ReflectionStatus.Submitted || Editing);

    public async Task<IActionResult> OnGetAsync(Guid id, bool edit, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Editing = edit;
        FillForm();
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken ct) => WriteAsync(id, submit: false, ct);

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct) => WriteAsync(id, submit: true, ct);

    private async Task<IActionResult> WriteAsync(Guid id, bool submit, CancellationToken ct)
    {
        var competencyErrors = new List<(Guid CompetencyId, string? Field, string Message)>();
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!IsAuthor) return Forbid();
        Editing = true;

        // Rows in the order the form shows them; blank term rows and competencies not cited are not sent.
        var terms = Form.Vocabulary.Select((row, index) => (row, index)).Where(x => !x.row.IsBlank).ToList();
        var cited = Form.Competencies.Select((row, index) => (row, index)).Where(x => x.row.IsCited).ToList();
        var request = new ReflectionRequest(
            Form.CustomerSide, Form.InsideOut,
            terms.Select(x => new VocabularyInput(x.row.Term, x.row.Meaning, x.row.CustomerMeaning)).ToList(),
            Form.PeopleMet, Form.FrictionAndIdeas,
            cited.Select(x => new CompetencyEvidenceInput(x.row.CompetencyId, x.row.Evidence)).ToList());
        try
        {
            var saved = submit
                ? await service.SubmitAsync(id, Form.Version, request, User, ct)
                : await service.SaveAsync(id, Form.Version, request, User, ct);
            TempData["Flash"] = submit ? Submitted(saved)
                : saved.Status == ReflectionStatus.Submitted ? $"Saved. The change is kept as version {saved.Revision}; your manager sees every version."
                : "Draft saved. Only you can see it until you submit.";
            return Redirect($"/Stints/{id}/Reflection");
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
                foreach (var message in messages)
                {
                    // A competency's error follows the competency, wherever its row is when the form comes back.
                    var competency = CompetencyItem().Match(field);
                    if (competency.Success && int.Parse(competency.Groups[1].Value) is var item && item < cited.Count)
                        competencyErrors.Add((cited[item].row.CompetencyId, competency.Groups[2].Success ? Pascal(competency.Groups[2].Value) : null, message));
                    else
                        ModelState.AddModelError(KeyFor(field, terms.Select(t => t.index).ToList()), message);
                }
            Problem = submit ? "The reflection was not submitted. Complete the fields marked below; what you wrote is still here."
                : "Nothing was saved. Correct the fields marked below; what you wrote is still here.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (ConflictException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (StaleVersionException)
        {
            Problem = "This reflection was saved from another tab or device after you opened it, so nothing was saved here. " +
                      "What you typed is still in the form: check it, then save again to keep this version.";
            ModelState.Remove("Form.Version");
            Form.Version = Reflection.Version;
            Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        }
        await KeepTypedAsync(ct);
        foreach (var (competencyId, field, message) in competencyErrors)
        {
            var row = Form.Competencies.FindIndex(c => c.CompetencyId == competencyId);
            ModelState.AddModelError(row < 0 ? "Form.Competencies" : field is null ? $"Form.Competencies[{row}].Evidence" : $"Form.Competencies[{row}].{field}", message);
        }
        return Page();
    }

    private static string Submitted(ReflectionDto r) => r.OnTime == true
        ? $"Submitted on time. Thank you — your manager can read it now."
        : $"Submitted. It was due on {StintDisplay.Date(r.DueOn)}, so it is marked late; your manager can read it now.";

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Reflection = await service.GetAsync(id, User, ct);
        }
        catch (NotFoundException)
        {
            return false;
        }
        Choices = await service.ChoicesAsync(Reflection.TourId, Reflection.Competencies?.Select(c => c.CompetencyId) ?? [], ct);
        return true;
    }

    private void FillForm()
    {
        var evidence = Reflection.Competencies?.ToDictionary(c => c.CompetencyId, c => c.Evidence) ?? [];
        Form = new ReflectionForm
        {
            CustomerSide = Reflection.CustomerSide, InsideOut = Reflection.InsideOut,
            PeopleMet = Reflection.PeopleMet, FrictionAndIdeas = Reflection.FrictionAndIdeas,
            Vocabulary = (Reflection.Vocabulary ?? []).Select(v => new TermRow { Term = v.Term, Meaning = v.Meaning, CustomerMeaning = v.CustomerMeaning })
                .Concat(Enumerable.Range(0, BlankTerms).Select(_ => new TermRow())).ToList(),
            Competencies = Choices.Select(c => new CompetencyRow
            {
                CompetencyId = c.Id, Exercised = evidence.ContainsKey(c.Id), Evidence = evidence.GetValueOrDefault(c.Id),
            }).ToList(),
            Version = Reflection.Version,
        };
    }

    /// <summary>After a refusal the form shows what was typed, in the same rows, with one blank term row at least.</summary>
    private async Task KeepTypedAsync(CancellationToken ct)
    {
        // A form posted twice the same competency (by hand) keeps the first.
        var posted = Form.Competencies.Where(c => c.CompetencyId != Guid.Empty).GroupBy(c => c.CompetencyId).ToDictionary(g => g.Key, g => g.First());
        Choices = await service.ChoicesAsync(Reflection.TourId, posted.Values.Where(c => c.IsCited).Select(c => c.CompetencyId), ct);
        // The same order as the choices; the competencies' errors are placed on their rows afterwards.
        Form.Competencies = Choices.Select(c => posted.GetValueOrDefault(c.Id) ?? new CompetencyRow { CompetencyId = c.Id }).ToList();
        foreach (var key in ModelState.Keys.Where(k => k.StartsWith("Form.Competencies[", StringComparison.Ordinal)).ToList()) ModelState.Remove(key);
        if (Form.Vocabulary.Count == 0 || !Form.Vocabulary[^1].IsBlank) Form.Vocabulary.Add(new TermRow());
    }

    /// <summary>"vocabulary[1].meaning" from the service names the second term sent: the row it came from on this form.</summary>
    private static string KeyFor(string field, List<int> termRows)
    {
        var match = TermItem().Match(field);
        if (match.Success)
        {
            var item = int.Parse(match.Groups[1].Value);
            if (item < termRows.Count) return match.Groups[2].Success
                ? $"Form.Vocabulary[{termRows[item]}].{Pascal(match.Groups[2].Value)}"
                : $"Form.Vocabulary[{termRows[item]}]";
            return "Form.Vocabulary";
        }
        return $"Form.{Pascal(field)}";
    }

    private static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    [GeneratedRegex(@"^vocabulary\[(\d+)\](?:\.(\w+))?$")]
    private static partial Regex TermItem();

    [GeneratedRegex(@"^competencies\[(\d+)\](?:\.(\w+))?$")]
    private static partial Regex CompetencyItem();
}
