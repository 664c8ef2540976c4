using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Calendar;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.Competencies;
using Rotations.Web.Features.Feedback;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Planning;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.DataProtection;

namespace Rotations.Web.Infrastructure.Database;

/// <summary>
/// The one DbContext. Services use it directly (EF Core is the repository).
/// The schema itself is owned by the SQL scripts in migrations/; a test proves this model agrees with them.
/// </summary>
public sealed class RotationsDbContext(DbContextOptions<RotationsDbContext> options)
    : IdentityDbContext<Person, Role, Guid>(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Tour> Tours => Set<Tour>();
    public DbSet<TourHost> TourHosts => Set<TourHost>();
    public DbSet<Cohort> Cohorts => Set<Cohort>();
    public DbSet<LeaderProfile> LeaderProfiles => Set<LeaderProfile>();
    public DbSet<Stint> Stints => Set<Stint>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<EmailMessage> EmailOutbox => Set<EmailMessage>();
    public DbSet<EmailOptOut> EmailOptOuts => Set<EmailOptOut>();
    public DbSet<ReminderSettings> ReminderSettings => Set<ReminderSettings>();
    public DbSet<Reflection> Reflections => Set<Reflection>();
    public DbSet<Competency> Competencies => Set<Competency>();
    public DbSet<TourCompetency> TourCompetencies => Set<TourCompetency>();
    public DbSet<ReflectionTerm> ReflectionTerms => Set<ReflectionTerm>();
    public DbSet<ReflectionCompetency> ReflectionCompetencies => Set<ReflectionCompetency>();
    public DbSet<ReflectionVersion> ReflectionVersions => Set<ReflectionVersion>();
    public DbSet<HostFeedback> HostFeedback => Set<HostFeedback>();
    public DbSet<ReadinessCriteria> ReadinessCriteria => Set<ReadinessCriteria>();
    public DbSet<RequiredTour> RequiredTours => Set<RequiredTour>();
    public DbSet<MinRating> MinRatings => Set<MinRating>();
    public DbSet<ReadinessBand> ReadinessBands => Set<ReadinessBand>();
    public DbSet<ReadinessReview> ReadinessReviews => Set<ReadinessReview>();
    public DbSet<ReviewRating> ReviewRatings => Set<ReviewRating>();
    public DbSet<Unavailability> Unavailability => Set<Unavailability>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<PlanItem> PlanItems => Set<PlanItem>();
    public DbSet<SignInAttempt> SignInAttempts => Set<SignInAttempt>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Person>(e =>
        {
            e.ToTable("people");
            e.Property(p => p.DisplayName).HasMaxLength(200);
            e.Property(p => p.TimeZone).HasMaxLength(64);
            e.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
            // Identity checks uniqueness in code; the index makes it hold under concurrent creates too.
            e.HasIndex(p => p.NormalizedEmail).IsUnique();
            e.HasOne(p => p.Manager).WithMany().HasForeignKey(p => p.ManagerId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Role>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("person_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("person_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("person_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("person_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        builder.ApplyConfigurationsFromAssembly(typeof(RotationsDbContext).Assembly);
        SnakeCaseNames.Apply(builder);
    }
}
