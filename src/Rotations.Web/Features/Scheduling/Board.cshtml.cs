using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Scheduling;

/// <summary>The programme board. HR and Admin see every leader; a manager sees their own reports.</summary>
[Authorize(Policy = Policies.SignedIn, Roles = $"{Roles.HR},{Roles.Admin},{Roles.Manager}")]
public sealed class BoardModel(BoardQueries board) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Cohort { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Tour { get; set; }
    /// <summary>First month shown, as the month input sends it: 2027-01.</summary>
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public bool Cancelled { get; set; }
    /// <summary>Page of leaders ("p": Razor Pages keeps "page" for the page's own name).</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public ProgrammeBoard Board { get; private set; } = null!;
    public bool CanBook => User.CanManageStints();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var defaults = board.DefaultFilter();
        var from = ParseMonth(From, nameof(From)) ?? defaults.From;
        var to = ParseMonth(To, nameof(To)) ?? (From is null ? defaults.To : from.AddMonths(11));
        var filter = new BoardFilter(Cohort, Tour, from, to, Cancelled, PageNumber);
        try
        {
            if (ModelState.IsValid) BoardQueries.Validate(filter);
        }
        catch (ValidationFailedException ex)
        {
            foreach (var message in ex.Errors.Values.SelectMany(m => m)) ModelState.AddModelError(nameof(To), message);
        }
        if (!ModelState.IsValid)
        {
            // The filter as typed stays in the form; the board falls back to the default months.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            filter = filter with { From = defaults.From, To = defaults.To };
        }
        Board = await board.BuildAsync(User, filter, ct);
        return Page();
    }

    private DateOnly? ParseMonth(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)) return month;
        ModelState.AddModelError(field, "Choose a month, written as YYYY-MM (2027-01).");
        return null;
    }

    /// <summary>The board's address with the current filters and one change.</summary>
    public string Link(int? page = null) =>
        Url.Page("/Scheduling/Board", new
        {
            cohort = Cohort, tour = Tour, from = From, to = To, cancelled = Cancelled ? true : (bool?)null, p = page ?? Board.Filter.Page,
        })!;
}
