using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Demo;

public sealed record DemoPerson(string Email, string DisplayName, string TimeZone, string[] Roles);

/// <summary>
/// Demo people for a first look (./run.sh calls the seed command). Idempotent: a person who exists
/// already is left exactly as they are, including their password.
/// </summary>
public sealed class DemoSeeder(UserManager<Person> people, ILogger<DemoSeeder> logger)
{
    public const string PasswordKey = "ROTATIONS_DEMO_PASSWORD";

    public static readonly IReadOnlyList<DemoPerson> People =
    [
        new("hr@example.com", "Hannah Reyes", "Europe/London", [Roles.HR]),
        new("manager@example.com", "Marcus Okafor", "Europe/London", [Roles.Manager, Roles.Host]),
        new("host@example.com", "Priya Shah", "Europe/Berlin", [Roles.Host]),
        new("leader@example.com", "Lena Fischer", "Europe/Berlin", [Roles.Leader]),
        new("leader2@example.com", "Tom Nguyen", "America/New_York", [Roles.Leader]),
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
        // The one place a password is printed: to the operator's terminal, never to the log.
        if (generated && created > 0)
            Console.WriteLine($"rotations: demo people created with the generated password: {password}");
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
        return builder;
    }
}
