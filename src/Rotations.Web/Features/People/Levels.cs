namespace Rotations.Web.Features.People;

/// <summary>
/// Career levels of CX leadership. Readiness is judged for HeadOf and above; Manager is where most
/// leaders enter the programme.
/// </summary>
public enum Level
{
    Manager,
    HeadOf,
    Director,
    VP,
    CCO,
}

public static class Levels
{
    public static string Describe(Level level) => level switch
    {
        Level.Manager => "Manager",
        Level.HeadOf => "Head of CX",
        Level.Director => "Director",
        Level.VP => "Vice President",
        Level.CCO => "Chief Customer Officer",
        _ => level.ToString(),
    };
}
