using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// ETag and If-Match for versioned resources (tours, cohorts…): the ETag is the row's version in quotes.
/// An edit without If-Match is refused with 428, so no client can overwrite a change it never saw.
/// </summary>
public static class VersionPreconditions
{
    public static string ETag(uint version) => $"\"{version}\"";

    public static void SetETag(this HttpResponse response, uint version) => response.Headers.ETag = ETag(version);

    public enum IfMatchState { Missing, Version, Unmatchable }

    /// <summary>Reads If-Match. "*" counts as missing: it would overwrite any version, which is what the header is here to stop.</summary>
    public static (IfMatchState State, uint Version) ReadIfMatch(this HttpRequest request)
    {
        var raw = request.Headers[HeaderNames.IfMatch].ToString().Trim();
        if (raw.Length == 0 || raw == "*") return (IfMatchState.Missing, 0);
        // A list of ETags: the first that parses is the one the client loaded.
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (uint.TryParse(tag.Trim('"'), out var version)) return (IfMatchState.Version, version);
        }
        return (IfMatchState.Unmatchable, 0);
    }

    public static ProblemHttpResult IfMatchRequired(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "If-Match required",
        detail: $"Send the ETag of the {what} you loaded in an If-Match header, so that a change someone else made since is not overwritten.");
}
