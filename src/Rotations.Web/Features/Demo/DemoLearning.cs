using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Demo;

/// <summary>A demo reflection on one of the demo stints, and the host's feedback on it.</summary>
public sealed record DemoReflection(
    string LeaderEmail, string TourCode, string Objectives, string CustomerSide, string InsideOut,
    (string Term, string Meaning, string CustomerMeaning)[] Vocabulary, string PeopleMet, string FrictionAndIdeas,
    (int Competency, string Evidence)[] Competencies, int DaysAfterEnd, (int Engagement, int Curiosity, int Collaboration, int Impact, string Comments)? Feedback);

/// <summary>
/// What the demo leaders learned on their finished stints: objectives, a submitted reflection and the host's
/// feedback, written through the real services (so the rules hold), then dated a few days after each stint
/// ended, as if written then. Some finished stints are left without a reflection on purpose: the demo
/// shows overdue ones too. Idempotent: a stint that has a reflection is left alone.
/// </summary>
public sealed class DemoLearning(RotationsDbContext db, ReflectionService reflections, FeedbackService feedback,
    Scheduling.SchedulingService scheduling, Readiness.ReviewService reviews, UserManager<Person> people, IUserClaimsPrincipalFactory<Person> principals, ILogger<DemoLearning> logger)
{
    private static Guid Competency(int n) => new($"00000000-0000-0000-0000-0000000c{n:0000}");

    public static readonly IReadOnlyList<DemoReflection> Reflections =
    [
        new("leader@example.com", "SERVICE",
            "- Learn how a complaint travels from the first email to the fix.\n- Find out which service metric the team trusts most, and why.",
            "Customers who write in twice about the same order get two different answers. The **second contact** is where trust breaks: they quote the first answer back to us and feel unheard.\n\nLong-standing customers expect to be recognised; the tools greet them like strangers.",
            "Cases are routed by channel, not by customer. Email and chat have separate queues, separate targets and separate knowledge articles. The team lives by *time to first response*; nobody measures whether the case is solved for good.",
            [("FTR", "First-time resolution: the share of cases closed without a second contact.", "Whether I have to explain my problem again."),
             ("Backlog", "Open cases older than 48 hours, reviewed every morning.", "How long my question sits unanswered."),
             ("Deflection", "Contacts avoided because the customer found an answer in self service.", "Finding the answer myself, when it works.")],
            "Priya Shah (service lead), the Tuesday chat shift, and the knowledge-base owner.",
            "Two queues, two truths. Idea: one case per customer across channels, and FTR beside time to first response on the team board.",
            [(1, "Played back three real email chains at the team stand-up; the team chose the worst one as the case to fix first."),
             (10, "Built a one-page glossary of service terms for my home team, with what each means for customers.")],
            3, (4, 3, 4, 3, "Lena listened before she suggested anything, and her playback of real customer emails changed how the team talks about FTR. Next time: push the idea to the channel owners, not just the team.")),
        new("amara@example.com", "SALES",
            "Understand how a deal is shaped, and what we promise customers at signature.",
            "Customers buy the outcome the salesperson describes, not the product sheet. When onboarding starts, they measure us against that conversation.",
            "Quarterly targets push discounts into the last two weeks of each quarter. The CRM records the deal, but not the promises made in the room; onboarding starts from the contract alone.",
            [("Pipeline coverage", "Value of open opportunities divided by the quarter's target.", "How hard I will be pushed to sign before the quarter ends."),
             ("Handover", "The meeting where sales passes a new customer to onboarding.", "The moment I start again with people who do not know what I was promised.")],
            "Two account executives, the sales operations analyst, and a customer in their first month.",
            "Promises get lost at handover. Idea: a five-line 'what we promised' note in the CRM, read aloud at the handover meeting.",
            [(2, "Worked out what one lost renewal costs against the discount given to win it, and shared it with the sales director."),
             (4, "Got sales and onboarding to trial the 'what we promised' note on four new accounts.")],
            2, (3, 4, 3, 3, "Amara asked the questions my team stopped asking years ago. The handover note is now in use on four accounts.")),
        new("sofia@example.com", "MARKETING",
            "See how the brand promise is formed, and where it diverges from what customers live through.",
            "Our campaigns promise *effortless*; customers' reviews say *reliable but slow*. Expectations are set months before anyone in service meets the customer.",
            "Campaign briefs are signed off by marketing alone. Service and operations see the campaign when customers start calling about it.",
            [("Brief", "The one-page plan behind a campaign: audience, message, offer, measures.", "The promise I will hold you to."),
             ("Share of voice", "Our part of all the talk in our category, paid and earned.", "How often I hear about you, not how true it is.")],
            "The brand director, two campaign managers, the agency team.",
            "The promise is made without the people who keep it. Idea: service and operations sign every brief before it goes out.",
            [(8, "Ran a session where campaign managers listened to calls about their last campaign."),
             (6, "Proposed a service sign-off on briefs, now on the marketing leadership agenda.")],
            9, (3, 3, 4, 4, "Sofia connected our campaigns to what happens after. The brief sign-off is her idea and we are trying it.")),
        new("kenji@example.com", "WAREHOUSE",
            "Follow one order from the pick list to the doorstep.",
            "A late parcel is forgiven if we say so early; a silent one is not. Customers track the parcel more closely than we do.",
            "Picking is planned by the warehouse system in waves; a wave missed by ten minutes waits for the next truck. Delivery promises on the website are made without reading the wave plan.",
            [("Wave", "A batch of orders picked together for one truck departure.", "Whether my parcel leaves today or tomorrow."),
             ("OTIF", "On time, in full: orders delivered complete on the promised day.", "Getting everything I ordered when you said.")],
            "The night-shift supervisor, two pickers, the carrier's account manager.",
            "The website promises what the waves cannot keep. Idea: read the wave cut-off before the promise date is shown.",
            [(7, "Mapped the ten-minute cut-off problem with the supervisor in one shift and proposed the fix the same week.")],
            5, null),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var written = 0;
        foreach (var demo in Reflections)
        {
            var stint = await db.Stints.AsNoTracking()
                .Where(s => s.Leader!.Email == demo.LeaderEmail && s.Tour!.Code == demo.TourCode && s.CancelledAt == null)
                .Select(s => new { s.Id, s.EndDate, s.HostId }).FirstOrDefaultAsync(ct);
            if (stint is null || await db.Reflections.AnyAsync(r => r.StintId == stint.Id, ct)) continue;
            try
            {
                await WriteAsync(demo, stint.Id, stint.HostId, ct);
                // Dated as if written a few days after the stint ended (the services stamp "now").
                var at = new DateTimeOffset(stint.EndDate.AddDays(demo.DaysAfterEnd).ToDateTime(new TimeOnly(16, 0)), TimeSpan.Zero);
                await db.Reflections.Where(r => r.StintId == stint.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.SubmittedAt, at).SetProperty(r => r.UpdatedAt, at).SetProperty(r => r.CreatedAt, at)
                    .SetProperty(r => r.OnTime, r => r.DueOn >= stint.EndDate.AddDays(demo.DaysAfterEnd)), ct);
                await db.ReflectionVersions.Where(v => v.StintId == stint.Id).ExecuteUpdateAsync(u => u.SetProperty(v => v.CreatedAt, at), ct);
                await db.HostFeedback.Where(f => f.StintId == stint.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(f => f.SubmittedAt, at.AddDays(1)).SetProperty(f => f.UpdatedAt, at.AddDays(1)).SetProperty(f => f.CreatedAt, at.AddDays(1)), ct);
                written++;
            }
            catch (DomainException ex)
            {
                // Like the demo stints: a catalogue or framework edited by hand must never stop a start.
                logger.LogWarning("Demo reflection {Leader} {Tour} skipped: {Reason}", demo.LeaderEmail, demo.TourCode, ex.Message);
            }
        }
        logger.LogInformation("Demo learning: {Reflections} reflections written", written);
        await SeedReviewsAsync(ct);
    }

    /// <summary>A demo readiness review: who, for which level, the decision, the rationale, a rating for each competency in order.</summary>
    public sealed record DemoReview(string LeaderEmail, People.Level Level, string Decision, string Rationale, int[] Ratings);

    public static readonly IReadOnlyList<DemoReview> Reviews =
    [
        new("amara@example.com", People.Level.VP, "Ready1To2Years",
            "Amara ties customer work to revenue better than anyone in the cohort, and her executive tour showed she can hold the room. " +
            "She still needs breadth: contact centre and service are missing, and governance is untested.",
            [3, 4, 3, 3, 3, 2, 3, 3, 3, 3]),
        new("sofia@example.com", People.Level.CCO, "Ready3PlusYears",
            "Sofia moves marketing and is respected by peers; for the top customer role she needs the operational tours and time with the executive team.",
            [3, 2, 2, 3, 3, 2, 3, 4, 3, 2]),
        new("kenji@example.com", People.Level.HeadOf, "NotYet",
            "Early in the programme: one tour done, strong on urgency in the warehouse. Let him complete the contact centre and service tours first.",
            [2, 2, 1, 2, 2, 2, 3, 2, 3, 2]),
    ];

    /// <summary>The manager's reviews of some demo leaders, submitted through the real rules; once per leader.</summary>
    private async Task SeedReviewsAsync(CancellationToken ct)
    {
        var written = 0;
        foreach (var demo in Reviews)
        {
            var leader = await people.FindByEmailAsync(demo.LeaderEmail);
            if (leader?.ManagerId is not { } managerId || await db.ReadinessReviews.AnyAsync(r => r.LeaderId == leader.Id, ct)) continue;
            var competencies = await db.Competencies.AsNoTracking().Where(c => !c.IsRetired).OrderBy(c => c.Position).Select(c => c.Id).ToListAsync(ct);
            var manager = await principals.CreateAsync((await people.FindByIdAsync(managerId.ToString()))!);
            try
            {
                var draft = await reviews.CreateAsync(leader.Id, new Readiness.ReviewRequest(demo.Level.ToString(), demo.Decision, demo.Rationale,
                    competencies.Select((id, i) => new Readiness.RatingInput(id, demo.Ratings[i % demo.Ratings.Length], null)).ToList()), manager, ct);
                await reviews.SubmitAsync(draft.Id, null, null, manager, ct);
                written++;
            }
            catch (DomainException ex)
            {
                logger.LogWarning("Demo review of {Leader} skipped: {Reason}", demo.LeaderEmail, ex.Message);
            }
        }
        logger.LogInformation("Demo readiness: {Reviews} reviews submitted", written);
    }

    private async Task WriteAsync(DemoReflection demo, Guid stintId, Guid? hostId, CancellationToken ct)
    {
        var leader = await principals.CreateAsync((await people.FindByEmailAsync(demo.LeaderEmail))!);
        await scheduling.SetObjectivesAsync(stintId, null, demo.Objectives, ct);
        await reflections.SubmitAsync(stintId, null, new ReflectionRequest(
            demo.CustomerSide, demo.InsideOut,
            demo.Vocabulary.Select(v => new VocabularyInput(v.Term, v.Meaning, v.CustomerMeaning)).ToList(),
            demo.PeopleMet, demo.FrictionAndIdeas,
            demo.Competencies.Select(c => new CompetencyEvidenceInput(Competency(c.Competency), c.Evidence)).ToList()), leader, ct);
        if (demo.Feedback is { } f && hostId is { } h)
        {
            var host = await principals.CreateAsync((await people.FindByIdAsync(h.ToString()))!);
            await feedback.SaveAsync(stintId, null, new FeedbackRequest(f.Engagement, f.Curiosity, f.Collaboration, f.Impact, f.Comments, true), host, ct);
        }
    }
}
