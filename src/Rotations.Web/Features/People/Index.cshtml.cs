using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.People;

public sealed record CohortOption(Guid Id, string Name);

/// <summary>/People: HR's list of everyone, with search, filters and paging.</summary>
[Authorize(Policy = Policies.HR)]
public sealed class IndexModel(PeopleService service, RotationsDbContext db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? Cohort { get; set; }

    /// <summary>active (the default), deactivated or all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    /// <summary>"p", because Razor Pages keeps "page" for the page's own path.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PeoplePage Result { get; private set; } = new([], 1, PageSize, 0);
    public IReadOnlyList<CohortOption> Cohorts { get; private set; } = [];
    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || Role is not null || Cohort is not null || Status is "deactivated" or "all";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Role = Account.Roles.All.FirstOrDefault(r => string.Equals(r, Role, StringComparison.OrdinalIgnoreCase));
        Status = Status is "deactivated" or "all" ? Status : "active";
        PageNumber = Math.Max(1, PageNumber);
        Cohorts = await db.Cohorts.AsNoTracking().OrderByDescending(c => c.StartDate).ThenBy(c => c.Name)
            .Select(c => new CohortOption(c.Id, c.Name)).ToListAsync(ct);
        var active = Status switch { "active" => true, "deactivated" => (bool?)false, _ => null };
        Result = await service.ListAsync(new PeopleQuery(Role, Cohort, null, Q, active, PageNumber, PageSize), User, ct);
        // A page past the end (after filtering) shows the last page rather than nothing.
        if (Result.Items.Count == 0 && Result.Total > 0)
        {
            PageNumber = (Result.Total + PageSize - 1) / PageSize;
            Result = await service.ListAsync(new PeopleQuery(Role, Cohort, null, Q, active, PageNumber, PageSize), User, ct);
        }
    }

    /// <summary>The route values of this list with one page number, for the pager links.</summary>
    public Dictionary<string, string> RouteFor(int page)
    {
        var values = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(Q)) values["q"] = Q;
        if (Role is not null) values["role"] = Role;
        if (Cohort is { } c) values["cohort"] = c.ToString();
        if (Status != "active") values["status"] = Status!;
        if (page > 1) values["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }
}
