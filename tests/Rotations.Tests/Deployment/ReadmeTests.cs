using Rotations.Tests.Support;
using Rotations.Web.Infrastructure;

namespace Rotations.Tests.Deployment;

public sealed class ReadmeTests
{
    [Fact]
    public void ConfigurationTable_ListsEverySettingTheAppReads()
    {
        var readme = RepoFiles.Read("README.md");
        var missing = RotationsSettings.All.Where(s => !readme.Contains($"| `{s.Name}` |")).Select(s => s.Name).ToList();
        Assert.True(missing.Count == 0, "README's configuration table lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void Readme_LinksEveryDecisionRecord()
    {
        var readme = RepoFiles.Read("README.md");
        var decisions = Directory.GetFiles(RepoFiles.PathOf("docs", "decisions"), "*.md");
        Assert.NotEmpty(decisions);
        var unlinked = decisions.Select(Path.GetFileName).Where(f => !readme.Contains($"(docs/decisions/{f})")).ToList();
        Assert.True(unlinked.Count == 0, "README does not link: " + string.Join(", ", unlinked));
    }
}
