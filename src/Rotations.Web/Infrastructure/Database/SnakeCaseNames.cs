using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Rotations.Web.Infrastructure.Database;

/// <summary>
/// Gives every table, column, key, index and foreign key a snake_case name (xmin, PostgreSQL's
/// row-version system column used for optimistic concurrency, is already one), so the SQL in
/// migrations/ reads like ordinary PostgreSQL (no quoted PascalCase identifiers).
/// </summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null) continue;
            table = ToSnake(table);
            entity.SetTableName(table);
            var storeObject = StoreObjectIdentifier.Table(table, entity.GetSchema());

            foreach (var property in entity.GetProperties())
                property.SetColumnName(ToSnake(property.GetColumnName(storeObject) ?? property.Name));

            foreach (var key in entity.GetKeys())
                key.SetName(key.IsPrimaryKey() ? $"pk_{table}" : $"ak_{table}_{Columns(key.Properties, storeObject)}");

            foreach (var fk in entity.GetForeignKeys())
                fk.SetConstraintName($"fk_{table}_{Columns(fk.Properties, storeObject)}");

            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName($"ix_{table}_{Columns(index.Properties, storeObject)}");
        }
    }

    private static string Columns(IEnumerable<IMutableProperty> properties, StoreObjectIdentifier table) =>
        string.Join("_", properties.Select(p => p.GetColumnName(table)));

    internal static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && name[i - 1] != '_' && (previousIsLowerOrDigit || (nextIsLower && char.IsUpper(name[i - 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
