using Microsoft.AspNetCore.Identity;

namespace Rotations.Web.Features.Account;

/// <summary>
/// Creates the first Admin from ROTATIONS_ADMIN_EMAIL / ROTATIONS_ADMIN_PASSWORD when no Admin exists,
/// so a new installation can be signed in to. Once an Admin exists the settings are ignored.
/// </summary>
internal sealed class AdminBootstrap(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<AdminBootstrap> logger)
    : IHostedService
{
    public const string EmailKey = "ROTATIONS_ADMIN_EMAIL";
    public const string PasswordKey = "ROTATIONS_ADMIN_PASSWORD";

    public async Task StartAsync(CancellationToken ct)
    {
        var email = configuration[EmailKey];
        var password = configuration[PasswordKey];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)) return;

        using var scope = scopes.CreateScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        if ((await people.GetUsersInRoleAsync(Roles.Admin)).Count > 0) return;

        var person = await people.FindByEmailAsync(email);
        if (person is null)
        {
            person = new Person { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator" };
            var created = await people.CreateAsync(person, password);
            if (!created.Succeeded)
                throw new InvalidOperationException(
                    $"{PasswordKey} or {EmailKey} was refused: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }
        var added = await people.AddToRoleAsync(person, Roles.Admin);
        if (!added.Succeeded)
            throw new InvalidOperationException(string.Join(" ", added.Errors.Select(e => e.Description)));
        logger.LogInformation("Created the first Admin, person {PersonId}, from {Setting}", person.Id, EmailKey);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
