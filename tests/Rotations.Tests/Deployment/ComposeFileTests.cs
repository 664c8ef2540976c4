using System.Text.RegularExpressions;
using Rotations.Tests.Support;
using Rotations.Web.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Rotations.Tests.Deployment;

/// <summary>
/// No Docker engine runs where the tests run, so docker-compose.yml and the Dockerfile are checked by
/// reading them: the services, their order of start-up, and that they only set settings the app reads.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly Lazy<YamlMappingNode> Compose = new(LoadCompose);

    [Fact]
    public void Compose_HasDatabaseMigratorWebAndMailServices()
    {
        var services = ServiceNames();

        foreach (var expected in new[] { "db", "migrate", "web", "mail" })
            Assert.True(services.Contains(expected), $"docker-compose.yml has no '{expected}' service (it has: {string.Join(", ", services)}).");
    }

    [Fact]
    public void Compose_DatabaseIsPostgres15WithAVolumeAndAHealthcheck()
    {
        var db = Service("db");

        Assert.Matches(@"^postgres:15(\.|-|$)", Scalar(db, "image"));
        var volumes = Assert.IsType<YamlSequenceNode>(Child(db, "volumes"));
        Assert.Contains(volumes.Children, v => v.ToString().EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        var healthcheck = Assert.IsType<YamlMappingNode>(Child(db, "healthcheck"));
        Assert.Contains("pg_isready", string.Join(" ", Words(Child(healthcheck, "test"))));
    }

    [Fact]
    public void Compose_DatabaseDataLivesInANamedVolume()
    {
        var volumes = Assert.IsType<YamlSequenceNode>(Child(Service("db"), "volumes"));
        var dataVolume = volumes.Children.Select(v => v.ToString())
            .Single(v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        var name = dataVolume[..dataVolume.IndexOf(':')];

        var declared = Assert.IsType<YamlMappingNode>(Child(Compose.Value, "volumes"));
        Assert.True(declared.Children.ContainsKey(new YamlScalarNode(name)),
            $"the db volume '{name}' is not a named volume declared under the top-level volumes:");
    }

    [Fact]
    public void Compose_MigrateRunsTheMigrateVerbOnceAfterTheDatabaseIsHealthy()
    {
        var migrate = Service("migrate");

        Assert.Equal(new[] { "migrate" }, Words(Child(migrate, "command")));
        Assert.Equal("service_healthy", DependencyCondition(migrate, "db"));
        Assert.Equal("no", Scalar(migrate, "restart"));
    }

    [Fact]
    public void Compose_MigrateAndWebAreBuiltFromTheRepositoryDockerfile()
    {
        foreach (var name in new[] { "migrate", "web" })
        {
            var build = Child(Service(name), "build");
            var context = build is YamlMappingNode map ? Scalar(map, "context") : build.ToString();
            Assert.True(context is "." or "./", $"service '{name}' builds from '{context}', not the repository root.");
            if (build is YamlMappingNode withFile && withFile.Children.ContainsKey(new YamlScalarNode("dockerfile")))
                Assert.Equal("Dockerfile", Scalar(withFile, "dockerfile"));
        }
    }

    [Fact]
    public void Compose_WebWaitsForMigrateToComplete()
    {
        var web = Service("web");

        Assert.Equal("service_completed_successfully", DependencyCondition(web, "migrate"));
        Assert.Equal("service_healthy", DependencyCondition(web, "db"));
    }

    [Fact]
    public void Compose_WebServesOnHostPort5080()
    {
        var web = Service("web");

        Assert.False(web.Children.ContainsKey(new YamlScalarNode("command")) && Words(Child(web, "command")) is not ["serve"],
            "web overrides the image's default command with something other than serve.");
        var ports = Assert.IsType<YamlSequenceNode>(Child(web, "ports"));
        Assert.Contains(ports.Children, p => p.ToString() == "5080:8080");
    }

    [Fact]
    public void Compose_MigrateAndWebSetOnlySettingsTheAppReads()
    {
        var known = RotationsSettings.All.Select(s => s.Name).Concat(RotationsSettings.Framework).ToHashSet(StringComparer.Ordinal);

        foreach (var service in new[] { "migrate", "web" })
        {
            var unknown = EnvironmentOf(Service(service)).Keys.Where(k => !known.Contains(k)).ToList();
            Assert.True(unknown.Count == 0,
                $"service '{service}' sets {string.Join(", ", unknown)}, which the app does not read " +
                "(not in RotationsSettings.All or RotationsSettings.Framework).");
        }
    }

    [Fact]
    public void Compose_MigrateAndWebBothGetTheDatabaseConnectionString()
    {
        foreach (var service in new[] { "migrate", "web" })
        {
            var environment = EnvironmentOf(Service(service));
            Assert.True(environment.TryGetValue("ROTATIONS_DB", out var value), $"service '{service}' does not set ROTATIONS_DB.");
            Assert.Contains("Host=db", value);
        }
    }

    [Fact]
    public void Compose_WebGetsTheFirstAdminSettings()
    {
        var environment = EnvironmentOf(Service("web"));

        Assert.Contains("ROTATIONS_ADMIN_EMAIL", environment.Keys);
        Assert.Contains("ROTATIONS_ADMIN_PASSWORD", environment.Keys);
    }

    [Fact]
    public void Dockerfile_BuildsInOneStageAndRunsInAnotherAsNonRoot()
    {
        var instructions = DockerfileInstructions();

        var stages = instructions.Where(i => i.Keyword == "FROM").ToList();
        Assert.True(stages.Count >= 2, $"the Dockerfile has {stages.Count} FROM stage(s); a build stage and a runtime stage are expected.");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", stages[0].Arguments);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1].Arguments);

        var finalStage = instructions.SkipWhile(i => i != stages[^1]).ToList();
        var user = finalStage.LastOrDefault(i => i.Keyword == "USER")
            ?? throw new Xunit.Sdk.XunitException("the runtime stage sets no USER, so the app would run as root.");
        var name = user.Arguments.Split(':')[0];
        Assert.DoesNotContain(name, new[] { "root", "0" });

        var entrypoint = finalStage.Last(i => i.Keyword == "ENTRYPOINT");
        Assert.Equal("[\"dotnet\",\"Rotations.Web.dll\"]", entrypoint.Arguments.Replace(" ", ""));
        Assert.Contains(finalStage, i => i.Keyword == "EXPOSE" && i.Arguments.Split(' ').Contains("8080"));
    }

    [Fact]
    public void Dockerfile_CopiesMigrationsBeforePublishing()
    {
        // The web project embeds ../../migrations/*.sql; published without them, `migrate` would apply nothing.
        var instructions = DockerfileInstructions();

        var publish = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish"));
        Assert.True(publish >= 0, "the Dockerfile never runs dotnet publish.");
        var copiesMigrations = instructions.Take(publish).Any(i =>
            i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal) &&
            (Regex.IsMatch(i.Arguments, @"(^|\s)migrations/?(\s|$)") || Regex.IsMatch(i.Arguments, @"^\.\s")));
        Assert.True(copiesMigrations, "the Dockerfile does not copy migrations/ (or the whole context) before dotnet publish.");
    }

    [Fact]
    public void DockerIgnore_KeepsWhatTheBuildNeeds()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepoFiles.Root, ".dockerignore"))
            .Select(l => l.Trim().TrimEnd('/'))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

        foreach (var needed in new[] { "src", "migrations", "global.json", "Directory.Build.props", "Directory.Packages.props", "*" })
            Assert.DoesNotContain(needed, ignored);
        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
    }

    // ---- reading the files ----

    private static YamlMappingNode LoadCompose()
    {
        using var reader = new StreamReader(Path.Combine(RepoFiles.Root, "docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(stream.Documents.Single().RootNode);
    }

    private static IReadOnlyList<string> ServiceNames() =>
        Assert.IsType<YamlMappingNode>(Child(Compose.Value, "services")).Children.Keys.Select(k => k.ToString()).ToList();

    private static YamlMappingNode Service(string name)
    {
        var services = Assert.IsType<YamlMappingNode>(Child(Compose.Value, "services"));
        Assert.True(services.Children.TryGetValue(new YamlScalarNode(name), out var service),
            $"docker-compose.yml has no '{name}' service.");
        return Assert.IsType<YamlMappingNode>(service);
    }

    private static YamlNode Child(YamlMappingNode node, string key)
    {
        Assert.True(node.Children.TryGetValue(new YamlScalarNode(key), out var child), $"'{key}:' is missing.");
        return child;
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(Child(node, key)).Value ?? "";

    /// <summary>A command or test in either form: a list, or one string split on spaces.</summary>
    private static IReadOnlyList<string> Words(YamlNode node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(c => c.ToString()).ToList(),
        YamlScalarNode text => (text.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        _ => throw new InvalidOperationException($"unexpected node {node.NodeType}"),
    };

    /// <summary>The long form of depends_on (a mapping with conditions); the short list form has none.</summary>
    private static string DependencyCondition(YamlMappingNode service, string dependency)
    {
        var dependsOn = Assert.IsType<YamlMappingNode>(Child(service, "depends_on"));
        var entry = Assert.IsType<YamlMappingNode>(Child(dependsOn, dependency));
        return Scalar(entry, "condition");
    }

    /// <summary>environment: as a mapping (KEY: value) or a list (- KEY=value).</summary>
    private static Dictionary<string, string> EnvironmentOf(YamlMappingNode service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var environment))
            return result;
        switch (environment)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                    result[key.ToString()] = value.ToString();
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.Select(i => i.ToString()))
                {
                    var equals = item.IndexOf('=');
                    result[equals < 0 ? item : item[..equals]] = equals < 0 ? "" : item[(equals + 1)..];
                }
                break;
        }
        return result;
    }

    private sealed record Instruction(string Keyword, string Arguments);

    /// <summary>Dockerfile instructions with comments dropped and backslash continuations joined.</summary>
    private static List<Instruction> DockerfileInstructions()
    {
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(RepoFiles.Root, "Dockerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            line = (pending + line).Trim();
            pending = "";
            if (line.Length == 0) continue;
            var space = line.IndexOf(' ');
            instructions.Add(space < 0
                ? new Instruction(line.ToUpperInvariant(), "")
                : new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }
        return instructions;
    }
}
