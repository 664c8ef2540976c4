using System.Net;
using System.Security.Claims;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Audit;

/// <summary><c>GET /api/v1/audit</c> and the /Audit page: who changed what, when, for HR and Admin only.</summary>
public sealed class AuditTrailTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static readonly DateOnly Jan4 = new(2027, 1, 4);

    /// <summary>Calls SchedulingService as if <paramref name="actor"/> were signed in, so the trail names them.</summary>
    private async Task<T> As<T>(Person actor, Func<SchedulingService, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, actor.Id.ToString()), new Claim(AccountClaims.DisplayName, actor.DisplayName)], "test")),
        };
        try { return await work(scope.ServiceProvider.GetRequiredService<SchedulingService>()); }
        finally { accessor.HttpContext = null; }
    }

    private async Task<(Person Hr, HttpClient Browser)> Hr()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hannah.reyes"), Roles.HR);
        return (hr, await app.SignInAsync(hr.Email!));
    }

    private async Task<Stint> BookAsHr(Person hr, Guid leaderId, Guid tourId) =>
        await As(hr, s => s.BookAsync(new StintRequest(leaderId, tourId, null, Jan4, Jan4.AddDays(13), StintKind.Orientation, "")));

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string Text(string html) =>
        string.Join(' ', new HtmlParser().ParseDocument(html).Body!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task ARescheduleThroughSchedulingService_ShowsInTheApiAndOnThePage()
    {
        var (hr, browser) = await Hr();
        var leader = await app.LeaderAsync("lena");
        var tour = await app.NewTourAsync();
        var stint = await BookAsHr(hr, leader.Id, tour.Id);

        await As(hr, s => s.RescheduleAsync(stint.Id, stint.Version,
            new StintRequest(null, null, null, Jan4.AddDays(7), Jan4.AddDays(20), StintKind.Orientation, null)));

        var api = await Json(await browser.GetAsync($"/api/v1/audit?entityType=Stint&entityKey={stint.Id}"));
        Assert.Equal(2, api.GetProperty("total").GetInt32());
        Assert.Equal((1, 50), (api.GetProperty("page").GetInt32(), api.GetProperty("pageSize").GetInt32()));
        var items = api.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Changed", "Created"], items.Select(i => i.GetProperty("action").GetString()));
        var changed = items[0];
        Assert.Equal(hr.Id, changed.GetProperty("actorId").GetGuid());
        Assert.Equal(hr.DisplayName, changed.GetProperty("actorName").GetString());
        Assert.Equal(("Stint", stint.Id.ToString()), (changed.GetProperty("entityType").GetString(), changed.GetProperty("entityKey").GetString()));
        Assert.Equal($"{leader.DisplayName} · {tour.Code} · from 2027-01-11", changed.GetProperty("label").GetString());
        var startDate = changed.GetProperty("changes").GetProperty("startDate");
        Assert.Equal(("2027-01-04", "2027-01-11"), (startDate.GetProperty("from").GetString(), startDate.GetProperty("to").GetString()));
        Assert.True(changed.GetProperty("at").GetDateTimeOffset() >= items[1].GetProperty("at").GetDateTimeOffset());

        var page = await browser.GetAsync($"/Audit?entityType=Stint&entityKey={stint.Id}");
        var html = await page.Content.ReadAsStringAsync();
        var text = Text(html);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"{hr.DisplayName} changed the stint {leader.DisplayName} · {tour.Code} · from 2027-01-11", text);
        Assert.Contains("Start date 2027-01-04 → 2027-01-11", text);
        Assert.Contains("End date 2027-01-17 → 2027-01-24", text);
        Assert.Contains($"{hr.DisplayName} created the stint", text);
        Assert.Contains($"href=\"/Stints/{stint.Id}\"", html);
        Assert.True(text.IndexOf("changed the stint", StringComparison.Ordinal) < text.IndexOf("created the stint", StringComparison.Ordinal), "newest first");
    }

    [Fact]
    public async Task Trail_IsFilteredByActorAndPeriod_AndPagedNewestFirst()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hannah.reyes"), Roles.HR);
        var otherHr = await app.CreatePersonAsync(TestData.UniqueEmail("olga"), Roles.HR);
        var leader = await app.LeaderAsync();
        var stint = await BookAsHr(hr, leader.Id, (await app.NewTourAsync()).Id);
        var booked = app.Clock.GetUtcNow();
        foreach (var (actor, objectives) in new[] { (hr, "one"), (otherHr, "two"), (hr, "three") })
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            await As(actor, s => s.SetObjectivesAsync(stint.Id, null, objectives));
        }
        var key = $"entityType=Stint&entityKey={stint.Id}";
        // Signed in after the clock moved on, or the cookie would have expired.
        var browser = await app.SignInAsync(hr.Email!);

        var first = await Json(await browser.GetAsync($"/api/v1/audit?{key}&pageSize=3"));
        var second = await Json(await browser.GetAsync($"/api/v1/audit?{key}&pageSize=3&page=2"));
        Assert.Equal(4, first.GetProperty("total").GetInt32());
        Assert.Equal(["three", "two", "one"], first.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("changes").GetProperty("objectives").GetProperty("to").GetString()));
        Assert.Equal(["Created"], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));

        var byOther = await Json(await browser.GetAsync($"/api/v1/audit?{key}&actorId={otherHr.Id}"));
        Assert.Equal(["two"], byOther.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("changes").GetProperty("objectives").GetProperty("to").GetString()));

        string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        var secondDay = await Json(await browser.GetAsync(
            $"/api/v1/audit?{key}&from={Iso(booked.AddHours(36))}&to={Iso(booked.AddHours(60))}"));
        Assert.Equal(["two"], secondDay.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("changes").GetProperty("objectives").GetProperty("to").GetString()));

        var pageByOther = Text(await browser.GetStringAsync($"/Audit?{key}&actorId={otherHr.Id}"));
        Assert.Contains($"Changed by: {otherHr.DisplayName}", pageByOther);
        Assert.Contains("Objectives one → two", pageByOther);
        Assert.DoesNotContain("two → three", pageByOther);
    }

    [Fact]
    public async Task Page_PagesThroughALongTrail()
    {
        var (hr, browser) = await Hr();
        var stint = await BookAsHr(hr, (await app.LeaderAsync()).Id, (await app.NewTourAsync()).Id);
        for (var i = 1; i <= 52; i++)
        {
            var text = $"objective {i}";
            await As(hr, s => s.SetObjectivesAsync(stint.Id, null, text));
        }

        var first = new HtmlParser().ParseDocument(await browser.GetStringAsync($"/Audit?entityType=Stint&entityKey={stint.Id}"));
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = new HtmlParser().ParseDocument(await browser.GetStringAsync(next));

        Assert.Equal(50, first.QuerySelectorAll(".audit-entry").Length);
        Assert.Contains("Page 1 of 2", first.Body!.TextContent);
        Assert.Equal(3, second.QuerySelectorAll(".audit-entry").Length);
        Assert.Contains("created the stint", second.Body!.TextContent);
        Assert.NotNull(second.QuerySelector("a[rel=prev]"));
    }

    [Fact]
    public async Task BadFilters_AreRefusedWithTheFieldNamed()
    {
        var (_, browser) = await Hr();

        var pageSize = await browser.GetAsync("/api/v1/audit?pageSize=0");
        var period = await browser.GetAsync("/api/v1/audit?from=2027-01-10T00:00:00Z&to=2027-01-01T00:00:00Z");
        var page = await browser.GetAsync("/Audit?from=2027-01-10&to=2027-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, pageSize.StatusCode);
        Assert.True(JsonDocument.Parse(await pageSize.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("pageSize", out _));
        Assert.Equal(HttpStatusCode.BadRequest, period.StatusCode);
        Assert.True(JsonDocument.Parse(await period.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var form = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.Contains("is before the first day", form.GetElementById("to-error")!.TextContent);
        Assert.Equal("2027-01-10", form.GetElementById("From")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Host)]
    public async Task Trail_IsForbiddenToLeadersManagersAndHosts(string role)
    {
        var person = await app.CreatePersonAsync(TestData.UniqueEmail(role.ToLowerInvariant()), role);
        var browser = await app.SignInAsync(person.Email!);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/audit")).StatusCode);
        var page = await browser.GetAsync("/Audit");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("href=\"/Audit\"", await browser.GetStringAsync("/"));
    }

    [Fact]
    public async Task Trail_NeedsSignIn_AndAdminsMayReadIt()
    {
        var anonymous = app.CreateBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/audit")).StatusCode);
        var page = await anonymous.GetAsync("/Audit");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", page.Headers.Location!.PathAndQuery);

        var admin = await app.SignInAsync((await app.CreatePersonAsync(TestData.UniqueEmail("ada"), Roles.Admin)).Email!);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Audit")).StatusCode);
        Assert.Contains("href=\"/Audit\"", await admin.GetStringAsync("/"));
    }
}
