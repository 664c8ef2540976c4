using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Reflections;
using Rotations.Tests.Support;
using Rotations.Web.Features.People;

namespace Rotations.Tests.Readiness;

/// <summary>Leaders with a profile and a history of stints, reflections and feedback, for the readiness tests.</summary>
public static class ReadinessKit
{
    public static readonly Guid Sales = new("00000000-0000-0000-0000-0000000b0001");
    public static readonly Guid Contact = new("00000000-0000-0000-0000-0000000b0003");
    public static readonly Guid Exec = new("00000000-0000-0000-0000-0000000b0011");

    public static Guid Competency(int n) => new($"00000000-0000-0000-0000-0000000c{n:0000}");

    /// <summary>Every competency of the seeded framework rated <paramref name="rating"/> (the first <paramref name="count"/> of them).</summary>
    public static object[] Ratings(int rating, int count = 10, int? peers = null) =>
        Enumerable.Range(1, count).Select(n => (object)new { competencyId = Competency(n), rating = n == 4 && peers is { } p ? p : rating, comment = n == 4 ? "Moved the depot team without authority." : "" }).ToArray();

    public static Task ProfileAsync(this RotationsApp app, Guid leaderId, Level target) =>
        app.WithDbAsync(async db =>
        {
            db.LeaderProfiles.Add(new LeaderProfile { PersonId = leaderId, CurrentLevel = Level.Manager, TargetLevel = target });
            await db.SaveChangesAsync();
        });

    /// <summary>
    /// The cast of <see cref="ReflectionKit.CastAsync"/> (CONTACT, 1 Feb – 5 Mar 2027, clock on 10 Mar) with a profile
    /// targeting <paramref name="target"/>, a SALES stint before it (4–29 Jan 2027, reflected on time, with feedback),
    /// and the CONTACT reflection left unwritten.
    /// </summary>
    public static async Task<StintCast> HistoryAsync(this RotationsApp app, string name, Level target = Level.VP)
    {
        var cast = await app.CastAsync(name);
        await app.ProfileAsync(cast.Leader.Id, target);
        var sales = await app.StintAsync(cast.Leader.Id, Sales, cast.Host.Id, new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 29));
        await app.WithDbAsync(async db =>
        {
            db.Reflections.Add(new Web.Features.Reflections.Reflection
            {
                StintId = sales.Id, CreatedAt = ReflectionKit.AfterTheEnd, UpdatedAt = ReflectionKit.AfterTheEnd, SubmittedAt = new DateTimeOffset(2027, 2, 2, 9, 0, 0, TimeSpan.Zero),
                DueOn = new DateOnly(2027, 2, 5), OnTime = true, Revision = 1, CustomerSide = "Buyers", InsideOut = "CRM",
                Competencies = { new Web.Features.Reflections.ReflectionCompetency { StintId = sales.Id, CompetencyId = Competency(2), Evidence = "Priced the renewal against the discount." } },
            });
            db.HostFeedback.Add(new Web.Features.Feedback.HostFeedback
            {
                StintId = sales.Id, AuthorId = cast.Host.Id, Engagement = 4, Curiosity = 3, Collaboration = 3, Impact = 2, Comments = "",
                CreatedAt = ReflectionKit.AfterTheEnd, UpdatedAt = ReflectionKit.AfterTheEnd, SubmittedAt = ReflectionKit.AfterTheEnd,
            });
            await db.SaveChangesAsync();
        });
        return cast;
    }

    public static async Task<HttpResponseMessage> OpenReviewAsync(this HttpClient api, Guid leaderId, string level, object? ratings = null,
        string? decision = "Ready1To2Years", string rationale = "Strong customer work; executive exposure still to come.") =>
        await api.PostAsJsonAsync($"/api/v1/leaders/{leaderId}/reviews", new { level, decision, rationale, ratings = ratings ?? Ratings(3) }, ApiClients.Json);

    public static Task<int> ReviewCountAsync(this RotationsApp app, Guid leaderId) =>
        app.WithDbAsync(db => db.ReadinessReviews.CountAsync(r => r.LeaderId == leaderId));
}
