using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Rotations.Web.Features.Account;

namespace Rotations.Bench;

/// <summary>Options of the programme benchmark (issue 9).</summary>
public sealed record ProgrammeOptions(int Leaders, int Seed, int Concurrency, TimeSpan Duration, string AppDirectory, bool Keep,
    int Bookings, int ImportPeople, TimeSpan Warmup, string? OnlyReads = null);

/// <summary>One read measured: its maximum throughput at the fixed concurrency, and its latency at half that rate.</summary>
public sealed record ReadFigure(string Read, string Kind, LoadResult Closed, LoadResult Open, double Rate);

/// <summary>
/// The programme benchmark: a generated company-sized programme in a fresh database, the real app binary started on it in
/// Production settings (as run.sh starts it, with the benchmark's baseline endpoints switched on and the scheduler off, so
/// that the reads measure requests and nothing else), then reads under load beside their raw-SQL baseline, then writes,
/// then the app's peak working set. Correctness is checked (the baseline answers the same JSON as the app; bookings never
/// overfill a tour), speed is only reported.
/// </summary>
public sealed class ProgrammeBenchmark(string server, ProgrammeOptions options)
{
    public Figures Data { get; } = new("programme");
    public List<ReadFigure> Reads { get; } = [];
    public Figures Writes { get; } = new("writes");
    public Figures Memory { get; } = new("memory");

    public async Task RunAsync()
    {
        await using var db = await BenchDatabase.CreateMigratedAsync(server, "programme", options.Keep);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var clock = Stopwatch.StartNew();
        var data = new ProgrammeDataset(options.Leaders, options.Seed, today);
        Data.Ms("generate", clock.Elapsed);
        var hash = new PasswordHasher<Person>().HashPassword(new Person { DisplayName = "bench" }, ProgrammeDataset.Password);
        clock.Restart();
        var counts = await data.LoadAsync(db.ConnectionString, hash);
        Data.Ms("load with COPY (and analyze)", clock.Elapsed);
        foreach (var (name, count) in counts) Data.Count(name, count);
        Data.Add("seats per tour", data.Capacity.ToString(CultureInfo.InvariantCulture));
        Check(await ProgrammeDataset.DaysOverCapacityAsync(db.ConnectionString) == 0, "the generated programme overfills a tour");
        Check(await ProgrammeDataset.LeaderOverlapsAsync(db.ConnectionString) == 0, "the generated programme has overlapping stints of one leader");

        await using var app = await AppUnderTest.StartAsync(options.AppDirectory, db.ConnectionString);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(60) };
        var hr = await SignInAsync(http, data.Hr[0].Email);
        var boardLeaders = data.Profiles.Where(p => p.CohortId == data.BoardCohort.Id).Select(p => p.PersonId).ToHashSet();
        var inboxPeople = data.Notes.Where(n => boardLeaders.Contains(n.RecipientId)).GroupBy(n => n.RecipientId)
            .OrderByDescending(g => g.Count()).Take(8).Select(g => data.People.Single(p => p.Id == g.Key)).ToList();
        var leaders = new List<Identity>();
        foreach (var p in inboxPeople) leaders.Add(await SignInAsync(http, p.Email));
        var reviewed = data.Reviews.Select(r => r.LeaderId).Distinct().Take(200).ToList();

        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var lastMonth = thisMonth.AddMonths(11);
        var cohort = data.BoardCohort.Id;
        HttpRequestMessage Get(string path, Identity who, bool page) => who.Request(HttpMethod.Get, path, page);
        var targets = new List<(string Read, string Kind, Func<int, HttpRequestMessage> Request)>
        {
            ("board (cohort, 12 months)", "page", _ => Get($"/Board?cohort={cohort}&from={thisMonth:yyyy-MM}&to={lastMonth:yyyy-MM}", hr, true)),
            ("board (cohort, 12 months)", "baseline", _ => Get($"/api/v1/baseline/board?cohortId={cohort}&from={thisMonth:yyyy-MM-dd}&to={lastMonth:yyyy-MM-dd}", hr, false)),
            ("readiness of a leader", "page", i => Get($"/Leaders/{reviewed[i % reviewed.Count]}/Readiness", hr, true)),
            ("readiness of a leader", "api", i => Get($"/api/v1/leaders/{reviewed[i % reviewed.Count]}/readiness", hr, false)),
            ("readiness of a leader", "baseline", i => Get($"/api/v1/baseline/leaders/{reviewed[i % reviewed.Count]}/readiness", hr, false)),
            ("coverage heatmap (cohort)", "page", _ => Get($"/Reports/Coverage?cohortId={cohort}", hr, true)),
            ("coverage heatmap (cohort)", "api", _ => Get($"/api/v1/reports/coverage?cohortId={cohort}", hr, false)),
            ("coverage heatmap (cohort)", "baseline", _ => Get($"/api/v1/baseline/coverage?cohortId={cohort}", hr, false)),
            ("bench strength (programme)", "page", _ => Get("/Reports/Bench", hr, true)),
            ("bench strength (programme)", "api", _ => Get("/api/v1/reports/bench", hr, false)),
            ("bench strength (programme)", "baseline", _ => Get("/api/v1/baseline/bench", hr, false)),
            // The page shows the newest 100 (IndexModel.Shown): the API and the baseline are asked for as many.
            ("inbox (newest 100)", "page", i => Get("/Inbox", leaders[i % leaders.Count], true)),
            ("inbox (newest 100)", "api", i => Get($"/api/v1/me/notifications?take={Rotations.Web.Features.Notifications.IndexModel.Shown}", leaders[i % leaders.Count], false)),
            ("inbox (newest 100)", "baseline", i => Get($"/api/v1/baseline/inbox?take={Rotations.Web.Features.Notifications.IndexModel.Shown}", leaders[i % leaders.Count], false)),
        };

        // --reads: only the reads whose name contains the text, and no writes (for working on one read; never for the doc).
        if (options.OnlyReads is { } only)
        {
            targets.RemoveAll(t => !t.Read.Contains(only, StringComparison.OrdinalIgnoreCase));
            Check(targets.Count > 0, $"--reads {only}: no read has that in its name");
        }

        // The baseline must answer what the app answers, or the ratio compares different work.
        foreach (var read in targets.Where(t => t.Kind == "api").Select(t => t.Read))
            for (var i = 0; i < 3; i++)
            {
                var appJson = await ReadJsonAsync(http, targets.Single(t => t.Read == read && t.Kind == "api").Request(i));
                var baseJson = await ReadJsonAsync(http, targets.Single(t => t.Read == read && t.Kind == "baseline").Request(i));
                Check(JsonNode.DeepEquals(appJson, baseJson), $"{read}: the baseline's JSON differs from the app's at {Difference(appJson, baseJson, "$")}");
            }
        if (targets[0].Read.StartsWith("board", StringComparison.Ordinal))
        {
            var pageCheck = await ReadTextAsync(http, targets[0].Request(0));
            Check(pageCheck.Contains(data.BoardCohort.Name, StringComparison.Ordinal), "the board page does not show the cohort");
        }

        // Measured warm. A freshly started app spends its first tens of seconds under load in the JIT: with tiered
        // compilation and dynamic PGO every hot method is compiled two or three times, and on two busy cores the
        // background tier-up lags (dotnet-counters showed about 500 methods compiled a second through the whole first
        // read, and the hot path still at tier 0 in a CPU profile). That is the start of a process, not what a server
        // running for days answers, and it weighs most on the reads with the most code (pages). So every read runs twice
        // first, and the JIT gets a moment to catch up, before anything is measured.
        static double MiB(long bytes) => bytes / 1024.0 / 1024.0;
        app.SampleMemory();
        Memory.Add("working set before the reads (the programme loaded, people signed in)", MiB(app.PhasePeak()), "MiB", "0");
        var driver = new LoadDriver(http);
        Console.Error.WriteLine($"bench: warming up ({targets.Count} reads, twice, {options.Warmup.TotalSeconds:0} s each)…");
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var (read, kind, request) in targets)
            {
                var warm = await driver.ClosedAsync(request, options.Concurrency, options.Warmup, TimeSpan.Zero);
                Check(warm.Failures == 0, $"{read} ({kind}), warming up: {warm.Failures} of {warm.Requests} requests failed; the first: {warm.FirstFailure}");
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        foreach (var (read, kind, request) in targets)
        {
            Console.Error.WriteLine($"bench: {read}, {kind}…");
            var closed = await driver.ClosedAsync(request, options.Concurrency, options.Duration, TimeSpan.FromSeconds(1));
            Check(closed.Failures == 0, $"{read} ({kind}): {closed.Failures} of {closed.Requests} requests failed; the first: {closed.FirstFailure}");
            var rate = Math.Max(1, Math.Round(closed.PerSecond / 2));
            // Twice as long as the closed loop: at a few dozen requests a second, five seconds give p99 from three requests.
            var open = await driver.OpenAsync(request, rate, 2 * options.Duration);
            Check(open.Failures == 0, $"{read} ({kind}) at {rate}/s: {open.Failures} requests failed; the first: {open.FirstFailure}");
            Reads.Add(new ReadFigure(read, kind, closed, open, rate));
        }

        Memory.Add("peak during the reads", MiB(app.PhasePeak()), "MiB", "0");
        if (options.OnlyReads is not null) return;
        await PlanAsync(http, hr, data);
        Memory.Add("peak during the planner", MiB(app.PhasePeak()), "MiB", "0");
        await BookAsync(http, hr, data, db.ConnectionString);
        Memory.Add("peak during the booking", MiB(app.PhasePeak()), "MiB", "0");
        await ImportAsync(http, hr, data, db.ConnectionString);
        Memory.Add("peak during the CSV import", MiB(app.PhasePeak()), "MiB", "0");

        var (peak, now) = app.Memory();
        Memory.Add("peak working set (VmHWM)", MiB(peak), "MiB", "0");
        Memory.Add("working set at the end (VmRSS)", MiB(now), "MiB", "0");
    }

    private async Task PlanAsync(HttpClient http, Identity hr, ProgrammeDataset data)
    {
        Console.Error.WriteLine("bench: the planner, for the newest cohort…");
        var cohort = data.PlanCohort;
        var message = hr.Request(HttpMethod.Post, "/api/v1/plans", page: false);
        message.Content = JsonContent.Create(new { cohortId = cohort.Id, from = cohort.Start, to = cohort.Start.AddDays(2 * 365) });
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(message);
        var elapsed = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync();
        Check(response.StatusCode == HttpStatusCode.Created, $"planning answered {(int)response.StatusCode}: {text[..Math.Min(400, text.Length)]}");
        var plan = JsonNode.Parse(text)!;
        Writes.Ms($"planner: plan {ProgrammeDataset.PlanCohortSize} leaders over two years (POST /api/v1/plans)", elapsed);
        Writes.Count("planner: stints proposed", plan["assignments"]!.AsArray().Count);
        Writes.Count("planner: needs left unplaced", plan["unplaced"]!.AsArray().Count);
    }

    /// <summary>
    /// Concurrent booking through the API: first many more requests than seats for one tour and one fortnight (exactly the
    /// seats may succeed), then a mix over every tour and a few weeks, with clashes of leaders and full tours. Then the whole
    /// schedule is checked: no tour over capacity on any day, no leader in two places.
    /// </summary>
    private async Task BookAsync(HttpClient http, Identity hr, ProgrammeDataset data, string connectionString)
    {
        Console.Error.WriteLine("bench: concurrent booking…");
        var leaders = data.Profiles.Where(p => p.CohortId == data.PlanCohort.Id).Select(p => p.PersonId).ToList();
        var monday = data.Today.AddDays(-(((int)data.Today.DayOfWeek + 6) % 7));
        var window = monday.AddDays(7 * 80); // after everything the generator booked
        var random = new Random(options.Seed);
        // Three different leaders per seat: the planner's cohort first, then the others (nobody is booked this far ahead);
        // at 20,000 leaders the 250 seats take 750 of them.
        var racers = leaders.Concat(data.Profiles.Where(p => p.CohortId != data.PlanCohort.Id).Select(p => p.PersonId)).Take(3 * data.Capacity).ToList();
        Check(racers.Count == 3 * data.Capacity, $"the programme has fewer than {3 * data.Capacity} leaders for the booking race");
        var race = racers.Select(id => (Leader: id, Tour: 0, Start: window, Weeks: 2)).ToList();
        var mix = Enumerable.Range(0, options.Bookings).Select(_ =>
            (Leader: leaders[random.Next(leaders.Count)], Tour: random.Next(10), Start: window.AddDays(7 * random.Next(3, 12)), Weeks: random.Next(2, 4))).ToList();

        async Task<(int Created, int Refused, TimeSpan Elapsed)> Run(List<(Guid Leader, int Tour, DateOnly Start, int Weeks)> requests)
        {
            var created = 0;
            var refused = 0;
            var next = -1;
            string? unexpected = null;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests.Count)
                {
                    var r = requests[i];
                    var message = hr.Request(HttpMethod.Post, "/api/v1/stints", page: false);
                    message.Content = JsonContent.Create(new
                    {
                        leaderId = r.Leader, tourId = ProgrammeDataset.Tours[r.Tour], startDate = r.Start, endDate = r.Start.AddDays(7 * r.Weeks - 1),
                        kind = "Orientation", objectives = "Benchmark booking.",
                    });
                    using var response = await http.SendAsync(message);
                    if (response.StatusCode == HttpStatusCode.Created) Interlocked.Increment(ref created);
                    else if (response.StatusCode == HttpStatusCode.Conflict) Interlocked.Increment(ref refused);
                    else unexpected ??= $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                }
            }));
            Check(unexpected is null, $"a booking answered {unexpected}");
            return (created, refused, clock.Elapsed);
        }

        var (raceCreated, raceRefused, raceTime) = await Run(race);
        Check(raceCreated == data.Capacity, $"{race.Count} concurrent requests for {data.Capacity} seats booked {raceCreated}");
        Writes.Add($"booking: {race.Count} concurrent requests for the {data.Capacity} seats of one tour",
            $"{raceCreated} booked, {raceRefused} refused (409), {race.Count / raceTime.TotalSeconds:0} requests/s");
        var (created, refused, elapsed) = await Run(mix);
        Writes.Add($"booking: {mix.Count} requests over ten tours and nine weeks, {options.Concurrency} at a time",
            $"{created} booked, {refused} refused (409)");
        Writes.Add("booking: throughput", mix.Count / elapsed.TotalSeconds, "requests/s", "0");
        Writes.Add("booking: bookings per second", created / elapsed.TotalSeconds, "/s", "0");
        var over = await ProgrammeDataset.DaysOverCapacityAsync(connectionString);
        var overlaps = await ProgrammeDataset.LeaderOverlapsAsync(connectionString);
        Check(over == 0, $"{over} tour-days over capacity after concurrent booking");
        Check(overlaps == 0, $"{overlaps} overlapping stints of one leader after concurrent booking");
        Writes.Add("booking: tour-days over capacity afterwards (checked)", "0");
        Writes.Add("booking: overlapping stints of a leader afterwards (checked)", "0");
    }

    private async Task ImportAsync(HttpClient http, Identity hr, ProgrammeDataset data, string connectionString)
    {
        Console.Error.WriteLine($"bench: CSV import of {options.ImportPeople:N0} people…");
        var csv = new StringBuilder("email,displayName,roles,managerEmail,timeZone,currentLevel,targetLevel,cohort,homeDepartment,programmeStart\r\n");
        for (var i = 0; i < options.ImportPeople; i++)
            csv.Append(CultureInfo.InvariantCulture, $"import.{i:00000}@bench.example,Imported Leader {i:00000},Leader,{data.Managers[i % data.Managers.Count].Email},Europe/Berlin,Manager,Director,{data.PlanCohort.Name},Operations,{data.PlanCohort.Start:yyyy-MM-dd}\r\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var message = hr.Request(HttpMethod.Post, "/api/v1/people/import?dryRun=false", page: false);
        message.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(message);
        var elapsed = clock.Elapsed;
        var text = await response.Content.ReadAsStringAsync();
        Check(response.StatusCode == HttpStatusCode.OK, $"the import answered {(int)response.StatusCode}: {text[..Math.Min(600, text.Length)]}");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from people p join leader_profiles lp on lp.person_id = p.id where p.email like 'import.%'", connection);
        var imported = (long)(await count.ExecuteScalarAsync())!;
        Check(imported == options.ImportPeople, $"the import wrote {imported} leaders, not {options.ImportPeople}");
        Writes.Ms($"CSV import: {options.ImportPeople:N0} people ({bytes.Length / 1024} KiB, POST /api/v1/people/import)", elapsed);
        Writes.Add("CSV import: people per second", options.ImportPeople / elapsed.TotalSeconds, "/s", "0");
    }

    private static string Shorten(JsonNode? node) { var s = node?.ToJsonString() ?? "null"; return s.Length > 300 ? s[..300] + "…" : s; }

    /// <summary>The first place two JSON documents differ, with both values.</summary>
    private static string Difference(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                if (!JsonNode.DeepEquals(oa[key], ob[key])) return Difference(oa[key], ob[key], $"{path}.{key}");
        }
        else if (a is JsonArray xa && b is JsonArray xb && xa.Count == xb.Count)
        {
            for (var i = 0; i < xa.Count; i++)
                if (!JsonNode.DeepEquals(xa[i], xb[i])) return Difference(xa[i], xb[i], $"{path}[{i}]");
        }
        return $"{path}: app {Shorten(a)}, baseline {Shorten(b)}";
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpClient http, HttpRequestMessage message)
    {
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Check(response.StatusCode == HttpStatusCode.OK, $"{message.RequestUri} answered {(int)response.StatusCode}: {text[..Math.Min(400, text.Length)]}");
        return JsonNode.Parse(text);
    }

    private static async Task<string> ReadTextAsync(HttpClient http, HttpRequestMessage message)
    {
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Check(response.StatusCode == HttpStatusCode.OK, $"{message.RequestUri} answered {(int)response.StatusCode}");
        return text;
    }

    private static void Check(bool ok, string failure)
    {
        if (!ok) throw new BenchException("check failed: " + failure);
    }

    /// <summary>A person signed in once: a bearer token for the API and a cookie for the pages, reused by every request.</summary>
    public sealed record Identity(string Bearer, string Cookie)
    {
        public HttpRequestMessage Request(HttpMethod method, string path, bool page)
        {
            var message = new HttpRequestMessage(method, path);
            if (page) message.Headers.Add("Cookie", Cookie);
            else message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
            return message;
        }
    }

    private static async Task<Identity> SignInAsync(HttpClient http, string email)
    {
        using var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = ProgrammeDataset.Password });
        Check(token.IsSuccessStatusCode, $"{email} could not get a token: {(int)token.StatusCode}");
        var bearer = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;

        using var form = await http.GetAsync("/Account/Login");
        var html = await form.Content.ReadAsStringAsync();
        var antiforgery = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var formCookies = Cookies(form);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email, ["Input.Password"] = ProgrammeDataset.Password, ["__RequestVerificationToken"] = antiforgery,
            }),
        };
        post.Headers.Add("Cookie", formCookies);
        using var signedIn = await http.SendAsync(post);
        var cookie = Cookies(signedIn);
        if (signedIn.StatusCode != HttpStatusCode.Redirect || cookie.Length == 0)
        {
            var page = await signedIn.Content.ReadAsStringAsync();
            var error = Regex.Match(page, "class=\"[^\"]*error[^\"]*\"[^>]*>([^<]+)<").Groups[1].Value;
            Check(false, $"{email} could not sign in on the login page: {(int)signedIn.StatusCode} {error} (token {(antiforgery.Length > 0 ? "found" : "missing")})");
        }
        return new Identity(bearer, cookie);
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    // Tables for the console and docs/benchmarks.md.

    public string ReadTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| read | served by | max requests/s ({options.Concurrency} in flight) | ratio to baseline | fixed rate (half the max) | p50 | p95 | p99 |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Reads)
        {
            var baseline = Reads.FirstOrDefault(b => b.Read == r.Read && b.Kind == "baseline");
            var ratio = r.Kind == "baseline" || baseline is null ? "" : $"{100 * r.Closed.PerSecond / baseline.Closed.PerSecond:0} %";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Read} | {r.Kind} | {r.Closed.PerSecond:0} | {ratio} | {r.Rate:0}/s | {r.Open.P50:0.0} ms | {r.Open.P95:0.0} ms | {r.Open.P99:0.0} ms |");
        }
        return sb.ToString();
    }

    public string Goals()
    {
        var lines = new List<string>();
        foreach (var r in Reads.Where(r => r.Kind != "baseline"))
        {
            var baseline = Reads.First(b => b.Read == r.Read && b.Kind == "baseline");
            var ratio = r.Closed.PerSecond / baseline.Closed.PerSecond;
            var goal = r.Kind == "api" ? 0.50 : 0.35;
            lines.Add($"- {r.Read}, {r.Kind}: {ratio:P0} of the baseline (goal {goal:P0}) — {(ratio >= goal ? "met" : "short")}; " +
                $"p99 {r.Open.P99:0} ms at half the maximum (goal 100 ms) — {(r.Open.P99 <= 100 ? "met" : "short")}");
        }
        return string.Join("\n", lines).Replace("\u00a0", " ");
    }
}

/// <summary>The app's published binary, started as run.sh starts it, on the benchmark's database.</summary>
public sealed class AppUnderTest : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    public Uri Url { get; }

    private AppUnderTest(Process process, Uri url) { this.process = process; Url = url; }

    public static async Task<AppUnderTest> StartAsync(string directory, string connectionString)
    {
        var dll = Path.Combine(directory, "Rotations.Web.dll");
        if (!File.Exists(dll)) throw new BenchException($"No published app at {dll}: run ./bench.sh, which publishes it (or pass --app DIR).");
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var mail = Directory.CreateTempSubdirectory("rotations-bench-mail-").FullName;
        var start = new ProcessStartInfo("dotnet", [dll, "serve"])
        {
            WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = url.ToString(),
                ["ROTATIONS_DB"] = connectionString, ["ROTATIONS_MAIL_DIR"] = mail, ["ROTATIONS_PUBLIC_URL"] = url.ToString(),
                ["ROTATIONS_SCHEDULER"] = "off", ["Benchmarks__Baseline"] = "true",
                ["Logging__LogLevel__Default"] = "Warning", ["Logging__Console__FormatterName"] = "simple",
            },
        };
        var process = Process.Start(start) ?? throw new BenchException("could not start the app");
        var app = new AppUnderTest(process, url);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app.log) app.log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app.log) app.log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        string last = "no answer";
        // Generous: on a busy two-core machine the first start (JIT, the data-protection key ring) can take a minute.
        while (deadline.Elapsed < TimeSpan.FromSeconds(240))
        {
            if (process.HasExited) throw new BenchException($"the app exited with {process.ExitCode}:\n{app.Log()}");
            try
            {
                using var health = await probe.GetAsync("/health");
                if (health.IsSuccessStatusCode) return app;
                last = $"{(int)health.StatusCode} {await health.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex) { last = ex.Message; }
            catch (TaskCanceledException) { last = "timed out"; }
            await Task.Delay(250);
        }
        await app.DisposeAsync();
        throw new BenchException($"the app did not answer /health within 240 s (last: {last}):\n{app.Log()}");
    }

    public string Log() { lock (log) return log.Length > 4000 ? log.ToString()[^4000..] : log.ToString(); }

    /// <summary>Peak and current resident set of the app's process, in bytes, from /proc.</summary>
    public (long Peak, long Now) Memory()
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        long Kb(string key) => long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return (Kb("VmHWM:"), Kb("VmRSS:"));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private readonly CancellationTokenSource sampling = new();
    private long phasePeak;

    /// <summary>Samples the resident set every 100 ms from now on, so that each phase's peak can be told apart
    /// (VmHWM only says the peak of the whole run).</summary>
    public void SampleMemory() => _ = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested && !process.HasExited)
        {
            try
            {
                var rss = Memory().Now;
                long seen;
                while (rss > (seen = Interlocked.Read(ref phasePeak)) && Interlocked.CompareExchange(ref phasePeak, rss, seen) != seen) { }
            }
            catch (IOException) { return; }
            catch (InvalidOperationException) { return; }
            try { await Task.Delay(100, sampling.Token); }
            catch (OperationCanceledException) { return; }
        }
    });

    /// <summary>The highest resident set sampled since the last call (bytes), and a new phase begins.</summary>
    public long PhasePeak() => Interlocked.Exchange(ref phasePeak, Memory().Now);

    public async ValueTask DisposeAsync()
    {
        await sampling.CancelAsync();
        sampling.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
