namespace Rotations.Tests.Support;

/// <summary>Files of the checkout the tests run from (README, compose file, migrations…).</summary>
public static class RepoFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Rotations.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Rotations.sln not found in {AppContext.BaseDirectory} or any folder above it.");
    });

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));
}
