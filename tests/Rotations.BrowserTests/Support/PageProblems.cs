using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Rotations.BrowserTests.Support;

/// <summary>
/// What went wrong in a page that a screenshot may not show: a stylesheet or icon that did not load,
/// a request the content security policy blocked, an error in the browser console.
/// </summary>
public sealed class PageProblems
{
    private readonly ConcurrentQueue<string> problems = new();

    public PageProblems(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Enqueue($"console error on {page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Enqueue($"script error on {page.Url}: {error}");
        page.RequestFailed += (_, request) => problems.Enqueue($"{request.Method} {request.Url} failed: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) problems.Enqueue($"{response.Request.Method} {response.Url} answered {response.Status}");
        };
    }

    public IReadOnlyCollection<string> All => problems.ToArray();
}
