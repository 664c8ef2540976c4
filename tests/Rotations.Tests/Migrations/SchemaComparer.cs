using Npgsql;
using Rotations.Web.Infrastructure.Migrations;

namespace Rotations.Tests.Migrations;

/// <summary>
/// One object of a schema (table, column, key, index …) and its traits, each trait already worded for a
/// difference report ("not null", "type text", "on delete cascade").
/// </summary>
internal sealed record SchemaObject(string Label, string Table, IReadOnlyDictionary<string, string> Traits);

/// <summary>
/// What PostgreSQL's catalog says about schema public (schema_migrations aside): tables; columns with type,
/// nullability, default, identity and collation; primary keys, unique, foreign-key, check and exclusion
/// constraints; indexes not backing a constraint; standalone sequences, enum types and extensions.
/// Column order is left out on purpose: EF does not depend on it. Views, functions and triggers are left out
/// because the EF model cannot express them. Both sides go through PostgreSQL, so expressions and types come
/// back in PostgreSQL's own canonical spelling and compare as text.
/// </summary>
internal sealed class SchemaSnapshot
{
    private SchemaSnapshot(IReadOnlyDictionary<string, SchemaObject> objects) => Objects = objects;

    /// <summary>By label, e.g. "column people.time_zone", "index ix_roles_normalized_name on roles".</summary>
    public IReadOnlyDictionary<string, SchemaObject> Objects { get; }

    public static async Task<SchemaSnapshot> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var objects = new Dictionary<string, SchemaObject>(StringComparer.Ordinal);
        void Add(string label, string table, params (string Trait, string Value)[] traits) =>
            objects.Add(label, new SchemaObject(label, table, traits.ToDictionary(t => t.Trait, t => t.Value)));

        await ReadAsync(connection, $"""
            select c.relname, case c.relkind when 'p' then 'partitioned' else 'ordinary' end
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> '{MigrationRunner.HistoryTable}'
            """, r => Add($"table {r.GetString(0)}", r.GetString(0), ("kind", $"{r.GetString(1)} table")));

        await ReadAsync(connection, $"""
            select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid, true), a.attidentity::text, a.attgenerated::text,
                   case when a.attcollation <> t.typcollation then co.collname end
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            join pg_type t on t.oid = a.atttypid
            left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            left join pg_collation co on co.oid = a.attcollation
            where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> '{MigrationRunner.HistoryTable}'
              and a.attnum > 0 and not a.attisdropped
            """, r =>
        {
            var expression = r.IsDBNull(4) ? null : r.GetString(4);
            var generated = r.GetString(6) == "s";
            Add($"column {r.GetString(0)}.{r.GetString(1)}", r.GetString(0),
                ("type", $"type {r.GetString(2)}"),
                ("nullability", r.GetBoolean(3) ? "not null" : "nullable"),
                ("default", generated ? $"generated always as ({expression}) stored"
                    : expression is null ? "no default" : $"default {expression}"),
                ("identity", r.GetString(5) switch { "a" => "identity always", "d" => "identity by default", _ => "not identity" }),
                ("collation", r.IsDBNull(7) ? "default collation" : $"collation {r.GetString(7)}"));
        });

        await ReadAsync(connection, $"""
            select c.relname, con.conname, con.contype::text,
                   array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord),
                   fc.relname,
                   array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord),
                   con.confdeltype::text, con.confupdtype::text, con.condeferrable, con.condeferred,
                   pg_get_constraintdef(con.oid, true)
            from pg_constraint con
            join pg_class c on c.oid = con.conrelid
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_class fc on fc.oid = con.confrelid
            where n.nspname = 'public' and c.relname <> '{MigrationRunner.HistoryTable}' and con.contype in ('p', 'u', 'f', 'c', 'x')
            """, r =>
        {
            var (table, name, type, columns, definition) = (r.GetString(0), r.GetString(1), r.GetString(2), List(r.GetFieldValue<string[]>(3)), r.GetString(10));
            switch (type)
            {
                case "p":
                    Add($"primary key {name} on {table}", table, ("columns", $"columns {columns}"));
                    break;
                case "u":
                    Add($"unique constraint {name} on {table}", table, ("columns", $"columns {columns}"),
                        ("nulls", definition.Contains("NULLS NOT DISTINCT", StringComparison.Ordinal) ? "nulls not distinct" : "nulls distinct"));
                    break;
                case "f":
                    Add($"foreign key {name} on {table}", table,
                        ("columns", $"columns {columns}"),
                        ("references", $"references {r.GetString(4)} {List(r.GetFieldValue<string[]>(5))}"),
                        ("on delete", $"on delete {Action(r.GetString(6))}"),
                        ("on update", $"on update {Action(r.GetString(7))}"),
                        ("deferrable", !r.GetBoolean(8) ? "not deferrable" : r.GetBoolean(9) ? "deferrable initially deferred" : "deferrable initially immediate"));
                    break;
                default:
                    Add($"{(type == "c" ? "check" : "exclusion")} constraint {name} on {table}", table, ("definition", definition));
                    break;
            }
        });

        // Indexes that back a primary key, unique or exclusion constraint are compared as that constraint.
        await ReadAsync(connection, $"""
            select t.relname, i.relname, ix.indisunique, am.amname,
                   array(select pg_get_indexdef(ix.indexrelid, k, true)
                                || case when ix.indoption[k - 1] & 1 = 1
                                        then ' desc' || case when ix.indoption[k - 1] & 2 = 0 then ' nulls last' else '' end
                                        else case when ix.indoption[k - 1] & 2 = 2 then ' nulls first' else '' end end
                         from generate_series(1, ix.indnkeyatts) k order by k),
                   array(select pg_get_indexdef(ix.indexrelid, k, true) from generate_series(ix.indnkeyatts + 1, ix.indnatts) k order by k),
                   pg_get_expr(ix.indpred, ix.indrelid, true),
                   ix.indnullsnotdistinct
            from pg_index ix
            join pg_class i on i.oid = ix.indexrelid
            join pg_class t on t.oid = ix.indrelid
            join pg_namespace n on n.oid = t.relnamespace
            join pg_am am on am.oid = i.relam
            where n.nspname = 'public' and t.relname <> '{MigrationRunner.HistoryTable}'
              and not exists (select 1 from pg_constraint con where con.conindid = ix.indexrelid and con.contype in ('p', 'u', 'x'))
            """, r =>
        {
            var include = r.GetFieldValue<string[]>(5);
            Add($"index {r.GetString(1)} on {r.GetString(0)}", r.GetString(0),
                ("unique", r.GetBoolean(2) ? "unique" : "not unique"),
                ("method", $"using {r.GetString(3)}"),
                ("columns", $"columns {List(r.GetFieldValue<string[]>(4))}"),
                ("include", include.Length == 0 ? "no included columns" : $"include {List(include)}"),
                ("predicate", r.IsDBNull(6) ? "not partial" : $"where {r.GetString(6)}"),
                ("nulls", r.GetBoolean(7) ? "nulls not distinct" : "nulls distinct"));
        });

        // Identity columns own a sequence; that is the column's identity trait, not an object of its own.
        await ReadAsync(connection, """
            select c.relname, format_type(s.seqtypid, null), s.seqincrement, s.seqstart
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_sequence s on s.seqrelid = c.oid
            where n.nspname = 'public' and c.relkind = 'S'
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'i')
            """, r => Add($"sequence {r.GetString(0)}", "",
                ("type", $"type {r.GetString(1)}"), ("increment", $"increment {r.GetInt64(2)}"), ("start", $"start {r.GetInt64(3)}")));

        await ReadAsync(connection, """
            select t.typname, array_agg(e.enumlabel::text order by e.enumsortorder)
            from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
            where n.nspname = 'public'
            group by t.typname
            """, r => Add($"enum type {r.GetString(0)}", "", ("labels", $"labels {List(r.GetFieldValue<string[]>(1))}")));

        await ReadAsync(connection, "select extname from pg_extension where extname <> 'plpgsql'",
            r => Add($"extension {r.GetString(0)}", ""));

        return new SchemaSnapshot(objects);
    }

    private static string List(IEnumerable<string> names) => $"({string.Join(", ", names)})";

    private static string Action(string code) => code switch
    {
        "a" => "no action", "r" => "restrict", "c" => "cascade", "n" => "set null", "d" => "set default", _ => code,
    };

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> row)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) row(reader);
    }
}

/// <summary>Every difference between two schemas, one readable line each.</summary>
internal static class SchemaComparer
{
    /// <summary>
    /// Lines like "column people.time_zone: nullable in migrations, not null in model" or
    /// "index ix_x on people: only in model". The contents of a table that exists on one side only are not
    /// listed again: the table's own line says it.
    /// </summary>
    public static IReadOnlyList<string> Compare(SchemaSnapshot left, string leftName, SchemaSnapshot right, string rightName)
    {
        bool HasTable(SchemaSnapshot snapshot, string table) => table == "" || snapshot.Objects.ContainsKey($"table {table}");
        var differences = new List<string>();
        foreach (var label in left.Objects.Keys.Union(right.Objects.Keys).Order(StringComparer.Ordinal))
        {
            left.Objects.TryGetValue(label, out var a);
            right.Objects.TryGetValue(label, out var b);
            if (a is null || b is null)
            {
                var present = (a ?? b)!;
                var (side, other) = a is null ? (rightName, left) : (leftName, right);
                if (label.StartsWith("table ", StringComparison.Ordinal) || HasTable(other, present.Table))
                    differences.Add($"{label}: only in {side}");
                continue;
            }
            foreach (var trait in a.Traits.Keys.Union(b.Traits.Keys))
            {
                var valueA = a.Traits.GetValueOrDefault(trait, $"no {trait}");
                var valueB = b.Traits.GetValueOrDefault(trait, $"no {trait}");
                if (valueA != valueB) differences.Add($"{label}: {valueA} in {leftName}, {valueB} in {rightName}");
            }
        }
        return differences;
    }
}
