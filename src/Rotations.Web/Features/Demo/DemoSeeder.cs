using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Web.Features.Demo;

public sealed record DemoPerson(string Email, string DisplayName, string TimeZone, string[] Roles);

/// <summary>A demo leader's profile: levels and home department.</summary>
public sealed record DemoLeader(string Email, Level Current, Level Target, string HomeDepartment);

/// <summary>A demo stint, in weeks from the Monday of the week the demo is first seeded.</summary>
public sealed record DemoStint(string LeaderEmail, string TourCode, StintKind Kind, int StartWeek, int Weeks);

/// <summary>
/// Demo data for a first look (./run.sh calls the seed command): people, a cohort, hosts for the tours
/// and a spread of past, current and future stints, with reflections and host feedback on some finished ones. Idempotent: a person who exists is left exactly as
/// they are (password included), and the programme is added only once (when its cohort is missing).
/// </summary>
public sealed class DemoSeeder(UserManager<Person> people, RotationsDbContext db, SchedulingService scheduling, DemoLearning learning,
    TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string PasswordKey = "ROTATIONS_DEMO_PASSWORD";

    public static readonly IReadOnlyList<DemoPerson> People =
    [
        new("hr@example.com", "Hannah Reyes", "Europe/London", [Roles.HR]),
        new("manager@example.com", "Marcus Okafor", "Europe/London", [Roles.Manager, Roles.Host]),
        new("host@example.com", "Priya Shah", "Europe/Berlin", [Roles.Host]),
        new("leader@example.com", "Lena Fischer", "Europe/Berlin", [Roles.Leader]),
        new("leader2@example.com", "Tom Nguyen", "America/New_York", [Roles.Leader]),
        new("host2@example.com", "Grace Liu", "Asia/Singapore", [Roles.Host]),
        new("amara@example.com", "Amara Osei", "Africa/Lagos", [Roles.Leader]),
        new("diego@example.com", "Diego Martínez", "Europe/Madrid", [Roles.Leader]),
        new("sofia@example.com", "Sofia Rossi", "Europe/Rome", [Roles.Leader]),
        new("kenji@example.com", "Kenji Watanabe", "Asia/Tokyo", [Roles.Leader]),
    ];

    public const string CohortName = "Demo cohort";
    private const string ManagerEmail = "manager@example.com";

    public static readonly IReadOnlyList<DemoLeader> Leaders =
    [
        new("leader@example.com", Level.Manager, Level.HeadOf, "Customer service"),
        new("leader2@example.com", Level.HeadOf, Level.Director, "Digital"),
        new("amara@example.com", Level.HeadOf, Level.VP, "Sales operations"),
        new("diego@example.com", Level.Manager, Level.HeadOf, "Field service"),
        new("sofia@example.com", Level.Director, Level.CCO, "Marketing"),
        new("kenji@example.com", Level.Manager, Level.HeadOf, "Fulfilment"),
    ];

    /// <summary>Which demo host receives leaders on which tours.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Hosts = new Dictionary<string, string[]>
    {
        ["host@example.com"] = ["CONTACT", "SERVICE", "SELF", "DIGITAL"],
        ["manager@example.com"] = ["SALES", "EXEC", "MARKETING"],
        ["host2@example.com"] = ["FIELD", "DEPOT", "WAREHOUSE", "PRODUCT"],
    };

    public static readonly IReadOnlyList<DemoStint> Stints =
    [
        new("leader@example.com", "SERVICE", StintKind.Orientation, -16, 3),
        new("leader@example.com", "CONTACT", StintKind.Orientation, -2, 3),
        new("leader@example.com", "SALES", StintKind.Assignment, 4, 12),
        new("leader2@example.com", "DIGITAL", StintKind.Assignment, -10, 14),
        new("leader2@example.com", "PRODUCT", StintKind.Orientation, 6, 3),
        new("leader2@example.com", "MARKETING", StintKind.Orientation, 11, 3),
        new("amara@example.com", "SALES", StintKind.Orientation, -18, 3),
        new("amara@example.com", "EXEC", StintKind.Orientation, -6, 4),
        new("amara@example.com", "FIELD", StintKind.Assignment, 1, 10),
        new("diego@example.com", "CONTACT", StintKind.Orientation, -1, 2),
        new("diego@example.com", "DEPOT", StintKind.Orientation, 3, 3),
        new("diego@example.com", "WAREHOUSE", StintKind.Assignment, 8, 12),
        new("sofia@example.com", "MARKETING", StintKind.Orientation, -12, 3),
        new("sofia@example.com", "EXEC", StintKind.Orientation, 2, 4),
        new("sofia@example.com", "SELF", StintKind.Orientation, 9, 2),
        new("kenji@example.com", "WAREHOUSE", StintKind.Orientation, -8, 3),
        new("kenji@example.com", "SERVICE", StintKind.Orientation, 0, 3),
        new("kenji@example.com", "EXEC", StintKind.Orientation, 14, 4),
    ];

    public async Task SeedAsync(IConfiguration configuration)
    {
        var password = configuration[PasswordKey];
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = GeneratePassword();

        var created = 0;
        foreach (var demo in People)
        {
            if (await people.FindByEmailAsync(demo.Email) is not null) continue;
            var person = new Person
            {
                UserName = demo.Email,
                Email = demo.Email,
                EmailConfirmed = true,
                DisplayName = demo.DisplayName,
                TimeZone = demo.TimeZone,
            };
            Check(await people.CreateAsync(person, password!), demo.Email);
            Check(await people.AddToRolesAsync(person, demo.Roles), demo.Email);
            created++;
        }

        logger.LogInformation("Demo data: {Created} people created, {Existing} already present",
            created, People.Count - created);
        await SeedProgrammeAsync();
        await learning.SeedAsync();
        // The one place a password is printed: to the operator's terminal, never to the log.
        if (generated && created > 0)
            Console.WriteLine($"rotations: demo people created with the generated password: {password}");
    }

    /// <summary>The cohort, leader profiles, hosts and stints: added once, through the real rules.</summary>
    private async Task SeedProgrammeAsync()
    {
        if (await db.Cohorts.AnyAsync(c => c.Name == CohortName))
        {
            logger.LogInformation("Demo programme already present");
            return;
        }
        var today = clock.Today();
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var ids = await db.Users.Where(p => p.Email != null).ToDictionaryAsync(p => p.Email!, p => p.Id);
        var tours = await db.Tours.ToDictionaryAsync(t => t.Code, t => t.Id);

        var cohort = new Cohort { Name = CohortName, StartDate = monday.AddDays(-20 * 7), EndDate = monday.AddDays(60 * 7) };
        db.Cohorts.Add(cohort);
        foreach (var leader in Leaders)
        {
            var personId = ids[leader.Email];
            if (await db.LeaderProfiles.AnyAsync(p => p.PersonId == personId)) continue;
            db.LeaderProfiles.Add(new LeaderProfile
            {
                PersonId = personId, CurrentLevel = leader.Current, TargetLevel = leader.Target,
                CohortId = cohort.Id, HomeDepartment = leader.HomeDepartment, ProgrammeStart = cohort.StartDate,
            });
            await db.Users.Where(p => p.Id == personId && p.ManagerId == null)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.ManagerId, ids[ManagerEmail]));
        }
        foreach (var (email, codes) in Hosts)
            foreach (var code in codes)
                if (!await db.TourHosts.AnyAsync(h => h.TourId == tours[code] && h.PersonId == ids[email]))
                    db.TourHosts.Add(new TourHost { TourId = tours[code], PersonId = ids[email] });
        await db.SaveChangesAsync();

        var booked = 0;
        foreach (var stint in Stints)
        {
            var start = monday.AddDays(stint.StartWeek * 7);
            var host = Hosts.First(h => h.Value.Contains(stint.TourCode)).Key;
            try
            {
                var created = await scheduling.BookAsync(new StintRequest(ids[stint.LeaderEmail], tours[stint.TourCode], ids[host],
                    start, start.AddDays(stint.Weeks * 7 - 3), stint.Kind, ""));
                if (start < today) await scheduling.ConfirmAsync(created.Id, ids[host]);
                booked++;
            }
            catch (DomainException ex)
            {
                // The demo must never stop a start; a tour edited by hand may no longer fit one of these.
                logger.LogWarning("Demo stint {Leader} {Tour} skipped: {Reason}", stint.LeaderEmail, stint.TourCode, ex.Message);
            }
        }
        logger.LogInformation("Demo programme: cohort {Cohort}, {Leaders} leaders, {Stints} stints", CohortName, Leaders.Count, booked);
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(
                $"Demo person {email} was refused: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
}

public static class DemoExtensions
{
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddScoped<DemoLearning>();
        return builder;
    }
}
