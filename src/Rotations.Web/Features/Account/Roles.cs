namespace Rotations.Web.Features.Account;

/// <summary>The five roles of PRODUCT.md. Rows with these names are seeded by migration 0001.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string HR = "HR";
    public const string Manager = "Manager";
    public const string Leader = "Leader";
    public const string Host = "Host";

    public static readonly IReadOnlyList<string> All = [Admin, HR, Manager, Leader, Host];

    public static string Describe(string role) => role switch
    {
        Admin => "Users, roles, settings, background jobs and the audit log",
        HR => "Programme coordinator: tours, people, stints and reports",
        Manager => "Follows their reports and records readiness decisions",
        Leader => "A CX leader on the programme",
        Host => "Receives leaders in their department and gives feedback",
        _ => role,
    };
}

/// <summary>
/// Authorization policy names. Every page and endpoint names one of these (or is explicitly anonymous);
/// a test walks the endpoint table to prove it.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in, active person.</summary>
    public const string SignedIn = "SignedIn";
    public const string Admin = "Admin";
    /// <summary>HR coordinators; Admins hold it too.</summary>
    public const string HR = "HR";
    /// <summary>
    /// HR coordinators only: what is known about people's readiness and reflections is the programme's. Admins run
    /// the system (users, roles, settings, jobs) and get it only if they also hold HR.
    /// </summary>
    public const string Coordinator = "Coordinator";
}
