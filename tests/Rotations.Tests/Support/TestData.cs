using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Tests.Support;

/// <summary>Seeding helpers over a RotationsApp: each test makes the people and data it needs.</summary>
public static class TestData
{
    public static string UniqueEmail(string who) => $"{who}.{Guid.NewGuid():N}@example.com";

    public static async Task<Person> LeaderAsync(this RotationsApp app, string name = "lena", Guid? managerId = null)
    {
        var person = await app.CreatePersonAsync(UniqueEmail(name), Roles.Leader);
        if (managerId is { } m)
        {
            await app.WithDbAsync(async db =>
                await db.Users.Where(p => p.Id == person.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.ManagerId, m)));
            person.ManagerId = m;
        }
        return person;
    }

    /// <summary>A tour seeded by migration 0002, by its code (SALES, CONTACT, EXEC…).</summary>
    public static Task<Tour> TourAsync(this RotationsApp app, string code) =>
        app.WithDbAsync(db => db.Tours.AsNoTracking().Include(t => t.Hosts).SingleAsync(t => t.Code == code));

    /// <summary>A new tour of its own, so capacity tests do not share places with other tests.</summary>
    public static Task<Tour> NewTourAsync(this RotationsApp app, int capacity = 2, string? code = null) =>
        app.WithDbAsync(async db =>
        {
            var tour = new Tour
            {
                Code = code ?? $"T{Guid.NewGuid():N}"[..12].ToUpperInvariant(),
                Name = "Test tour",
                OrientationMinWeeks = 1, OrientationTypicalWeeks = 2, OrientationMaxWeeks = 4,
                AssignmentMinWeeks = 4, AssignmentTypicalWeeks = 8, AssignmentMaxWeeks = 26,
                Capacity = capacity,
            };
            db.Tours.Add(tour);
            await db.SaveChangesAsync();
            return tour;
        });

    public static Task AddHostAsync(this RotationsApp app, Guid tourId, Guid personId) =>
        app.WithDbAsync(async db =>
        {
            db.TourHosts.Add(new TourHost { TourId = tourId, PersonId = personId });
            await db.SaveChangesAsync();
        });

    public static async Task<T> WithDbAsync<T>(this RotationsApp app, Func<RotationsDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RotationsDbContext>());
    }

    public static async Task WithDbAsync(this RotationsApp app, Func<RotationsDbContext, Task> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<RotationsDbContext>());
    }

    public static async Task<T> WithServiceAsync<TService, T>(this RotationsApp app, Func<TService, Task<T>> work) where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static DateOnly Monday(int year, int month, int day) => new(year, month, day);
}
