using System.Net.Http.Json;
using Rotations.Tests.Readiness;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using static Rotations.Tests.Security.Who;

namespace Rotations.Tests.Security;

/// <summary>
/// One row of the authorization matrix: an endpoint (its method and route pattern, as the endpoint table names it),
/// the address to call with placeholders for ids, and who may use it.
/// <see cref="Owned"/>: the address names a person's private record. The personal roles (manager, leader, host) may
/// use it only for their own circle (leader A, their manager M, the host H of A's stint); for B's circle they get
/// exactly what they get for an id that exists nowhere. Admin and HR get the same on both sides.
/// </summary>
public sealed record Rule(string Key, string Path, Who Allowed, bool Owned = false)
{
    /// <summary>The JSON body a refused caller sends: a real request, so that only authorization stops it.</summary>
    public Func<object>? Body { get; init; }
    /// <summary>What an allowed caller sends (default: an empty JSON object when there is a body): getting past authorization is enough.</summary>
    public Func<object>? AllowedBody { get; init; }
    public Func<HttpContent>? Content { get; init; }
    public Dictionary<string, string>? Form { get; init; }
    public Dictionary<string, string>? AllowedForm { get; init; }
    /// <summary>An allowed call that ends the caller's session or account: run after everything else.</summary>
    public bool Last { get; init; }
    /// <summary>The caller's own things ("me"): B's ids are refused to everyone, HR and Admin too.</summary>
    public bool Mine { get; init; }
    /// <summary>A second row for an endpoint, with other ids (a draft beside a submitted review).</summary>
    public bool Variant { get; init; }
    /// <summary>The one answer an allowed call must get, where it is not simply "past authorization".</summary>
    public string? Success { get; init; }

    public string Method => Key[..Key.IndexOf(' ')];
    public bool IsPage => Form is not null || (Method == "GET" && !Path.StartsWith("/api/", StringComparison.Ordinal) && !IsPlainEndpoint);
    private bool IsPlainEndpoint => Path.StartsWith("/calendar/", StringComparison.Ordinal) || Path is "/health" or "/openapi/v1.json" || Path.EndsWith(".csv", StringComparison.Ordinal);
    public override string ToString() => Key;
}

/// <summary>The expectation table: every endpoint and page handler of the app, classified.</summary>
public static class AuthorizationTable
{
    private static readonly Dictionary<string, string> NoFields = new();

    private static Rule Get(string pattern, string path, Who allowed, bool owned = false) => new($"GET {pattern}", path, allowed, owned);
    private static Rule Api(string method, string pattern, string path, Who allowed, bool owned = false, Func<object>? body = null) =>
        new($"{method} {pattern}", path, allowed, owned) { Body = body };
    private static Rule Page(string pattern, string handler, string path, Who allowed, bool owned = false, Dictionary<string, string>? form = null) =>
        new($"POST {pattern}{(handler == "" ? "" : "?handler=" + handler)}", path + (handler == "" ? "" : (path.Contains('?') ? "&" : "?") + "handler=" + handler), allowed, owned)
        { Form = form ?? NoFields };

    private static readonly DateOnly From = new(2027, 9, 6), To = new(2027, 10, 15);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        // Infrastructure and sign-in.
        Get("/health", "/health", Everyone),
        Get("/openapi/{documentName}.json", "/openapi/v1.json", SignedIn),
        // The status pages answer with the status they describe, to anyone.
        Get("/Error/{code:int?}", "/Error/404", Everyone) with { Success = "404" },
        Page("/Error/{code:int?}", "", "/Error/404", Everyone) with { Success = "404" },
        Api("POST", "/api/v1/auth/token", "/api/v1/auth/token", Everyone),
        Get("/Account/Login", "/Account/Login", Everyone),
        Page("/Account/Login", "", "/Account/Login", Everyone),
        Get("/Account/ForgotPassword", "/Account/ForgotPassword", Everyone),
        Page("/Account/ForgotPassword", "", "/Account/ForgotPassword", Everyone),
        Get("/Account/ResetPassword", "/Account/ResetPassword", Everyone),
        Page("/Account/ResetPassword", "", "/Account/ResetPassword", Everyone),
        Get("/Account/SetPassword", "/Account/SetPassword", Everyone),
        Page("/Account/SetPassword", "", "/Account/SetPassword", Everyone),
        Get("/Account/AccessDenied", "/Account/AccessDenied", SignedIn),
        Get("/Account/ChangePassword", "/Account/ChangePassword", SignedIn),
        Page("/Account/ChangePassword", "", "/Account/ChangePassword", SignedIn),
        Get("/Account/Logout", "/Account/Logout", SignedIn),
        Page("/Account/Logout", "", "/Account/Logout", SignedIn) with { Last = true, Success = "302 to /Account/Login" },
        Get("/Account/Notifications", "/Account/Notifications", SignedIn),
        Page("/Account/Notifications", "", "/Account/Notifications", SignedIn),
        Get("/api/v1/me/email-preferences", "/api/v1/me/email-preferences", SignedIn),
        Api("PUT", "/api/v1/me/email-preferences", "/api/v1/me/email-preferences", SignedIn, body: () => new { kinds = Array.Empty<object>() }),
        Get("/", "/", SignedIn),

        // Calendar feeds.
        Get("/calendar/{token}.ics", "/calendar/{token}.ics", Everyone),
        Get("/api/v1/me/calendar", "/api/v1/me/calendar", SignedIn),
        Api("POST", "/api/v1/me/calendar/renew", "/api/v1/me/calendar/renew", SignedIn),
        Api("DELETE", "/api/v1/me/calendar", "/api/v1/me/calendar", SignedIn),
        Get("/api/v1/tours/{id:guid}/calendar", "/api/v1/tours/{tour}/calendar", Staff),
        Api("POST", "/api/v1/tours/{id:guid}/calendar/renew", "/api/v1/tours/{tour}/calendar/renew", Staff),
        Api("DELETE", "/api/v1/tours/{id:guid}/calendar", "/api/v1/tours/{tour}/calendar", Staff),
        Get("/Calendar", "/Calendar", SignedIn),
        Page("/Calendar", "TurnOn", "/Calendar", SignedIn),
        Page("/Calendar", "Renew", "/Calendar", SignedIn),
        Page("/Calendar", "TurnOff", "/Calendar", SignedIn),

        // Notifications.
        Get("/api/v1/me/notifications", "/api/v1/me/notifications", SignedIn),
        Get("/api/v1/me/notifications/unread-count", "/api/v1/me/notifications/unread-count", SignedIn),
        Api("POST", "/api/v1/me/notifications/{id:guid}/read", "/api/v1/me/notifications/{notification}/read", SignedIn) with { Mine = true },
        Api("POST", "/api/v1/me/notifications/read-all", "/api/v1/me/notifications/read-all", SignedIn),
        Get("/Inbox", "/Inbox", SignedIn),
        Page("/Inbox", "Read", "/Inbox", SignedIn, form: new() { ["id"] = "{notification}" }) with { Mine = true },
        Page("/Inbox", "Open", "/Inbox", SignedIn, form: new() { ["id"] = "{notification}" }) with { Mine = true },
        Page("/Inbox", "ReadAll", "/Inbox", SignedIn),

        // Tours and competencies.
        Get("/api/v1/tours", "/api/v1/tours", SignedIn),
        Get("/api/v1/tours/{id:guid}", "/api/v1/tours/{tour}", SignedIn),
        Api("POST", "/api/v1/tours", "/api/v1/tours", Staff, body: () => new { code = "ZZ" + Guid.NewGuid().ToString("N")[..6], name = "Matrix tour", capacity = 2 }),
        Api("PUT", "/api/v1/tours/{id:guid}", "/api/v1/tours/{tour}", Staff, body: () => new { name = "Overwritten" }),
        Api("POST", "/api/v1/tours/{id:guid}/retire", "/api/v1/tours/{tour}/retire", Staff),
        Api("POST", "/api/v1/tours/{id:guid}/reinstate", "/api/v1/tours/{tour}/reinstate", Staff),
        Get("/Tours", "/Tours", SignedIn),
        Get("/Tours/{code}", "/Tours/CONTACT", SignedIn),
        Get("/Tours/Edit/{id:guid?}", "/Tours/Edit/{tour}", Staff),
        Page("/Tours/Edit/{id:guid?}", "", "/Tours/Edit/{tour}", Staff),
        Page("/Tours/Edit/{id:guid?}", "Retire", "/Tours/Edit/{tour}", Staff),
        Page("/Tours/Edit/{id:guid?}", "Reinstate", "/Tours/Edit/{tour}", Staff),
        Get("/api/v1/competencies", "/api/v1/competencies", SignedIn),
        Api("PUT", "/api/v1/competencies", "/api/v1/competencies", Staff, body: () => new { competencies = Array.Empty<object>() }),
        Get("/Competencies", "/Competencies", SignedIn),
        Get("/Competencies/Edit", "/Competencies/Edit", Staff),
        Page("/Competencies/Edit", "", "/Competencies/Edit", Staff),

        // People, cohorts, unavailability, roles.
        Get("/api/v1/people", "/api/v1/people", SignedIn),
        Get("/api/v1/people/{id:guid}", "/api/v1/people/{person}", SignedIn, owned: true),
        Api("POST", "/api/v1/people", "/api/v1/people", Staff,
            body: () => new { email = TestData.UniqueEmail("matrix.new"), displayName = "Matrix New", roles = new[] { "Leader" }, initialPassword = RotationsApp.Password }),
        Api("PUT", "/api/v1/people/{id:guid}", "/api/v1/people/{person}", Staff, owned: true, body: () => new { displayName = "Overwritten", roles = new[] { "Leader" } }),
        Api("POST", "/api/v1/people/{id:guid}/invitation", "/api/v1/people/{person}/invitation", Staff, owned: true),
        Api("POST", "/api/v1/people/import", "/api/v1/people/import", Staff) with
        {
            Content = () => new StringContent("email,displayName,roles\nmatrix.import@example.com,Matrix Import,Leader\n", System.Text.Encoding.UTF8, "text/csv"),
        },
        Api("POST", "/api/v1/people/{id:guid}/deactivate", "/api/v1/people/{person}/deactivate", Staff, owned: true) with { Last = true },
        Api("POST", "/api/v1/people/{id:guid}/reactivate", "/api/v1/people/{person}/reactivate", Staff, owned: true) with { Last = true },
        Get("/People", "/People", Staff),
        Get("/People/Edit/{id:guid?}", "/People/Edit/{leader}", Staff, owned: true),
        Page("/People/Edit/{id:guid?}", "", "/People/Edit/{leader}", Staff, owned: true),
        Page("/People/Edit/{id:guid?}", "Invite", "/People/Edit/{leader}", Staff, owned: true),
        Page("/People/Edit/{id:guid?}", "Deactivate", "/People/Edit/{leader}", Staff, owned: true) with { Last = true },
        Page("/People/Edit/{id:guid?}", "Reactivate", "/People/Edit/{leader}", Staff, owned: true) with { Last = true },
        Get("/People/Import", "/People/Import", Staff),
        Get("/People/Import?handler=Template", "/People/Import?handler=Template", Staff),
        Page("/People/Import", "Preview", "/People/Import", Staff),
        Page("/People/Import", "Commit", "/People/Import", Staff, form: new() { ["content"] = "email,displayName,roles\nmatrix.page@example.com,Matrix Page,Leader\n", ["fileName"] = "people.csv" }),
        Get("/Admin/People", "/Admin/People", Who.Admin),
        Page("/Admin/People", "", "/Admin/People", Who.Admin, form: new() { ["personId"] = "{leader}", ["roles"] = "Admin" }) with
        {
            AllowedForm = new() { ["personId"] = "{leader}", ["roles"] = "Leader" },
        },
        Get("/api/v1/cohorts", "/api/v1/cohorts", SignedIn),
        Get("/api/v1/cohorts/{id:guid}", "/api/v1/cohorts/{cohort}", SignedIn),
        Api("POST", "/api/v1/cohorts", "/api/v1/cohorts", Staff, body: () => new { name = "Matrix " + Guid.NewGuid().ToString("N")[..6], startDate = From, endDate = To }),
        Api("PUT", "/api/v1/cohorts/{id:guid}", "/api/v1/cohorts/{cohort}", Staff, body: () => new { name = "Overwritten", startDate = From, endDate = To }),
        Get("/Cohorts", "/Cohorts", Staff),
        Get("/Cohorts/Edit/{id:guid?}", "/Cohorts/Edit/{cohort}", Staff),
        Page("/Cohorts/Edit/{id:guid?}", "", "/Cohorts/Edit/{cohort}", Staff),
        Get("/api/v1/people/{id:guid}/unavailability", "/api/v1/people/{leader}/unavailability", Staff, owned: true),
        Api("POST", "/api/v1/people/{id:guid}/unavailability", "/api/v1/people/{leader}/unavailability", Staff, owned: true,
            body: () => new { from = From, to = To, reason = "Overwritten" }),
        Api("DELETE", "/api/v1/people/{id:guid}/unavailability/{periodId:guid}", "/api/v1/people/{leader}/unavailability/{period}", Staff, owned: true),
        Get("/People/{id:guid}/Unavailability", "/People/{leader}/Unavailability", Staff, owned: true),
        Page("/People/{id:guid}/Unavailability", "", "/People/{leader}/Unavailability", Staff, owned: true,
            form: new() { ["Input.From"] = "2027-09-06", ["Input.To"] = "2027-09-10", ["Input.Reason"] = "Overwritten" }),
        Page("/People/{id:guid}/Unavailability", "Remove", "/People/{leader}/Unavailability", Staff, owned: true, form: new() { ["periodId"] = "{period2}" }),

        // Stints and plans of leaders.
        Get("/api/v1/stints", "/api/v1/stints", SignedIn),
        Get("/api/v1/stints/{id:guid}", "/api/v1/stints/{stint}", SignedIn, owned: true),
        Api("POST", "/api/v1/stints", "/api/v1/stints", Staff,
            body: () => new { leaderId = Guid.Empty, tourId = ReflectionKit.Contact, startDate = From, endDate = To, kind = "Assignment" }),
        Api("PUT", "/api/v1/stints/{id:guid}", "/api/v1/stints/{stint}", Staff, owned: true,
            body: () => new { startDate = From, endDate = To, kind = "Assignment" }),
        Api("POST", "/api/v1/stints/{id:guid}/cancel", "/api/v1/stints/{stint}/cancel", Staff, owned: true, body: () => new { reason = "Overwritten" }),
        Api("POST", "/api/v1/stints/{id:guid}/confirm", "/api/v1/stints/{stint}/confirm", Staff | Host, owned: true),
        Api("PUT", "/api/v1/stints/{id:guid}/objectives", "/api/v1/stints/{stint}/objectives", Staff | Leader, owned: true, body: () => new { objectives = "Overwritten" }),
        Get("/Stints/{id:guid}", "/Stints/{stint}", SignedIn, owned: true),
        Page("/Stints/{id:guid}", "Reschedule", "/Stints/{stint}", Staff, owned: true,
            form: new() { ["Reschedule.StartDate"] = "2027-09-06", ["Reschedule.EndDate"] = "2027-10-15", ["Reschedule.Kind"] = "Assignment" }),
        Page("/Stints/{id:guid}", "Cancel", "/Stints/{stint}", Staff, owned: true, form: new() { ["Cancel.Reason"] = "Overwritten" }),
        Page("/Stints/{id:guid}", "Confirm", "/Stints/{stint}", Staff | Host, owned: true),
        Page("/Stints/{id:guid}", "Objectives", "/Stints/{stint}", Staff | Leader, owned: true, form: new() { ["Objectives.Objectives"] = "Overwritten" }),
        Get("/Stints/New", "/Stints/New", Staff),
        Page("/Stints/New", "", "/Stints/New", Staff),
        Get("/Board", "/Board", Staff | Manager),
        Get("/MyPlan", "/MyPlan", Leader),
        Get("/Leaders/{id:guid}/Plan", "/Leaders/{leader}/Plan", Staff | Manager | Leader, owned: true),
        Get("/api/v1/plans", "/api/v1/plans", Staff),
        Api("POST", "/api/v1/plans", "/api/v1/plans", Staff, body: () => new { cohortId = Guid.Empty, from = From, to = To }),
        Get("/api/v1/plans/{id:guid}", "/api/v1/plans/{plan}", Staff),
        Api("PUT", "/api/v1/plans/{id:guid}/items/{position:int}", "/api/v1/plans/{plan}/items/1", Staff, body: () => new { pinned = true }),
        Api("POST", "/api/v1/plans/{id:guid}/replan", "/api/v1/plans/{plan}/replan", Staff),
        Api("POST", "/api/v1/plans/{id:guid}/commit", "/api/v1/plans/{plan}/commit", Staff),
        Api("POST", "/api/v1/plans/{id:guid}/discard", "/api/v1/plans/{plan}/discard", Staff),
        Get("/Plans", "/Plans", Staff),
        Page("/Plans", "", "/Plans", Staff),
        Get("/Plans/{id:guid}", "/Plans/{plan}", Staff),
        Page("/Plans/{id:guid}", "Item", "/Plans/{plan}", Staff, form: new() { ["position"] = "1", ["pinned"] = "true", ["version"] = "0" }),
        Page("/Plans/{id:guid}", "Replan", "/Plans/{plan}", Staff, form: new() { ["version"] = "0" }),
        Page("/Plans/{id:guid}", "Commit", "/Plans/{plan}", Staff, form: new() { ["version"] = "0" }),
        Page("/Plans/{id:guid}", "Discard", "/Plans/{plan}", Staff, form: new() { ["version"] = "0" }),

        // Learning: reflections, feedback, the learning log, the glossary.
        Get("/api/v1/stints/{id:guid}/reflection", "/api/v1/stints/{stint}/reflection", HR | Manager | Leader, owned: true),
        Api("PUT", "/api/v1/stints/{id:guid}/reflection", "/api/v1/stints/{stint}/reflection", Leader, owned: true,
            body: () => ReflectionKit.Complete(customerSide: "Overwritten")),
        Api("POST", "/api/v1/stints/{id:guid}/reflection/submit", "/api/v1/stints/{stint}/reflection/submit", Leader, owned: true),
        Get("/api/v1/stints/{id:guid}/reflection/versions/{number:int}", "/api/v1/stints/{stint}/reflection/versions/1", HR | Manager | Leader, owned: true),
        Get("/api/v1/stints/{id:guid}/feedback", "/api/v1/stints/{stint}/feedback", HR | Manager | Leader | Host, owned: true),
        Api("PUT", "/api/v1/stints/{id:guid}/feedback", "/api/v1/stints/{stint}/feedback", Host, owned: true,
            body: () => new { engagement = 1, curiosity = 1, collaboration = 1, impact = 1, comments = "Overwritten", submit = true }),
        Get("/Stints/{id:guid}/Reflection", "/Stints/{stint}/Reflection", HR | Manager | Leader, owned: true),
        Page("/Stints/{id:guid}/Reflection", "Save", "/Stints/{stint}/Reflection", Leader, owned: true, form: new() { ["Form.CustomerSide"] = "Overwritten" }),
        Page("/Stints/{id:guid}/Reflection", "Submit", "/Stints/{stint}/Reflection", Leader, owned: true, form: new() { ["Form.CustomerSide"] = "Overwritten" }),
        Get("/Stints/{id:guid}/Reflection/Versions/{number:int}", "/Stints/{stint}/Reflection/Versions/1", HR | Manager | Leader, owned: true),
        Get("/Stints/{id:guid}/Feedback", "/Stints/{stint}/Feedback", HR | Manager | Leader | Host, owned: true),
        Page("/Stints/{id:guid}/Feedback", "Save", "/Stints/{stint}/Feedback", Host, owned: true, form: FeedbackForm),
        Page("/Stints/{id:guid}/Feedback", "Submit", "/Stints/{stint}/Feedback", Host, owned: true, form: FeedbackForm),
        Get("/api/v1/leaders/{id:guid}/learning-log", "/api/v1/leaders/{leader}/learning-log", HR | Manager | Leader, owned: true),
        Get("/Leaders/{id:guid}/Log", "/Leaders/{leader}/Log", HR | Manager | Leader, owned: true),
        Get("/LearningLog", "/LearningLog", SignedIn),
        Get("/api/v1/glossary", "/api/v1/glossary", SignedIn),
        Get("/Glossary", "/Glossary", SignedIn),

        // Readiness: criteria, evidence, reviews.
        Get("/api/v1/readiness/criteria", "/api/v1/readiness/criteria", SignedIn),
        Get("/api/v1/readiness/criteria/{level}", "/api/v1/readiness/criteria/HeadOf", SignedIn),
        Api("PUT", "/api/v1/readiness/criteria/{level}", "/api/v1/readiness/criteria/HeadOf", Staff, body: () => new { }),
        Get("/api/v1/readiness/bands", "/api/v1/readiness/bands", SignedIn),
        Api("PUT", "/api/v1/readiness/bands", "/api/v1/readiness/bands", Staff, body: () => new { bands = Array.Empty<object>() }),
        Get("/Readiness/Criteria", "/Readiness/Criteria", SignedIn),
        Get("/Readiness/Criteria/{level}/Edit", "/Readiness/Criteria/HeadOf/Edit", Staff),
        Page("/Readiness/Criteria/{level}/Edit", "", "/Readiness/Criteria/HeadOf/Edit", Staff),
        Get("/Readiness/Bands", "/Readiness/Bands", Staff),
        Page("/Readiness/Bands", "", "/Readiness/Bands", Staff),
        Get("/api/v1/leaders/{id:guid}/readiness", "/api/v1/leaders/{leader}/readiness", HR | Manager | Leader, owned: true),
        Get("/api/v1/leaders/{id:guid}/reviews", "/api/v1/leaders/{leader}/reviews", HR | Manager | Leader, owned: true),
        Api("POST", "/api/v1/leaders/{id:guid}/reviews", "/api/v1/leaders/{leader}/reviews", HR | Manager, owned: true,
            body: () => new { level = "VP", decision = "ReadyNow", rationale = "Overwritten", ratings = ReadinessKit.Ratings(3) }),
        Get("/api/v1/reviews/{id:guid}", "/api/v1/reviews/{review}", HR | Manager | Leader, owned: true),
        // A draft is the reviewers' until it is submitted: the leader does not learn it exists.
        Get("/api/v1/reviews/{id:guid}", "/api/v1/reviews/{draft}", HR | Manager, owned: true) with { Variant = true },
        Api("PUT", "/api/v1/reviews/{id:guid}", "/api/v1/reviews/{draft}", HR | Manager, owned: true,
            body: () => new { level = "Director", decision = "ReadyNow", rationale = "Overwritten", ratings = ReadinessKit.Ratings(4) }),
        Api("POST", "/api/v1/reviews/{id:guid}/submit", "/api/v1/reviews/{draft}/submit", HR | Manager, owned: true,
            body: () => new { level = "Director", decision = "ReadyNow", rationale = "Overwritten", ratings = ReadinessKit.Ratings(4) }),
        Api("DELETE", "/api/v1/reviews/{id:guid}", "/api/v1/reviews/{draft}", HR | Manager, owned: true),
        Api("POST", "/api/v1/reviews/{id:guid}/return", "/api/v1/reviews/{review}/return", HR, owned: true, body: () => new { comment = "Overwritten" }),
        Get("/Leaders/{id:guid}/Readiness", "/Leaders/{leader}/Readiness", HR | Manager | Leader, owned: true),
        Page("/Leaders/{id:guid}/Readiness", "Review", "/Leaders/{leader}/Readiness?level=VP", HR | Manager, owned: true),
        Get("/Reviews/{id:guid}", "/Reviews/{review}", HR | Manager | Leader, owned: true),
        Get("/Reviews/{id:guid}", "/Reviews/{draft}", HR | Manager, owned: true) with { Variant = true },
        Page("/Reviews/{id:guid}", "Save", "/Reviews/{draft}", HR | Manager, owned: true, form: ReviewForm),
        Page("/Reviews/{id:guid}", "Submit", "/Reviews/{draft}", HR | Manager, owned: true, form: ReviewForm),
        Page("/Reviews/{id:guid}", "Discard", "/Reviews/{draft}", HR | Manager, owned: true),
        Page("/Reviews/{id:guid}", "Return", "/Reviews/{review}", HR, owned: true, form: new() { ["ReturnComment"] = "Overwritten" }),

        // Reports (HR only), and managers' own.
        Get("/api/v1/reports/bench", "/api/v1/reports/bench", HR),
        Get("/api/v1/reports/coverage", "/api/v1/reports/coverage", HR),
        Get("/api/v1/reports/coverage.csv", "/api/v1/reports/coverage.csv", HR),
        Get("/api/v1/reports/readiness.csv", "/api/v1/reports/readiness.csv", HR),
        Get("/api/v1/reports/compliance", "/api/v1/reports/compliance", HR),
        Get("/api/v1/reports/overdue", "/api/v1/reports/overdue", HR),
        Get("/api/v1/reports/capacity", "/api/v1/reports/capacity", HR),
        Get("/api/v1/reports/compare", "/api/v1/reports/compare?leaderIds={leader}", HR),
        Get("/Reports/Coverage.csv", "/Reports/Coverage.csv", HR),
        Get("/Reports/Readiness.csv", "/Reports/Readiness.csv", HR),
        Get("/Reports", "/Reports", HR),
        Get("/Reports/Bench", "/Reports/Bench", HR),
        Get("/Reports/Capacity", "/Reports/Capacity", HR),
        Get("/Reports/Compare", "/Reports/Compare", HR),
        Get("/Reports/Compliance", "/Reports/Compliance", HR),
        Get("/Reports/Coverage", "/Reports/Coverage", HR),
        Get("/Reports/Overdue", "/Reports/Overdue", HR),
        Get("/MyReports", "/MyReports", Manager),

        // Running the system.
        Get("/api/v1/reminder-settings", "/api/v1/reminder-settings", Staff),
        Api("PUT", "/api/v1/reminder-settings", "/api/v1/reminder-settings", Staff, body: () => new { sendHour = 3 }),
        Get("/Reminders/Settings", "/Reminders/Settings", Staff),
        Page("/Reminders/Settings", "", "/Reminders/Settings", Staff),
        Get("/api/v1/jobs", "/api/v1/jobs", Staff),
        Get("/Admin/Jobs", "/Admin/Jobs", Staff),
        Page("/Admin/Jobs", "Pause", "/Admin/Jobs", Staff, form: new() { ["job"] = "{job}" }),
        Page("/Admin/Jobs", "Resume", "/Admin/Jobs", Staff, form: new() { ["job"] = "{job}" }),
        Page("/Admin/Jobs", "Trigger", "/Admin/Jobs", Staff, form: new() { ["job"] = "{job}" }),
        Page("/Admin/Jobs", "Retry", "/Admin/Jobs", Staff, form: new() { ["email"] = "{email}" }),
        Get("/api/v1/audit", "/api/v1/audit", Staff),
        Get("/Audit", "/Audit", Staff),
    ];

    private static Dictionary<string, string> FeedbackForm => new()
    {
        ["Form.Engagement"] = "1", ["Form.Curiosity"] = "1", ["Form.Collaboration"] = "1", ["Form.Impact"] = "1", ["Form.Comments"] = "Overwritten",
    };

    private static Dictionary<string, string> ReviewForm => new() { ["Form.Decision"] = "ReadyNow", ["Form.Rationale"] = "Overwritten" };

    public static HttpContent? JsonBody(object? body) => body is null ? null : JsonContent.Create(body, body.GetType(), options: ApiClients.Json);
}
