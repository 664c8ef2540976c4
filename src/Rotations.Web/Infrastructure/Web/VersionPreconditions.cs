using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// ETag and If-Match for versioned resources (tours, cohorts, stints): the ETag is the row's version in
/// quotes. An edit without If-Match is refused with 428, so no client overwrites a change it never saw
/// by accident; "If-Match: *" (RFC 9110: whatever is current) is the explicit way to overwrite anyway.
/// </summary>
public static class VersionPreconditions
{
    public static string ETag(uint version) => $"\"{version}\"";

    public static void SetETag(this HttpResponse response, uint version) => response.Headers.ETag = ETag(version);

    public enum IfMatchState { Missing, Any, Version, Unmatchable }

    /// <summary>
    /// Reads If-Match: absent, "*", or the first entity tag it names (quotes and a weak "W/" prefix removed).
    /// Versions that are not numbers (people's concurrency stamps) use this directly.
    /// </summary>
    public static (IfMatchState State, string Tag) ReadIfMatchTag(this HttpRequest request)
    {
        var raw = request.Headers[HeaderNames.IfMatch].ToString().Trim();
        if (raw.Length == 0) return (IfMatchState.Missing, "");
        if (raw == "*") return (IfMatchState.Any, "");
        var first = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var tag = (first.StartsWith("W/", StringComparison.Ordinal) ? first[2..] : first).Trim('"');
        return (tag.Length == 0 ? IfMatchState.Unmatchable : IfMatchState.Version, tag);
    }

    /// <summary>Reads If-Match for a numeric row version: absent, "*", the version, or a tag that can never match.</summary>
    public static (IfMatchState State, uint Version) ReadIfMatch(this HttpRequest request)
    {
        var (state, tag) = request.ReadIfMatchTag();
        if (state != IfMatchState.Version) return (state, 0);
        return uint.TryParse(tag, out var version) ? (IfMatchState.Version, version) : (IfMatchState.Unmatchable, 0);
    }

    public static ProblemHttpResult IfMatchRequired(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "If-Match required",
        detail: $"Send the ETag of the {what} you loaded in an If-Match header, so that a change someone else made since is not overwritten.");

    /// <summary>
    /// If-Match as an optional precondition, for writes whose service checks the version itself under a row lock:
    /// absent or "*" means "whatever is current" (null), a version is that version, and a tag that is not one of
    /// ours can never match (stale).
    /// </summary>
    public static uint? OptionalIfMatch(this HttpRequest request, string what) => request.ReadIfMatch() switch
    {
        (IfMatchState.Version, var v) => v,
        (IfMatchState.Unmatchable, _) => throw new Errors.StaleVersionException(what),
        _ => null,
    };

    /// <summary>
    /// The version an edit must find: null when If-Match is absent, <paramref name="current"/> for "*",
    /// the named version otherwise. A tag that is not one of our versions can never match: stale.
    /// </summary>
    public static uint? ExpectedVersion(this HttpRequest request, uint current, string what)
    {
        var (state, version) = request.ReadIfMatch();
        return state switch
        {
            IfMatchState.Missing => null,
            IfMatchState.Any => current,
            IfMatchState.Version => version,
            _ => throw new Errors.StaleVersionException(what),
        };
    }
}
