using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Rotations.Web.Features.Shared;

/// <summary>
/// The error and status pages. Anonymous on purpose: they must render for anyone, and show no data.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Explanation { get; private set; } = "The error has been logged. Please try again in a moment.";
    public string? RequestId { get; private set; }

    public void OnGet(int? code) => Describe(code);
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        switch (code)
        {
            case 404:
                Title = "Page not found";
                Explanation = "There is no page at this address, or it is not one you can see.";
                RequestId = null;
                break;
            case 403:
                Title = "Not allowed";
                Explanation = "Your account does not have access to this page.";
                RequestId = null;
                break;
            case 400:
                Title = "That request could not be understood";
                Explanation = "Go back, reload the page and try again.";
                break;
            case 413:
                Title = "That is too large";
                Explanation = "What you sent is larger than this page accepts. Shorten it, or split a file into smaller ones.";
                RequestId = null;
                break;
        }
        if (code is not null) Response.StatusCode = code.Value;
        // After an exception the handler has chosen the status (a 4xx for a request the server refused).
        else if (Response.StatusCode < 400) Response.StatusCode = StatusCodes.Status500InternalServerError;
    }
}
