using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Support;

/// <summary>People in given time zones, stints written straight to the table, and sweeps at chosen instants.</summary>
public static class ReminderTestData
{
    /// <summary>A person who never signs in (no password, so no hashing cost), in a time zone, with roles.</summary>
    public static async Task<Person> PersonInAsync(this RotationsApp app, string name, string timeZone, params string[] roles)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var people = scope.ServiceProvider.GetRequiredService<UserManager<Person>>();
        var email = TestData.UniqueEmail(name.ToLowerInvariant().Replace(' ', '.'));
        var person = new Person { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, TimeZone = timeZone };
        var created = await people.CreateAsync(person);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (roles.Length > 0) Assert.True((await people.AddToRolesAsync(person, roles)).Succeeded);
        return person;
    }

    /// <summary>A stint written directly (the booking rules have their own tests).</summary>
    public static Task<Stint> StintAsync(this RotationsApp app, Guid leaderId, Guid tourId, Guid? hostId, DateOnly start, DateOnly end) =>
        app.WithDbAsync(async db =>
        {
            var stint = Stint.Plan(leaderId, tourId, hostId, start, end, StintKind.Assignment, "Listen to twenty calls.");
            db.Stints.Add(stint);
            await db.SaveChangesAsync();
            return stint;
        });

    public static Task<SweepResult> SweepAtAsync(this RotationsApp app, DateTimeOffset instant)
    {
        app.Clock.Set(instant);
        return app.WithServiceAsync<ReminderSweep, SweepResult>(s => s.RunAsync(CancellationToken.None));
    }

    public static Task<List<Notification>> NotificationsForAsync(this RotationsApp app, Guid stintId) =>
        app.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.StintId == stintId)
            .OrderBy(n => n.DueAt).ThenBy(n => n.Kind).ToListAsync());

    public static Task SubmitReflectionAsync(this RotationsApp app, Guid stintId, DateTimeOffset at) =>
        app.WithDbAsync(async db =>
        {
            db.Reflections.Add(new Reflection { StintId = stintId, SubmittedAt = at, Revision = 1, DueOn = DateOnly.FromDateTime(at.UtcDateTime), OnTime = true });
            await db.SaveChangesAsync();
        });

    public static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);
}
