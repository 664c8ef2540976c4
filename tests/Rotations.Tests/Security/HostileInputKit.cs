using System.Collections;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rotations.Tests.Support;

namespace Rotations.Tests.Security;

/// <summary>One write endpoint of the API as the app maps it: its method, route, body type and whether it reads JSON.</summary>
public sealed record WriteEndpoint(string Method, RoutePattern Pattern, Type? BodyType, bool ReadsJson)
{
    public string Route => "/" + Pattern.RawText!.TrimStart('/');
    public override string ToString() => $"{Method} {Route}";
}

/// <summary>One hostile request: what it is (for the failure message), its body bytes, content type and headers.</summary>
public sealed record HostileCase(string Name, byte[]? Body, string? ContentType, string? IfMatch = "*")
{
    public static HostileCase Text(string name, string body, string? contentType = "application/json", string? ifMatch = "*") =>
        new(name, Encoding.UTF8.GetBytes(body), contentType, ifMatch);
}

/// <summary>
/// The means of the hostile-input tests: the write endpoints enumerated from the app's own endpoint data source,
/// request bodies derived by reflection from each handler's body type, the hostile variations of each, and a
/// fingerprint of every data table to prove that a refused request stored nothing.
/// </summary>
public static class HostileInputKit
{
    /// <summary>Tables left out of the fingerprint, each with its reason.</summary>
    public static readonly Dictionary<string, string> UnhashedTables = new()
    {
        ["data_protection_keys"] = "keys the framework makes on first use, whatever the request",
        ["sign_in_sessions"] = "the caller's own cookie session, whose expiry any request may slide forward",
        ["sign_in_attempts"] = "the sign-in throttle's count: a refused sign-in is meant to be counted",
        ["audit_entries"] = "sign-in attempts and authorization failures are audited even when refused",
        ["qrtz_*"] = "Quartz's own store (the scheduler is off in tests, but its tables are not the app's data)",
    };

    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    public static IReadOnlyList<WriteEndpoint> WriteEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Intersect(WriteMethods).Select(m => (e, m)))
            .Select(x =>
            {
                var accepts = x.e.Metadata.GetMetadata<IAcceptsMetadata>();
                var json = accepts?.ContentTypes.Any(c => c.Contains("json", StringComparison.OrdinalIgnoreCase)) == true;
                return new WriteEndpoint(x.m, x.e.RoutePattern, json ? accepts!.RequestType : accepts?.RequestType, json);
            })
            .ToList();

    // ---------------------------------------------------------------- bodies

    private static readonly JsonSerializerOptions Json = ApiClients.Json;

    /// <summary>The JSON name of each settable member of a body type, with its declared type.</summary>
    public static IEnumerable<(string Name, Type Type)> Members(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0);
        foreach (var p in properties)
        {
            if (p.GetCustomAttribute<JsonIgnoreAttribute>() is not null) continue;
            if (!p.CanWrite && ctor?.GetParameters().Any(c => string.Equals(c.Name, p.Name, StringComparison.OrdinalIgnoreCase)) != true) continue;
            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            yield return (name, p.PropertyType);
        }
    }

    public static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    public static Type? ElementType(Type type) =>
        type == typeof(string) ? null :
        type.IsArray ? type.GetElementType() :
        typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0] : null;

    private static bool IsObject(Type type) =>
        !type.IsPrimitive && !type.IsEnum && type != typeof(string) && type != typeof(Guid) && type != typeof(DateOnly) &&
        type != typeof(DateTimeOffset) && type != typeof(DateTime) && type != typeof(TimeOnly) && type != typeof(decimal) &&
        ElementType(type) is null;

    /// <summary>A plausible value for a member, from its name and type: the ids of the world's real records where the name says which.</summary>
    public static object? Sample(string name, Type type, HostileWorld world, int depth = 0)
    {
        type = Underlying(type);
        var n = name.ToLowerInvariant();
        if (type == typeof(string))
            return n.Contains("email") ? TestData.UniqueEmail("hostile")
                : n.Contains("timezone") ? "Europe/London"
                : n.Contains("currentlevel") ? "Manager"
                : n.Contains("level") ? "HeadOf"
                : n == "code" ? $"H{Guid.NewGuid():N}"[..8].ToUpperInvariant()
                : n.Contains("decision") ? "Ready"
                : n.Contains("password") ? "not the password"
                : "Hostile input test";
        if (type == typeof(Guid))
            return n.Contains("tour") ? world.TourId : n.Contains("host") ? world.HostId : n.Contains("cohort") ? world.CohortId
                : n.Contains("competenc") ? world.CompetencyId : n.Contains("manager") ? world.ManagerId : n.Contains("stint") ? world.StintId
                : world.LeaderId;
        if (type == typeof(DateOnly))
            return n.Contains("end") || n == "to" ? new DateOnly(2027, 6, 18) : new DateOnly(2027, 6, 7);
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return new DateTimeOffset(2027, 6, 7, 9, 0, 0, TimeSpan.Zero);
        if (type == typeof(bool)) return false;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(decimal) || type == typeof(double))
            return n.Contains("min") ? 1 : n.Contains("max") ? 4 : n.Contains("rating") ? 3 : n.Contains("position") || n.Contains("offset") ? 0 : 2;
        if (type.IsEnum) return Enum.GetNames(type)[0];
        if (ElementType(type) is { } element)
            return depth > 3 ? Array.Empty<object>() : new[] { Sample(name, element, world, depth + 1) };
        if (depth > 3) return null;
        return Members(type).ToDictionary(m => m.Name, m => Sample(m.Name, m.Type, world, depth + 1));
    }

    public static Dictionary<string, object?> SampleBody(Type type, HostileWorld world) =>
        (Dictionary<string, object?>)Sample("", type, world)!;

    // ---------------------------------------------------------------- hostile values

    private const string Placeholder = "\"__HOSTILE_VALUE__\"";

    public static readonly string Huge = new('x', 120_000);

    /// <summary>Hostile text, as raw JSON literals (so that a lone surrogate can be written at all).</summary>
    public static readonly (string Name, string Json)[] HostileStrings =
    [
        ("NUL", "\"a\\u0000b\""),
        ("lone high surrogate", "\"a\\ud800b\""),
        ("lone low surrogate", "\"\\udc00\""),
        ("replacement character", "\"Zo\\uFFFD\""),
        ("RTL override", "\"\\u202Egnp.exe\""),
        ("zero-width joiners", "\"\\u200D\\u200D👩‍👩‍👧\\u200B\""),
        ("combining marks", "\"e\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\""),
        ("4-byte emoji", "\"🦄🧑🏽‍🚀\""),
        ("script", "\"<script>alert(1)</script><img src=x onerror=alert(1)>\""),
        ("SQL", "\"'; drop table tours; -- \\\" or 1=1\""),
        ("huge 120k", JsonSerializer.Serialize(Huge)),
        ("empty", "\"\""),
        ("blank", "\"   \\t\\n \""),
        ("control chars", "\"\\u0001\\u001b[31m\\u007f\""),
    ];

    private static readonly (string Name, string Json)[] HostileDates =
    [
        ("0001-01-01", "\"0001-01-01\""), ("9999-12-31", "\"9999-12-31\""), ("2027-02-30", "\"2027-02-30\""),
        ("yesterday", "\"yesterday\""), ("10000-01-01", "\"10000-01-01\""), ("an instant", "\"2027-01-04T00:00:00Z\""),
        ("a number", "20270104"), ("empty", "\"\""),
    ];

    private static readonly (string Name, string Json)[] HostileInstants =
    [
        ("0001-01-01", "\"0001-01-01T00:00:00Z\""), ("9999-12-31", "\"9999-12-31T23:59:59Z\""), ("yesterday", "\"yesterday\""),
        ("2027-02-30", "\"2027-02-30T09:00:00Z\""),
    ];

    private static readonly (string Name, string Json)[] HostileNumbers =
    [
        ("-1", "-1"), ("2147483648", "2147483648"), ("-2147483649", "-2147483649"), ("1e308", "1e308"),
        ("1.5", "1.5"), ("int.MaxValue", "2147483647"), ("a string", "\"12\""),
    ];

    private static readonly (string Name, string Json)[] HostileGuids =
    [
        ("not a guid", "\"not-a-guid\""), ("empty guid", "\"00000000-0000-0000-0000-000000000000\""),
        ("unknown guid", $"\"{Guid.NewGuid()}\""), ("a number", "12"), ("SQL", "\"' or 1=1 --\""),
    ];

    private static readonly (string Name, string Json)[] WrongShapes =
    [
        ("null", "null"), ("object", "{\"a\":1}"), ("array", "[1,\"x\"]"), ("true", "true"),
    ];

    private static IEnumerable<(string Name, string Json)> HostileValues(string name, Type type)
    {
        type = Underlying(type);
        var own = type == typeof(string) ? HostileStrings.Concat([("a number", "42")])
            : type == typeof(DateOnly) ? HostileDates
            : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? HostileInstants
            : type == typeof(Guid) ? HostileGuids
            : type == typeof(bool) ? [("a string", "\"yes\""), ("a number", "1")]
            : type.IsEnum ? [("unknown name", "\"NoSuchValue\""), ("a number", "99"), ("empty", "\"\""), ("NUL", "\"Ma\\u0000nager\"")]
            : type.IsPrimitive || type == typeof(decimal) ? HostileNumbers
            : ElementType(type) is not null ? [("huge array", "[" + string.Join(',', Enumerable.Repeat("null", 20_000)) + "]"), ("array of nulls", "[null,null]"), ("a string", "\"x\"")]
            : [("a string", "\"x\""), ("a number", "7")];
        return own.Concat(WrongShapes.Where(w => !(w.Name == "array" && ElementType(type) is not null) && !(w.Name == "object" && IsObject(type))));
    }

    /// <summary>The hostile requests for one endpoint: the body's shape broken every way, each member made hostile in turn, If-Match garbage.</summary>
    /// <param name="repeat">The body type was attacked member by member at an earlier endpoint already: each member gets
    /// its few most dangerous values here, not the whole list, to keep the run short.</param>
    public static IEnumerable<HostileCase> Cases(WriteEndpoint endpoint, HostileWorld world, bool repeat = false)
    {
        var body = endpoint.BodyType is { } t && endpoint.ReadsJson ? SampleBody(t, world) : null;
        var valid = body is null ? "{}" : JsonSerializer.Serialize(body, Json);

        if (body is null)
        {
            // No body to read: what a handler that ignores its body must survive.
            yield return HostileCase.Text("not JSON", "this is not JSON");
            yield return HostileCase.Text("JSON array at the root", "[]");
            yield return HostileCase.Text("wrong content type (XML)", "<person><name>x</name></person>", "application/xml");
            yield return new HostileCase("invalid UTF-8", [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d], "application/json");
            yield return HostileCase.Text("deeply nested JSON", new string('[', 5_000) + new string(']', 5_000));
            yield return HostileCase.Text("huge body (3 MB)", "{\"p\":\"" + new string('y', 3_000_000) + "\"}");
            foreach (var tag in new[] { "garbage", "W/\"abc\"", "\"99999999999999999999\"", new string('9', 8_000) })
                yield return HostileCase.Text($"If-Match {Shorten(tag)}", "", ifMatch: tag);
            yield break;
        }

        // The body as a whole.
        yield return new HostileCase("empty body", [], "application/json");
        yield return new HostileCase("no content type, no body", null, null);
        yield return HostileCase.Text("not JSON", "this is not JSON");
        yield return HostileCase.Text("truncated JSON", valid[..Math.Max(1, valid.Length / 2)]);
        yield return HostileCase.Text("JSON array at the root", "[]");
        yield return HostileCase.Text("JSON array of the body", "[" + valid + "]");
        yield return HostileCase.Text("JSON number at the root", "12");
        yield return HostileCase.Text("JSON string at the root", "\"text\"");
        yield return HostileCase.Text("JSON null at the root", "null");
        yield return HostileCase.Text("JSON with comments and trailing commas", "{ /* c */ \"a\": 1, }");
        yield return HostileCase.Text("wrong content type (text/plain)", valid, "text/plain");
        yield return HostileCase.Text("wrong content type (XML)", "<person><name>x</name></person>", "application/xml");
        yield return HostileCase.Text("wrong content type (form)", "a=1&b=2", "application/x-www-form-urlencoded");
        yield return HostileCase.Text("garbage content type", valid, "application/x-nonsense; charset=klingon");
        yield return new HostileCase("invalid UTF-8", [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d], "application/json");
        yield return new HostileCase("UTF-16 body", Encoding.Unicode.GetBytes(valid), "application/json; charset=utf-16");
        yield return HostileCase.Text("deeply nested JSON", new string('[', 5_000) + new string(']', 5_000));
        yield return HostileCase.Text("deeply nested objects", string.Concat(Enumerable.Repeat("{\"a\":", 3_000)) + "1" + new string('}', 3_000));
        yield return HostileCase.Text("duplicate properties", body is null ? "{\"a\":1,\"a\":2}" : "{" + string.Join(',', body.Keys.Select(k => $"\"{k}\":null,\"{k}\":null")) + "}");
        yield return HostileCase.Text("huge body (3 MB of unknown properties)",
            "{" + string.Join(',', Enumerable.Range(0, 3_000).Select(i => $"\"p{i}\":\"{new string('y', 1_000)}\"")) + "}");

        // If-Match garbage on the valid body.
        foreach (var tag in new[] { "garbage", "\"", "W/\"abc\"", "\"99999999999999999999\"", "\"-1\"", "\"0\", *", new string('9', 8_000) })
            yield return HostileCase.Text($"If-Match {Shorten(tag)}", valid, ifMatch: tag);

        // Each member: left out, and each hostile value in its place; one level into nested objects and the first element of lists.
        foreach (var (path, type) in Paths(endpoint.BodyType!, ""))
        {
            yield return HostileCase.Text($"{path} missing", Replace(body!, path, null));
            foreach (var (name, json) in repeat ? HostileValues(path, type).Where(v => MostDangerous.Contains(v.Name)) : HostileValues(path, type))
                yield return HostileCase.Text($"{path} = {name}", Replace(body!, path, json));
        }
    }

    private static readonly HashSet<string> MostDangerous =
        ["NUL", "lone high surrogate", "huge 120k", "9999-12-31", "2027-02-30", "2147483648", "-1", "not a guid", "unknown name", "huge array", "array of nulls", "null"];

    private static string Shorten(string s) => s.Length > 30 ? s[..30] + "…" : s;

    /// <summary>Member paths ("name", "orientationWeeks.min", "ratings[0].rating") with their types.</summary>
    private static IEnumerable<(string Path, Type Type)> Paths(Type type, string prefix, int depth = 0)
    {
        foreach (var (name, memberType) in Members(Underlying(type)))
        {
            var path = prefix + name;
            yield return (path, memberType);
            if (depth >= 2) continue;
            var inner = Underlying(memberType);
            if (ElementType(inner) is { } element && IsObject(Underlying(element)))
                foreach (var p in Paths(element, path + "[0].", depth + 1)) yield return p;
            else if (IsObject(inner))
                foreach (var p in Paths(inner, path + ".", depth + 1)) yield return p;
        }
    }

    /// <summary>The body as JSON with the member at the path replaced by raw JSON, or removed when <paramref name="json"/> is null.</summary>
    private static string Replace(Dictionary<string, object?> body, string path, string? json)
    {
        var copy = JsonSerializer.Deserialize<JsonElement>(JsonSerializer.Serialize(body, Json));
        var node = System.Text.Json.Nodes.JsonNode.Parse(copy.GetRawText())!.AsObject();
        var parts = path.Split('.');
        System.Text.Json.Nodes.JsonObject target = node;
        foreach (var part in parts[..^1])
        {
            var indexed = part.EndsWith("[0]", StringComparison.Ordinal);
            var child = target[indexed ? part[..^3] : part];
            target = (indexed ? child!.AsArray()[0] : child)!.AsObject();
        }
        var last = parts[^1];
        if (json is null) target.Remove(last);
        else target[last] = "__HOSTILE_VALUE__";
        var text = node.ToJsonString();
        return json is null ? text : text.Replace(Placeholder, json, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- routes and callers

    /// <summary>The route with its parameters filled with the world's real records.</summary>
    public static string Path(WriteEndpoint endpoint, HostileWorld world)
    {
        var route = endpoint.Route;
        string Id(string before) => before switch
        {
            "stints" => world.StintId.ToString(),
            "tours" => world.TourId.ToString(),
            "cohorts" => world.CohortId.ToString(),
            "leaders" => world.LeaderId.ToString(),
            "reviews" => world.ReviewId.ToString(),
            "plans" => world.PlanId.ToString(),
            "notifications" => world.NotificationId.ToString(),
            "unavailability" => world.PeriodId.ToString(),
            "people" => route.Contains("unavailability") ? world.LeaderId.ToString() : world.SparePersonId.ToString(),
            "criteria" => "HeadOf",
            "items" => "0",
            _ => throw new InvalidOperationException($"No real record for the parameter after '{before}' in {route}: teach HostileInputKit.Path"),
        };
        var segments = route.Split('/');
        for (var i = 0; i < segments.Length; i++)
            if (segments[i].StartsWith('{')) segments[i] = Id(segments[i - 1]);
        return string.Join('/', segments);
    }

    /// <summary>Who may use the endpoint: the leader writes their reflection, the host the feedback, the manager the reviews, HR the rest.</summary>
    public static HttpClient Caller(WriteEndpoint endpoint, HostileWorld world)
    {
        var route = endpoint.Route;
        if (route.Contains("/auth/")) return world.Anonymous;
        if (route.Contains("/reflection") || route.Contains("/me/")) return world.Leader;
        if (route.Contains("/feedback")) return world.Host;
        if ((route.Contains("/leaders/") || route.Contains("/reviews/")) && !route.EndsWith("/return", StringComparison.Ordinal)) return world.Manager;
        return world.Hr;
    }

    /// <summary>Writes that end the record they act on run last, so the others still find their records.</summary>
    public static int Order(WriteEndpoint e) =>
        e.Method == "DELETE" ? 3 :
        e.Route.EndsWith("/commit") || e.Route.EndsWith("/discard") || e.Route.EndsWith("/cancel") || e.Route.EndsWith("/submit") ||
        e.Route.EndsWith("/return") || e.Route.EndsWith("/deactivate") || e.Route.EndsWith("/retire") ? 2 :
        e.Route.Contains("competencies") || e.Route.Contains("/criteria") || e.Route.Contains("/bands") ? 1 : 0;

    public static HttpRequestMessage Request(WriteEndpoint endpoint, string path, HostileCase c)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        if (c.IfMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", c.IfMatch);
        return request;
    }

    // ---------------------------------------------------------------- answers

    /// <summary>Null when the answer is acceptable; otherwise what is wrong with it.</summary>
    public static async Task<string?> CheckAnswerAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500) return $"{status}: {Shorten(text, 400)}";
        if (status < 400) return null;
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type != "application/problem+json") return $"{status} as {type ?? "no content type"}, not problem details: {Shorten(text, 200)}";
        JsonElement problem;
        try { problem = JsonSerializer.Deserialize<JsonElement>(text); }
        catch (JsonException) { return $"{status}: unreadable problem details {Shorten(text, 200)}"; }
        if (!problem.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString())) return $"{status}: problem without a title: {Shorten(text, 200)}";
        var namesField = problem.TryGetProperty("errors", out var errors) &&
            (errors.ValueKind == JsonValueKind.Object ? errors.EnumerateObject().Any(p => p.Name.Length > 0)
                : errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0);
        var hasDetail = problem.TryGetProperty("detail", out var detail) && !string.IsNullOrWhiteSpace(detail.GetString());
        return namesField || hasDetail ? null : $"{status}: problem names neither a field nor the problem: {Shorten(text, 200)}";
    }

    private static string Shorten(string s, int length) => s.Length > length ? s[..length] + "…" : s;

    // ---------------------------------------------------------------- nothing stored

    /// <summary>
    /// A fingerprint of every data table, one per table in one round trip: its row count and the sum of a 64-bit
    /// hash of each row's whole text (no sort, so cheap enough to take after every request). Tables in
    /// <see cref="UnhashedTables"/> are left out.
    /// </summary>
    public sealed class Fingerprint(string connectionString) : IAsyncDisposable
    {
        private NpgsqlConnection? connection;
        private NpgsqlCommand? command;

        public async Task<Dictionary<string, string>> TakeAsync()
        {
            if (command is null)
            {
                // One connection and one prepared statement for the whole run: planning a union of every table
                // on each of thousands of requests would cost more than the requests.
                connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                command = new NpgsqlCommand(await BuildQueryAsync(connection), connection);
                await command.PrepareAsync();
            }
            await using var reader = await command.ExecuteReaderAsync();
            var result = new Dictionary<string, string>();
            while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetString(1);
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            if (command is not null) await command.DisposeAsync();
            if (connection is not null) await connection.DisposeAsync();
        }

        private static async Task<string> BuildQueryAsync(NpgsqlConnection connection)
        {
            await using var command = new NpgsqlCommand(
                """
                select table_schema, table_name from information_schema.tables
                where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
                order by 1, 2
                """, connection);
            var tables = new List<(string Schema, string Name)>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) tables.Add((reader.GetString(0), reader.GetString(1)));
            var hashed = tables.Where(t => !t.Name.StartsWith("qrtz_", StringComparison.Ordinal) && !UnhashedTables.ContainsKey(t.Name)).ToList();
            Assert.True(hashed.Count > 10, $"only {hashed.Count} tables to fingerprint");
            return string.Join("\nunion all\n", hashed.Select(t =>
                $"select '{t.Schema}.{t.Name}', count(*) || ':' || coalesce(sum(hashtextextended(x::text, 0)::numeric), 0) from \"{t.Schema}\".\"{t.Name}\" x"));
        }

        public static IReadOnlyList<string> Changed(Dictionary<string, string> before, Dictionary<string, string> after) =>
            after.Where(a => before.GetValueOrDefault(a.Key) != a.Value).Select(a => a.Key).ToList();
    }

    public static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    public static void Accept(this HttpRequestMessage request, string type) => request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
}
