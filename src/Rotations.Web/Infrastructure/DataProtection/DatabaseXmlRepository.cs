using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Infrastructure.DataProtection;

/// <summary>A data-protection key ring element, stored in PostgreSQL so every web node shares it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; private set; }
    public required string FriendlyName { get; init; }
    public required string Xml { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> e)
    {
        e.ToTable("data_protection_keys");
        e.Property(k => k.FriendlyName).HasMaxLength(200);
        e.Property(k => k.CreatedAt).HasDefaultValueSql("now()");
        e.HasIndex(k => k.FriendlyName).IsUnique();
    }
}

/// <summary>
/// Keeps the key ring in the database (the EF-backed package from Microsoft does not restore here).
/// Without a shared ring a cookie issued by one node would be rejected by the next.
/// </summary>
internal sealed class DatabaseXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList()
            .Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
        // Two nodes may create a key at the same moment; each key has its own id, so both rows are kept.
        db.DataProtectionKeys.Add(new DataProtectionKey
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
        });
        db.SaveChanges();
    }
}

internal static class DataProtectionExtensions
{
    public static IServiceCollection AddDatabaseKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Rotations");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o =>
                o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>())));
        return services;
    }
}
