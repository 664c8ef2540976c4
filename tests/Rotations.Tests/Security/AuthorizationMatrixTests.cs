using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using static Rotations.Tests.Security.Who;

namespace Rotations.Tests.Security;

/// <summary>
/// The authorization matrix: every API endpoint and every page handler (the table in <see cref="AuthorizationTable"/>),
/// called by each kind of caller (Admin without HR, HR, leader A's manager, leader A, the host of A's stint,
/// someone not signed in) with A's ids and with B's. A refused call answers 401/403/404 (a page: the sign-in or
/// access-denied page, or 404), never 2xx, never with B's private text, and for B's records exactly what an id that
/// exists nowhere gets; a refused write changes no table. An allowed call gets past authorization.
/// </summary>
public sealed class AuthorizationMatrixTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task EveryEndpointAndPageHandler_IsClassifiedInTheTable()
    {
        var endpoints = await EndpointKeysAsync();
        Assert.True(endpoints.Count > 150, $"only {endpoints.Count} endpoints found: the walk is not seeing the app");
        var table = AuthorizationTable.Rules.Where(r => !r.Variant).Select(r => r.Key).ToList();

        Assert.Empty(table.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => "twice in the table: " + g.Key));
        var missing = endpoints.Except(table).ToList();
        Assert.True(missing.Count == 0, "Endpoints missing from the authorization table (classify them):\n" + string.Join('\n', missing));
        var stale = table.Except(endpoints).ToList();
        Assert.True(stale.Count == 0, "Rows of the authorization table that match no endpoint:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task Reads_EveryRoleGetsExactlyWhatItMay_ForOwnAndOthersIds_AndNoGetChangesStoredData()
    {
        var w = await AuthorizationWorld.BuildAsync(app, "reads");
        var wrong = new List<string>();
        var changed = new List<string>();
        var calls = 0;
        var before = await DataSnapshot.TakeAsync(app.ConnectionString);
        foreach (var rule in AuthorizationTable.Rules.Where(r => r.Method == "GET"))
        {
            var answers = new List<string>();
            foreach (var (caller, side) in Cells(w, rule))
            {
                answers.Add($"{caller} ({side}): {await CheckAsync(w, rule, caller, side, wrong)}");
                calls++;
            }
            // State never changes on GET: the tables compared around each endpoint's calls, as every role, with real ids.
            var after = await DataSnapshot.TakeAsync(app.ConnectionString);
            var tables = DataSnapshot.Changed(before, after);
            if (tables.Count > 0) changed.Add($"{rule.Key} [{string.Join("; ", answers)}] changed {string.Join(", ", tables)}");
            before = after;
        }

        // The calendar feed is reached by its secret address alone: a wrong one is not found.
        var unknownFeed = await w.Anonymous.Browser.GetAsync($"/calendar/{Guid.NewGuid():N}.ics");
        if (unknownFeed.StatusCode != HttpStatusCode.NotFound) wrong.Add($"an unknown calendar address answered {(int)unknownFeed.StatusCode}");

        Assert.True(calls > 300, $"only {calls} GETs were made");
        Assert.True(changed.Count == 0, "GETs that changed stored data:\n" + string.Join('\n', changed));
        Assert.True(wrong.Count == 0, $"{wrong.Count} cells of the authorization matrix are wrong:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public async Task Writes_RefusedOnesChangeNothing_AllowedOnesGetPastAuthorization_ForOwnAndOthersIds()
    {
        var w = await AuthorizationWorld.BuildAsync(app, "writes");
        var wrong = new List<string>();
        var writes = AuthorizationTable.Rules.Where(r => r.Method != "GET").ToList();

        // Writes by those who may not: refused, and nothing changes (the tables compared around each endpoint's refused calls).
        var before = await DataSnapshot.TakeAsync(app.ConnectionString);
        foreach (var rule in writes)
        {
            var refused = Cells(w, rule).Where(c => !MayUse(rule, c.Caller, c.Side)).ToList();
            foreach (var (caller, side) in refused) await CheckAsync(w, rule, caller, side, wrong);
            var after = await DataSnapshot.TakeAsync(app.ConnectionString);
            var changed = DataSnapshot.Changed(before, after);
            if (changed.Count > 0)
                wrong.Add($"{rule.Key}, refused to {string.Join(", ", refused.Select(c => $"{c.Caller} ({c.Side})"))}, changed {string.Join(", ", changed)}");
            before = after;
        }

        // Writes by those who may: past authorization. The personal roles first, on their own circle; then Admin on A's
        // records and HR on B's (so that one does not find what the other deleted); last what ends an account or a session.
        foreach (var rule in writes.Where(r => !r.Last))
            foreach (var caller in new[] { w.Leader, w.Host, w.Manager, w.Anonymous }.Where(c => MayUse(rule, c, Side.A)))
                await CheckAsync(w, rule, caller, Side.A, wrong);
        foreach (var rule in writes.Where(r => !r.Last))
        {
            if (MayUse(rule, w.Admin, Side.A)) await CheckAsync(w, rule, w.Admin, Side.A, wrong);
            var side = rule.Owned ? Side.B : Side.A;
            if (MayUse(rule, w.HR, side)) await CheckAsync(w, rule, w.HR, side, wrong);
        }
        foreach (var rule in writes.Where(r => r.Last).OrderBy(r => r.Key.Contains("Logout", StringComparison.Ordinal)))
            foreach (var caller in w.Callers.Where(c => MayUse(rule, c, Side.B)))
                await CheckAsync(w, rule, caller, rule.Owned && caller.Role is Who.Admin or Who.HR ? Side.B : Side.A, wrong);

        Assert.True(wrong.Count == 0, $"{wrong.Count} cells of the authorization matrix are wrong:\n" + string.Join('\n', wrong));
    }

    /// <summary>Every caller with A's ids; for a private record, every caller with B's too.</summary>
    private static IEnumerable<(Caller Caller, Side Side)> Cells(AuthorizationWorld w, Rule rule) =>
        w.Callers.SelectMany(c => rule.Owned || rule.Mine ? new[] { (c, Side.A), (c, Side.B) } : new[] { (c, Side.A) });

    private static bool MayUse(Rule rule, Caller caller, Side side) =>
        rule.Allowed.HasFlag(caller.Role) && !(side == Side.B && (rule.Mine || (rule.Owned && (Personal & caller.Role) != 0)));

    /// <summary>Makes the call, notes what is wrong with its answer, and returns the answer.</summary>
    private static async Task<string> CheckAsync(AuthorizationWorld w, Rule rule, Caller caller, Side side, List<string> wrong)
    {
        var allowed = MayUse(rule, caller, side);
        var response = await SendAsync(w, rule, caller, side, allowed);
        var body = await response.Content.ReadAsStringAsync();
        var cell = $"{rule.Key} as {caller} with {side}'s ids";
        var answer = Answer(response);

        if ((int)response.StatusCode >= 500) wrong.Add($"{cell}: {answer} (a server error)");
        else if (allowed && rule.Success is { } success) { if (answer != success) wrong.Add($"{cell}: {answer}, expected {success}"); }
        else if (allowed && Refused(response)) wrong.Add($"{cell}: {answer}, but it is allowed");
        else if (!allowed && !Refused(response)) wrong.Add($"{cell}: {answer}, but it must be refused");
        if ((!allowed || (caller.Role & (Personal | Anonymous)) != 0) && body.Contains(AuthorizationWorld.Marker, StringComparison.Ordinal))
            wrong.Add($"{cell}: the answer holds B's private text");
        if (!allowed && side == Side.B && caller.Role != Anonymous && (rule.Mine || (rule.Owned && (Personal & caller.Role) != 0)))
        {
            // Someone else's record: the same answer as for a record that does not exist, so an id tells nothing.
            var unknown = Answer(await SendAsync(w, rule, caller, side, allowed, unknownIds: true));
            if (unknown != answer) wrong.Add($"{cell}: {answer}, but an unknown id answers {unknown}");
        }
        return answer;
    }

    private static async Task<HttpResponseMessage> SendAsync(AuthorizationWorld w, Rule rule, Caller caller, Side side, bool allowed, bool unknownIds = false)
    {
        var path = w.Fill(rule.Path, caller, side, unknownIds);
        if (rule.IsPage)
        {
            if (rule.Method == "GET") return await caller.Browser.GetAsync(path);
            var fields = (allowed ? rule.AllowedForm ?? rule.Form : rule.Form)!
                .ToDictionary(f => f.Key, f => w.Fill(f.Value, caller, side, unknownIds));
            fields["__RequestVerificationToken"] = caller.Antiforgery;
            return await caller.Browser.PostAsync(path, new FormUrlEncodedContent(fields));
        }
        var client = caller.Role == Anonymous && rule.Method == "GET" && !path.StartsWith("/api/", StringComparison.Ordinal) ? caller.Browser : caller.Api;
        var request = new HttpRequestMessage(new HttpMethod(rule.Method), path)
        {
            Content = rule.Content?.Invoke() ?? AuthorizationTable.JsonBody((allowed ? rule.AllowedBody ?? rule.Body : rule.Body)?.Invoke()),
        };
        return await client.SendAsync(request);
    }

    private static string Answer(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found
            ? $"{(int)response.StatusCode} to {response.RedirectPath()}"
            : ((int)response.StatusCode).ToString();

    /// <summary>Refused: 401, 403 or 404, or a page sending the browser to sign in or to the access-denied page.</summary>
    private static bool Refused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound ||
        (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found &&
         response.RedirectPath() is "/Account/Login" or "/Account/AccessDenied");

    /// <summary>
    /// "METHOD /pattern" for every endpoint the app maps, and "METHOD /page?handler=Name" for every handler of every
    /// page (a page answers at several patterns, "/People" and "/People/Index": the shortest names it). Static files are not endpoints of the app's own.
    /// </summary>
    private async Task<List<string>> EndpointKeysAsync()
    {
        _ = app.CreateClient();
        var loader = app.Services.GetRequiredService<PageLoader>();
        var keys = new List<string>();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        foreach (var group in endpoints.Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
                     .GroupBy(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath))
        {
            var endpoint = group.OrderBy(e => e.RoutePattern.RawText!.Length).First();
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var compiled = await loader.LoadAsync(endpoint.Metadata.GetMetadata<PageActionDescriptor>()!, EndpointMetadataCollection.Empty);
            keys.AddRange(compiled.HandlerMethods.Select(h =>
                $"{h.HttpMethod.ToUpperInvariant()} {pattern}{(string.IsNullOrEmpty(h.Name) ? "" : "?handler=" + h.Name)}"));
        }
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null))
        {
            if (IsStaticFile(endpoint)) continue;
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            keys.AddRange(methods.Where(m => m != "HEAD").Select(m => $"{m} {pattern}"));
        }
        return keys.Distinct().ToList();
    }

    private static bool IsStaticFile(RouteEndpoint e) =>
        e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)) || e.RoutePattern.RawText == "{**path:file}";
}
