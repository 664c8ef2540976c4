using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;

namespace Rotations.Tests.Account;

public sealed class AdminBootstrapTests
{
    [Fact]
    public async Task FirstStart_WithAdminSettings_CreatesAnAdminWhoCanSignIn()
    {
        await using var app = new RotationsApp()
            .With(AdminBootstrap.EmailKey, "first.admin@example.com")
            .With(AdminBootstrap.PasswordKey, "first admin passphrase");
        await app.InitializeAsync();
        try
        {
            var client = await app.SignInAsync("first.admin@example.com", "first admin passphrase");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Admin/People")).StatusCode);
        }
        finally { await app.DisposeDatabaseAsync(); }
    }

    [Fact]
    public async Task Start_WhenAnAdminExists_IgnoresTheSettings()
    {
        await using var app = new RotationsApp()
            .With(AdminBootstrap.EmailKey, "second.admin@example.com")
            .With(AdminBootstrap.PasswordKey, "second admin passphrase");
        await app.InitializeAsync();
        try
        {
            // Make an Admin exist before the host starts, as on any start after the first.
            await using (var dataSource = Npgsql.NpgsqlDataSource.Create(app.ConnectionString))
            await using (var insert = dataSource.CreateCommand("""
                insert into people (id, display_name, time_zone, is_active, user_name, normalized_user_name, email,
                    normalized_email, email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
                values ('11111111-1111-1111-1111-111111111111', 'Existing Admin', 'Europe/London', true, 'x@example.com',
                    'X@EXAMPLE.COM', 'x@example.com', 'X@EXAMPLE.COM', true, false, false, true, 0);
                insert into person_roles (user_id, role_id) values ('11111111-1111-1111-1111-111111111111', '00000000-0000-0000-0000-00000000a001');
                """))
                await insert.ExecuteNonQueryAsync();

            _ = app.CreateClient();
            await using var scope = app.Services.CreateAsyncScope();
            var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
            Assert.Null(await people.FindByEmailAsync("second.admin@example.com"));
            Assert.Single(await people.GetUsersInRoleAsync(Roles.Admin));
        }
        finally { await app.DisposeDatabaseAsync(); }
    }
}
