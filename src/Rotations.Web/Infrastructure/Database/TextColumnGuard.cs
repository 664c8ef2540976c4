using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Rotations.Web.Infrastructure.Errors;
using Rotations.Web.Infrastructure.Web;

namespace Rotations.Web.Infrastructure.Database;

/// <summary>
/// The last line before the database, for every write through EF whatever its source (a form, a CSV import,
/// an API field a service copied): text PostgreSQL would refuse (a NUL, a lone surrogate) or that is longer
/// than its column is a 400 naming the field (the property's camelCase name, as the API and pages name fields),
/// instead of a database error after half a request's work. Services still check their own limits first,
/// with their own words; this catches what they do not.
/// </summary>
internal sealed class TextColumnGuard : SaveChangesInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db) Check(db);
        return base.SavingChangesAsync(eventData, result, ct);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db) Check(db);
        return base.SavingChanges(eventData, result);
    }

    private static void Check(DbContext db)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (property.Metadata.ClrType != typeof(string) || property.CurrentValue is not string text) continue;
                if (entry.State == EntityState.Modified && !property.IsModified) continue;
                var field = JsonNamingPolicy.CamelCase.ConvertName(property.Metadata.Name);
                var problem = SafeText.Problem(text)
                    ?? (property.Metadata.GetMaxLength() is { } max && text.Length > max ? $"At most {max} characters." : null);
                if (problem is not null) errors.TryAdd(field, [problem]);
            }
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }
}
