using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.People;
using Rotations.Web.Infrastructure.Time;

namespace Rotations.Tests.Support;

/// <summary>Cohorts and leader profiles for scheduling tests.</summary>
public static class SchedulingTestData
{
    public static Task<Cohort> CohortAsync(this RotationsApp app, string name = "Cohort") =>
        app.WithDbAsync(async db =>
        {
            var cohort = new Cohort { Name = $"{name} {Guid.NewGuid().ToString("N")[..8]}", StartDate = new(2026, 9, 1), EndDate = new(2028, 8, 31) };
            db.Cohorts.Add(cohort);
            await db.SaveChangesAsync();
            return cohort;
        });

    /// <summary>Gives the leader a profile in the cohort.</summary>
    public static Task JoinCohortAsync(this RotationsApp app, Guid leaderId, Guid cohortId) =>
        app.WithDbAsync(async db =>
        {
            db.LeaderProfiles.Add(new LeaderProfile
            {
                PersonId = leaderId, CohortId = cohortId, CurrentLevel = Level.Manager, TargetLevel = Level.HeadOf,
            });
            await db.SaveChangesAsync();
        });

    private static readonly ConditionalWeakTable<RotationsApp, Task<HttpClient>> HrClients = new();

    /// <summary>
    /// One HR API client per app, made on first use: a token costs a password check, and tests that only
    /// need "someone in HR" need not each pay for their own.
    /// </summary>
    public static Task<HttpClient> HrApiAsync(this RotationsApp app)
    {
        lock (HrClients)
        {
            if (!HrClients.TryGetValue(app, out var client) || client.IsFaulted)
            {
                client = app.ApiPersonAsync("hr.shared", Roles.HR).ContinueWith(t => t.Result.Api, TaskScheduler.Default);
                HrClients.AddOrUpdate(app, client);
            }
            return client;
        }
    }

    /// <summary>
    /// A leader who never signs in: created without a password, so without the cost of hashing one.
    /// Use <see cref="TestData.LeaderAsync"/> for a leader a test signs in as.
    /// </summary>
    public static async Task<Person> QuietLeaderAsync(this RotationsApp app, string name = "lena", Guid? managerId = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var email = TestData.UniqueEmail(name);
        var person = new Person
        {
            UserName = email, Email = email, EmailConfirmed = true, ManagerId = managerId,
            DisplayName = char.ToUpperInvariant(name[0]) + name[1..] + " " + email.Split('.')[^2][..6],
        };
        Assert.True((await people.CreateAsync(person)).Succeeded);
        Assert.True((await people.AddToRoleAsync(person, Roles.Leader)).Succeeded);
        return person;
    }

    /// <summary>The path a redirect points at, whether the Location is absolute or relative.</summary>
    public static string RedirectPath(this HttpResponseMessage response) =>
        new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath;

    public static DateOnly Today(this RotationsApp app) => app.Clock.Today();
}
