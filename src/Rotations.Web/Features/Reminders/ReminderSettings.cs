using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rotations.Web.Features.Reminders;

/// <summary>
/// The programme's rhythm: the offsets of the reminder table and the local send hour. One row (id 1),
/// edited by HR or Admin on the reminder settings page; the sweep reads it on every run.
/// </summary>
public sealed class ReminderSettings : Audit.IAudited
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;
    /// <summary>Days before the start of the first "upcoming stint" reminder (14).</summary>
    public int UpcomingFirstDays { get; set; } = 14;
    /// <summary>Days before the start of the second one (1).</summary>
    public int UpcomingSecondDays { get; set; } = 1;
    /// <summary>Stints at least this many weeks long get a midpoint check-in (4).</summary>
    public int MidpointMinWeeks { get; set; } = 4;
    /// <summary>Days after the end, reflection still missing: the leader is reminded (7).</summary>
    public int OverdueDays { get; set; } = 7;
    /// <summary>Days after the end, reflection still missing: the leader's manager is told (14).</summary>
    public int EscalationDays { get; set; } = 14;
    /// <summary>Local hour (0–23) at which reminders go out, in each recipient's own time zone (9).</summary>
    public int SendHour { get; set; } = 9;
    /// <summary>Day of the HR digest, at the send hour (Monday).</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedById { get; set; }
    public uint Version { get; private set; }

    public IEnumerable<string> AuditIdentity() => ["Reminder settings"];
}

internal sealed class ReminderSettingsConfiguration : IEntityTypeConfiguration<ReminderSettings>
{
    public void Configure(EntityTypeBuilder<ReminderSettings> e)
    {
        e.ToTable("reminder_settings", t =>
        {
            t.HasCheckConstraint("ck_reminder_settings_singleton", "id = 1");
            t.HasCheckConstraint("ck_reminder_settings_send_hour", "send_hour between 0 and 23");
            t.HasCheckConstraint("ck_reminder_settings_offsets",
                "upcoming_first_days between 1 and 90 and upcoming_second_days between 0 and 90 and midpoint_min_weeks between 1 and 52 "
                + "and overdue_days between 1 and 90 and escalation_days between 1 and 180");
        });
        e.Property(s => s.Id).ValueGeneratedNever();
        e.Property(s => s.DigestDay).HasConversion<string>().HasMaxLength(10);
        e.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");
        e.Property(s => s.Version).IsRowVersion().HasColumnName("xmin");
        e.HasOne<Account.Person>().WithMany().HasForeignKey(s => s.UpdatedById).OnDelete(DeleteBehavior.SetNull);
    }
}
