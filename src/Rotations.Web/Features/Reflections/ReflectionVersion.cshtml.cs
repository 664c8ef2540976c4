using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Reflections;

/// <summary>
/// One version of a submitted reflection: what it said at submission (1) or after a later change, with the
/// parts that changed since the version before named. The same readers as the reflection; 404 for anyone else.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class ReflectionVersionModel(ReflectionService service) : PageModel
{
    public ReflectionDto Reflection { get; private set; } = null!;
    public ReflectionVersionDto Version { get; private set; } = null!;
    /// <summary>The parts that differ from the version before; empty for the first; null when the one before is not kept.</summary>
    public IReadOnlyList<string>? Changed { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, int number, CancellationToken ct)
    {
        try
        {
            Reflection = await service.GetAsync(id, User, ct);
            Version = await service.GetVersionAsync(id, number, User, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        if (number > 1)
        {
            try
            {
                Changed = Differences(Version.Content, (await service.GetVersionAsync(id, number - 1, User, ct)).Content);
            }
            catch (NotFoundException)
            {
                // Submitted before versions were kept: there is nothing to compare with.
                Changed = null;
            }
        }
        return Page();
    }

    public static IReadOnlyList<string> Differences(ReflectionContent now, ReflectionContent before)
    {
        var changed = new List<string>();
        if (now.CustomerSide != before.CustomerSide) changed.Add("the customer's side");
        if (now.InsideOut != before.InsideOut) changed.Add("how it works inside");
        if (!now.Vocabulary.SequenceEqual(before.Vocabulary)) changed.Add("the vocabulary");
        if (now.PeopleMet != before.PeopleMet) changed.Add("people met");
        if (now.FrictionAndIdeas != before.FrictionAndIdeas) changed.Add("friction and ideas");
        if (!now.SameEvidence(before)) changed.Add("the competencies and evidence");
        return changed;
    }
}
