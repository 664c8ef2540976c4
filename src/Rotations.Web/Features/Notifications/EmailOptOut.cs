using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rotations.Web.Features.Account;

namespace Rotations.Web.Features.Notifications;

/// <summary>
/// A kind of notification a person does not want by email. The inbox always gets everything; by default
/// every kind is also emailed, so only the choices against it are stored.
/// </summary>
public sealed class EmailOptOut
{
    public Guid PersonId { get; init; }
    public NotificationKind Kind { get; init; }
}

internal sealed class EmailOptOutConfiguration : IEntityTypeConfiguration<EmailOptOut>
{
    public void Configure(EntityTypeBuilder<EmailOptOut> e)
    {
        e.ToTable("email_opt_outs");
        e.HasKey(o => new { o.PersonId, o.Kind });
        e.Property(o => o.Kind).HasConversion<string>().HasMaxLength(32);
        e.HasOne<Person>().WithMany().HasForeignKey(o => o.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
