using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Xunit.Abstractions;

namespace Rotations.Tests.Security;

/// <summary>
/// Hostile and malformed requests to every write endpoint of the API, as a caller allowed to use it, on real
/// records: never a 5xx; every refusal is problem details naming the field or the problem; nothing is stored
/// for a refused request.
/// </summary>
public sealed class HostileInputTests(SchedulingApp app, ITestOutputHelper output) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task Every_write_endpoint_answers_hostile_requests_with_problem_details_and_stores_nothing_it_refuses()
    {
        var world = await HostileWorld.CreateAsync(app);
        var endpoints = HostileInputKit.WriteEndpoints(app.Services).OrderBy(HostileInputKit.Order).ThenBy(e => e.Route).ToList();
        Assert.True(endpoints.Count >= 40, $"only {endpoints.Count} write endpoints found: the walk is not seeing the app");
        Assert.Contains(endpoints, e => e.BodyType is not null && e.ReadsJson);

        await using var fingerprint = new HostileInputKit.Fingerprint(app.ConnectionString);
        var before = await fingerprint.TakeAsync();
        var failures = new List<string>();
        var total = 0;
        var hashing = new System.Diagnostics.Stopwatch();
        var attacked = new HashSet<Type>();
        foreach (var endpoint in endpoints)
        {
            var repeat = endpoint.BodyType is { } bodyType && !attacked.Add(bodyType);
            var path = HostileInputKit.Path(endpoint, world);
            var client = HostileInputKit.Caller(endpoint, world);
            var statuses = new List<int>();
            foreach (var c in HostileInputKit.Cases(endpoint, world, repeat))
            {
                using var request = HostileInputKit.Request(endpoint, path, c);
                using var response = await client.SendAsync(request);
                total++;
                var status = (int)response.StatusCode;
                statuses.Add(status);
                if (await HostileInputKit.CheckAnswerAsync(response) is { } problem)
                    failures.Add($"{endpoint} [{c.Name}]: {problem}" + (status >= 500 ? "\n    " + LastError() : ""));
                hashing.Start();
                var after = await fingerprint.TakeAsync();
                hashing.Stop();
                if (status >= 400 && HostileInputKit.Fingerprint.Changed(before, after) is { Count: > 0 } changed)
                    failures.Add($"{endpoint} [{c.Name}]: refused with {status} but changed {string.Join(", ", changed)}");
                before = after;
            }
            // The caller is one the endpoint admits: not every answer is a refusal of who they are.
            Assert.False(statuses.All(s => s is 401 or 403), $"{endpoint}: every hostile request was refused as unauthorized ({statuses[0]}): the caller is wrong");
            output.WriteLine($"{endpoint}: {statuses.Count} requests, " +
                string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        }
        output.WriteLine($"{total} hostile requests to {endpoints.Count} write endpoints; {failures.Count} failures; {hashing.Elapsed.TotalSeconds:0.0} s fingerprinting");
        Assert.True(failures.Count == 0, $"{failures.Count} of {total} hostile requests were mishandled:\n" + string.Join("\n", failures.Take(150)));
    }

    [Fact]
    public async Task Script_and_SQL_text_is_stored_verbatim_and_shown_escaped()
    {
        var hr = await app.HrApiAsync();
        var code = $"X{Guid.NewGuid():N}"[..8].ToUpperInvariant();
        const string name = "<script>alert(1)</script>'; drop table tours; --";
        const string summary = "<img src=x onerror=alert(2)> \" or 1=1 -- 🦄 e\u0301 \u202Eevil \u200D";
        var created = await hr.PostJsonAsync("/api/v1/tours", new
        {
            code, name, summary, capacity = 2,
            orientationWeeks = new { min = 1, typical = 2, max = 4 }, assignmentWeeks = new { min = 4, typical = 8, max = 26 },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var stored = await app.WithDbAsync(db => db.Tours.AsNoTracking().SingleAsync(t => t.Code == code));
        Assert.Equal(name, stored.Name);
        Assert.Equal(summary, stored.Summary);

        var person = await app.CreatePersonAsync(TestData.UniqueEmail("hr.reader"), Roles.HR);
        var browser = await app.SignInAsync(person.Email!);
        var page = await browser.GetAsync($"/Tours/{code}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("onerror=alert(2)", html); // there, as text
    }

    [Fact]
    public async Task Bad_CSV_files_for_the_people_import_are_refused_with_problem_details_and_import_nothing()
    {
        var hr = await app.HrApiAsync();
        const string header = "email,displayName,roles,managerEmail,timeZone,currentLevel,targetLevel,cohort,homeDepartment,programmeStart";
        string Row(string displayName = "Csv Person", string start = "", string email = "") =>
            $"{(email == "" ? TestData.UniqueEmail("csv") : email)},{displayName},Host,,Europe/London,,,,,{start}";
        var junk = new byte[4096];
        new Random(8).NextBytes(junk);
        var formula = $"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")";
        var formulaEmail = TestData.UniqueEmail("formula");
        var cases = new (string Name, HttpContent Body)[]
        {
            ("empty file", Csv([])),
            ("header only", Csv(header)),
            ("wrong headers", Csv("foo,bar,baz\n1,2,3")),
            ("no email column", Csv("displayName,roles\nNo Email,Host")),
            ("binary junk", Csv(junk)),
            ("unbalanced quotes", Csv($"{header}\n\"{TestData.UniqueEmail("q")},Quote Person,Host\n")),
            ("NUL in a cell", Csv($"{header}\n{Row("Nul\0Person")}")),
            ("a lone surrogate in a cell (arrives as U+FFFD)", Csv($"{header}\n{Row("Half \ud800 surrogate")}")),
            ("extreme dates", Csv($"{header}\n{Row(start: "0001-01-01")}\n{Row(start: "9999-12-31")}\n{Row(start: "2027-02-30")}\n{Row(start: "yesterday")}\n{Row(start: "10000-01-01")}")),
            ("a 200k-character name", Csv($"{header}\n{Row(new string('n', 200_000))}")),
            ("10,000 columns", Csv($"{header}\n{Row()}{new string(',', 10_000)}")),
            ("Latin-1 bytes", Csv(Encoding.Latin1.GetBytes($"{header}\n{Row("Zoë Brontë")}"))),
            ("UTF-16 with BOM", Csv([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes($"{header}\n{Row("Utf Sixteen")}")])),
            ("huge file (6 MB)", Csv(header + "\n" + string.Concat(Enumerable.Repeat(Row() + "\n", 75_000)))),
            ("JSON instead of CSV", new StringContent("{\"email\":\"x@example.com\"}", Encoding.UTF8, "application/json")),
            ("multipart without the file", new MultipartFormDataContent { { new StringContent("x"), "other" } }),
            ("multipart with junk", new MultipartFormDataContent { { new ByteArrayContent(junk), "file", "people.csv" } }),
            ("formula injection (legitimate text)", Csv($"{header}\n{formulaEmail},\"{formula}\",Host,,Europe/London,,,,,")),
        };

        await using var fingerprint = new HostileInputKit.Fingerprint(app.ConnectionString);
        var before = await fingerprint.TakeAsync();
        var failures = new List<string>();
        var statuses = new List<string>();
        foreach (var (caseName, body) in cases)
        {
            using var response = await hr.PostAsync("/api/v1/people/import?dryRun=false", body);
            var status = (int)response.StatusCode;
            statuses.Add($"{caseName}: {status}");
            if (await HostileInputKit.CheckAnswerAsync(response) is { } problem) failures.Add($"[{caseName}] {problem}" + (status >= 500 ? "\n    " + LastError() : ""));
            var after = await fingerprint.TakeAsync();
            if (status >= 400 && HostileInputKit.Fingerprint.Changed(before, after) is { Count: > 0 } changed)
                failures.Add($"[{caseName}] refused with {status} but changed {string.Join(", ", changed)}");
            before = after;
        }
        output.WriteLine(string.Join("\n", statuses));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains("huge file (6 MB): 413", statuses);
        Assert.Contains("JSON instead of CSV: 415", statuses);
        Assert.Contains("NUL in a cell: 400", statuses);

        // The formula is a name like any other: stored as written (exports keep it from running, CsvExportTests).
        var imported = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == formulaEmail));
        Assert.Equal(formula.Replace("\"\"", "\""), imported.DisplayName);
    }

    private static AngleSharp.Dom.IDocument Parse(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

    private static ByteArrayContent Csv(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static ByteArrayContent Csv(string text) => Csv(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Hostile_form_posts_re_render_the_form_with_the_message_beside_the_field_and_what_was_typed()
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail("hr.forms"), Roles.HR);
        var browser = await app.SignInAsync(person.Email!);
        var leader = await app.QuietLeaderAsync("formleader");
        await app.JoinCohortAsync(leader.Id, (await app.CohortAsync("Forms")).Id);
        var tour = await app.NewTourAsync();
        await using var fingerprint = new HostileInputKit.Fingerprint(app.ConnectionString);
        var before = await fingerprint.TakeAsync();

        async Task<string> Refused(string path, Dictionary<string, string> fields, string what)
        {
            var response = await RotationsApp.PostFormAsync(browser, path, fields);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict,
                $"{what}: {(int)response.StatusCode} {(response.StatusCode >= HttpStatusCode.InternalServerError ? LastError() : html[..Math.Min(html.Length, 300)])}");
            Assert.False(html.Contains("Something went wrong", StringComparison.Ordinal), $"{what}: the error page, not the form: {LastError()}");
            var after = await fingerprint.TakeAsync();
            Assert.True(HostileInputKit.Fingerprint.Changed(before, after).Count == 0, $"{what} changed {string.Join(", ", HostileInputKit.Fingerprint.Changed(before, after))}");
            before = after;
            return html;
        }

        static string ErrorText(string html, string id)
        {
            var element = Parse(html).GetElementById(id);
            Assert.True(element is not null, $"no #{id} on the page: {Parse(html).QuerySelector("main")?.TextContent.Trim() ?? html}");
            return element.TextContent.Trim();
        }

        static string? Value(string html, string name) =>
            Parse(html).QuerySelector($"[name='{name}']") is { } e ? (e.LocalName == "textarea" ? e.TextContent : e.GetAttribute("value")) : null;

        var tourFields = new Dictionary<string, string>
        {
            ["Input.Code"] = "HF" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), ["Input.Name"] = "Bad\0name",
            ["Input.OrientationMin"] = "1", ["Input.OrientationTypical"] = "2", ["Input.OrientationMax"] = "4",
            ["Input.AssignmentMin"] = "4", ["Input.AssignmentTypical"] = "8", ["Input.AssignmentMax"] = "26", ["Input.Capacity"] = "2",
        };
        // A NUL in the name: the message beside the name, and the rest as typed.
        var html = await Refused("/Tours/Edit", tourFields, "tour with a NUL");
        Assert.Contains("NUL", ErrorText(html, "name-error"));
        Assert.Equal(tourFields["Input.Code"], Value(html, "Input.Code"));
        Assert.Equal("26", Value(html, "Input.AssignmentMax"));

        // A huge name and an enormous capacity.
        var huge = new string('w', 150_000);
        html = await Refused("/Tours/Edit", new(tourFields) { ["Input.Name"] = huge, ["Input.Capacity"] = "99999999999" }, "tour with huge values");
        Assert.NotEmpty(ErrorText(html, "name-error"));
        Assert.Contains("whole number", ErrorText(html, "capacity-error"));
        Assert.Equal("99999999999", Value(html, "Input.Capacity"));
        Assert.Equal(huge, Value(html, "Input.Name"));

        // Extreme and impossible dates on the unavailability form, and a NUL in the reason.
        var unavailability = $"/People/{leader.Id}/Unavailability";
        html = await Refused(unavailability, new() { ["Input.From"] = "2027-02-30", ["Input.To"] = "yesterday", ["Input.Reason"] = "Leave" }, "impossible dates");
        Assert.NotEmpty(ErrorText(html, "from-error"));
        Assert.NotEmpty(ErrorText(html, "to-error"));
        Assert.Equal("2027-02-30", Value(html, "Input.From"));
        html = await Refused(unavailability, new() { ["Input.From"] = "9999-12-31", ["Input.To"] = "0001-01-01", ["Input.Reason"] = "Leave" }, "extreme dates");
        Assert.NotEmpty(ErrorText(html, "from-error") + ErrorText(html, "to-error"));
        html = await Refused(unavailability, new() { ["Input.From"] = "2027-08-02", ["Input.To"] = "2027-08-06", ["Input.Reason"] = "a\0b" }, "a NUL in the reason");
        Assert.Contains("NUL", ErrorText(html, "reason-error"));
        Assert.Equal("2027-08-02", Value(html, "Input.From"));

        // Booking a stint at the ends of the calendar.
        foreach (var (start, end) in new[] { ("9999-12-27", "9999-12-31"), ("0001-01-01", "0001-01-05"), ("2027-02-30", "2027-03-05") })
        {
            html = await Refused("/Stints/New", new()
            {
                ["Input.LeaderId"] = leader.Id.ToString(), ["Input.TourId"] = tour.Id.ToString(), ["Input.Kind"] = "Orientation",
                ["Input.StartDate"] = start, ["Input.EndDate"] = end, ["Input.Objectives"] = "Learn",
            }, $"stint {start}–{end}");
            Assert.NotEmpty(ErrorText(html, "start-error") + ErrorText(html, "end-error") + (Parse(html).QuerySelector(".error-summary, .alert, [role=alert]")?.TextContent ?? ""));
        }
    }

    private string LastError() =>
        app.Logs.Lines.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal)) is { } line
            ? string.Join("\n    ", line.Split('\n').Where(l => !l.Contains("   at Microsoft.", StringComparison.Ordinal) && !l.Contains("   at System.", StringComparison.Ordinal)).Take(8))
            : "(no error logged)";
}
