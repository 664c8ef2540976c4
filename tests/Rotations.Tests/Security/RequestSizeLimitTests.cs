using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Scheduler;

namespace Rotations.Tests.Security;

/// <summary>
/// Request size limits on the real server. TestServer offers no IHttpMaxRequestBodySizeFeature, so in-process
/// tests never meet Kestrel's limit (routing logs that it cannot apply an endpoint's limit there); this runs the
/// built binary, as production does, and sends bodies with and without a Content-Length.
/// </summary>
public sealed class RequestSizeLimitTests
{
    [Fact]
    public async Task Bodies_over_1_MB_are_413_problem_details_on_the_real_server_and_only_the_CSV_import_takes_more()
    {
        var app = new SchedulingApp();
        await app.InitializeAsync();
        var hrEmail = TestData.UniqueEmail("hr.limits");
        await app.CreatePersonAsync(hrEmail, Roles.HR);
        var node = await WebNode.StartAsync(app.ConnectionString, new Dictionary<string, string?> { [SchedulerExtensions.EnabledKey] = "off" });
        try
        {
            using var http = node.Client();

            var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = hrEmail, password = RotationsApp.Password });
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            var bearer = new AuthenticationHeaderValue("Bearer", (await token.ReadJsonAsync()).GetProperty("accessToken").GetString());

            var twoMegabytes = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
            // Chunked bodies just over the limit: the server stops reading at the limit and closes the connection,
            // so what the client still has to send must be small enough to be in flight already.
            var overOneMegabyte = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 1024 * 1024 + 8 * 1024) + "\"}");
            // Declared too large: refused before anything reads it.
            await AssertTooLargeAsync(http, Post("/api/v1/tours", new ByteArrayContent(twoMegabytes), "application/json", bearer), "1 MB");
            // Not declared (chunked): Kestrel stops it at 1 MB while the JSON is read.
            await AssertTooLargeAsync(http, Post("/api/v1/tours", new Chunked(overOneMegabyte), "application/json", bearer), "1 MB");
            // Anonymous too: the limit holds before authentication.
            await AssertTooLargeAsync(http, Post("/api/v1/auth/token", new Chunked(overOneMegabyte), "application/json", null), "1 MB");

            // A large body within the limit is read (and refused for what it says, not for its size).
            var withinLimit = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 900 * 1024) + "\"}");
            using (var under = await http.SendAsync(Post("/api/v1/tours", new Chunked(withinLimit), "application/json", bearer)))
                Assert.True(under.StatusCode == HttpStatusCode.BadRequest, $"{(int)under.StatusCode}: {await under.Content.ReadAsStringAsync()}");

            // The CSV import takes a 3 MB file, chunked or not (its endpoint raises the limit), and no more than 5 MB.
            var csv = Encoding.UTF8.GetBytes($"email,displayName,roles\n{TestData.UniqueEmail("big")},{new string('n', 3 * 1024 * 1024)},Host\n");
            foreach (HttpContent content in new HttpContent[] { new ByteArrayContent(csv), new Chunked(csv) })
            {
                using var imported = await http.SendAsync(Post("/api/v1/people/import?dryRun=true", content, "text/csv", bearer));
                var report = await imported.Content.ReadAsStringAsync();
                Assert.True(imported.StatusCode == HttpStatusCode.OK, $"{(int)imported.StatusCode}: {report[..Math.Min(300, report.Length)]}");
                Assert.Contains("displayName", report);
            }
            var overImportLimit = Encoding.UTF8.GetBytes("email\n" + new string('e', 5 * 1024 * 1024 + 64 * 1024 + 8 * 1024));
            await AssertTooLargeAsync(http, Post("/api/v1/people/import?dryRun=true", new ByteArrayContent(overImportLimit), "text/csv", bearer), "MB");
            await AssertTooLargeAsync(http, Post("/api/v1/people/import?dryRun=true", new Chunked(overImportLimit), "text/csv", bearer), "MB");

            // A page form over the limit: 413 and the error page, not a 500.
            var form = Encoding.ASCII.GetBytes("Input.Email=" + new string('a', 2 * 1024 * 1024));
            using (var login = await http.SendAsync(Post("/Account/Login", new ByteArrayContent(form), "application/x-www-form-urlencoded", null)))
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, login.StatusCode);
            var overForm = Encoding.ASCII.GetBytes("Input.Email=" + new string('a', 1024 * 1024 + 8 * 1024));
            using (var login = await http.SendAsync(Post("/Account/Login", new Chunked(overForm), "application/x-www-form-urlencoded", null)))
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, login.StatusCode);

            Assert.DoesNotContain(node.Output, l => l.Contains("fail:", StringComparison.Ordinal) && l.Contains("Unhandled", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await node.DisposeAsync();
            await app.DisposeDatabaseAsync();
        }
    }

    private static HttpRequestMessage Post(string path, HttpContent content, string type, AuthenticationHeaderValue? bearer)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = bearer;
        // As upload clients do: the server refuses a declared oversize before the body is sent, so the answer is
        // not lost in a connection reset while the client is still writing.
        request.Headers.ExpectContinue = true;
        return request;
    }

    private static async Task AssertTooLargeAsync(HttpClient http, HttpRequestMessage request, string limit)
    {
        var what = $"{request.Method} {request.RequestUri} ({(request.Content is Chunked ? "chunked" : "with Content-Length")})";
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{what}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), what);
        Assert.Contains(limit, problem.GetProperty("detail").GetString());
    }

    /// <summary>A body sent without a Content-Length (Transfer-Encoding: chunked), as a streaming client sends it.</summary>
    private sealed class Chunked(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < bytes.Length; at += 64 * 1024)
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(64 * 1024, bytes.Length - at)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
