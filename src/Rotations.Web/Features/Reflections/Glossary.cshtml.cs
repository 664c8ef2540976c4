using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reflections;

/// <summary>The company's one vocabulary, department by department, for everyone on the programme. Terms only: no authors, no reflections.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class GlossaryModel(GlossaryService glossary) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tour { get; set; }

    public GlossaryDto Glossary { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        string? q = Q, tour = Tour;
        // A refused field is shown beside its input and left out of the search, so the rest still applies.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Glossary = await glossary.SearchAsync(q, tour, ct);
                break;
            }
            catch (ValidationFailedException ex) when (attempt < 2)
            {
                foreach (var (field, messages) in ex.Errors) Errors[field] = string.Join(" ", messages);
                if (ex.Errors.ContainsKey("q")) q = null;
                if (ex.Errors.ContainsKey("tour")) tour = null;
            }
        }
        if (Errors.Count > 0) Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
