using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Tests.Migrations;

public sealed class MigrationScriptTests
{
    [Fact]
    public void Embedded_AreTheRepositoryScriptsInNameOrder()
    {
        var scripts = MigrationScript.Embedded();

        Assert.NotEmpty(scripts);
        Assert.Equal(scripts.Select(s => s.Name).Order(StringComparer.Ordinal), scripts.Select(s => s.Name));
        Assert.Equal(
            Directory.GetFiles(RepositoryMigrationsFolder(), "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            scripts.Select(s => s.Name));
    }

    [Fact]
    public void Checksum_IgnoresLineEndingStyleButNotContent()
    {
        var unix = new MigrationScript("0001_a.sql", "create table a (id int);\n");

        Assert.Equal(unix.Checksum, new MigrationScript("0001_a.sql", "create table a (id int);\r\n").Checksum);
        Assert.NotEqual(unix.Checksum, new MigrationScript("0001_a.sql", "create table a (id bigint);\n").Checksum);
        Assert.Matches("^[0-9a-f]{64}$", unix.Checksum);
    }

    [Fact]
    public void Checksum_OfACopyWithOtherSql_IsTheChecksumOfThatSql()
    {
        var original = new MigrationScript("0001_a.sql", "create table a (id int);");

        var edited = original with { Sql = "create table a (id bigint);" };

        Assert.Equal(new MigrationScript(edited.Name, edited.Sql).Checksum, edited.Checksum);
    }

    private static string RepositoryMigrationsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "migrations");
            if (File.Exists(Path.Combine(dir.FullName, "Rotations.sln")) && Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"No Rotations.sln with migrations/ above {AppContext.BaseDirectory}");
    }
}
