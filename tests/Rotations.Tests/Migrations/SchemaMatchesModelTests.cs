using Microsoft.EntityFrameworkCore;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Tests.Migrations;

/// <summary>
/// migrations/ owns the schema and the EF model reads and writes it: one database built each way must come out
/// the same, so the two cannot drift apart unnoticed.
/// </summary>
public sealed class SchemaMatchesModelTests
{
    [Fact]
    public async Task Migrations_AndEfModel_BuildTheSameSchema()
    {
        // Building the EF model is the slow part on a cold start; let it overlap with creating the databases.
        var modelScript = Task.Run(ModelCreateScript);
        await using var fromMigrations = await ScratchDatabase.MigratedAsync("schema_from_migrations");
        await using var fromModel = await ScratchDatabase.EmptyAsync("schema_from_model");
        await fromModel.ExecuteAsync(await modelScript);

        var differences = SchemaComparer.Compare(
            await SchemaSnapshot.ReadAsync(fromMigrations.ConnectionString), "migrations",
            await SchemaSnapshot.ReadAsync(fromModel.ConnectionString), "model");

        Assert.True(differences.Count == 0,
            $"migrations/ and the EF model (RotationsDbContext) build different schemas, {differences.Count} difference(s):\n" +
            string.Join("\n", differences.Select(d => $"  - {d}")) +
            "\nFix the model, or add a new migrations/ script (never edit an applied one). " +
            "`Rotations.Web model-sql` prints the SQL the model expects.");
    }

    [Fact]
    public async Task Snapshot_OfTheMigratedSchema_SeesEveryKindOfObjectItCompares()
    {
        await using var db = await ScratchDatabase.MigratedAsync("schema_snapshot");

        var objects = (await SchemaSnapshot.ReadAsync(db.ConnectionString)).Objects;

        // An empty or half-read snapshot would make the comparison above pass for nothing.
        Assert.Equal("type character varying(64)", objects["column people.time_zone"].Traits["type"]);
        Assert.Equal("not null", objects["column people.time_zone"].Traits["nullability"]);
        Assert.Equal("default now()", objects["column people.created_at"].Traits["default"]);
        Assert.Equal("identity by default", objects["column role_claims.id"].Traits["identity"]);
        Assert.Equal("columns (user_id, login_provider, name)", objects["primary key pk_person_tokens on person_tokens"].Traits["columns"]);
        Assert.Equal("on delete cascade", objects["foreign key fk_person_roles_role_id on person_roles"].Traits["on delete"]);
        Assert.Equal("references roles (id)", objects["foreign key fk_person_roles_role_id on person_roles"].Traits["references"]);
        Assert.Equal("unique", objects["index ix_people_normalized_email on people"].Traits["unique"]);
        Assert.Equal("columns (role_id)", objects["index ix_person_roles_role_id on person_roles"].Traits["columns"]);
        Assert.DoesNotContain(objects.Keys, k => k.Contains(Web.Infrastructure.Migrations.MigrationRunner.HistoryTable, StringComparison.Ordinal));
        Assert.DoesNotContain(objects.Keys, k => k.StartsWith("index pk_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_WhenAColumnLostItsNotNull_ReportsThatColumn()
    {
        await using var pristine = await ScratchDatabase.MigratedAsync("schema_pristine");
        await using var altered = await ScratchDatabase.MigratedAsync("schema_altered");
        await altered.ExecuteAsync("alter table people alter column display_name drop not null");

        var differences = SchemaComparer.Compare(
            await SchemaSnapshot.ReadAsync(pristine.ConnectionString), "migrations",
            await SchemaSnapshot.ReadAsync(altered.ConnectionString), "model");

        Assert.Equal(["column people.display_name: not null in migrations, nullable in model"], differences);
    }

    [Fact]
    public async Task Compare_WhenEveryKindOfObjectChanged_ReportsEachDifferenceOnItsOwnLine()
    {
        await using var pristine = await ScratchDatabase.MigratedAsync("schema_pristine");
        await using var altered = await ScratchDatabase.MigratedAsync("schema_altered");
        await altered.ExecuteAsync("""
            alter table people alter column time_zone type character varying(100);
            alter table people alter column created_at drop default;
            alter table people alter column is_active set default true;
            alter table people add column nickname text;
            alter table people drop column phone_number;
            alter table role_claims alter column id drop identity;
            alter table roles alter column name type text collate "C";
            drop table person_tokens;
            create table teams (id int primary key);
            drop index ix_people_normalized_email;
            create index ix_people_normalized_email on people (normalized_email);
            drop index ix_people_normalized_user_name;
            create unique index ix_people_normalized_user_name on people (normalized_user_name) where normalized_user_name is not null;
            drop index ix_person_roles_role_id;
            create index ix_person_roles_role_id on person_roles (role_id desc, user_id);
            drop index ix_role_claims_role_id;
            create index ix_role_claims_role_id on role_claims using hash (role_id);
            create index ix_person_logins_user_id_extra on person_logins (user_id) include (provider_display_name);
            alter table person_roles drop constraint fk_person_roles_role_id;
            alter table person_roles add constraint fk_person_roles_role_id foreign key (role_id) references roles (id);
            alter table person_claims drop constraint fk_person_claims_user_id;
            alter table person_claims add constraint fk_person_claims_user_id foreign key (user_id) references people (id)
                on delete cascade deferrable initially deferred;
            alter table person_logins drop constraint pk_person_logins;
            alter table person_logins add constraint pk_person_logins primary key (provider_key, login_provider);
            alter table roles add constraint ak_roles_name unique (name);
            alter table people add constraint ck_people_time_zone check (time_zone <> '');
            create sequence invoice_numbers;
            create type stint_state as enum ('planned', 'done');
            """);

        var differences = SchemaComparer.Compare(
            await SchemaSnapshot.ReadAsync(pristine.ConnectionString), "migrations",
            await SchemaSnapshot.ReadAsync(altered.ConnectionString), "model");

        string[] expected =
        [
            "check constraint ck_people_time_zone on people: only in model",
            "column people.created_at: default now() in migrations, no default in model",
            "column people.is_active: no default in migrations, default true in model",
            "column people.nickname: only in model",
            "column people.phone_number: only in migrations",
            "column people.time_zone: type character varying(64) in migrations, type character varying(100) in model",
            "column role_claims.id: identity by default in migrations, not identity in model",
            "column roles.name: type character varying(256) in migrations, type text in model",
            "column roles.name: default collation in migrations, collation C in model",
            "enum type stint_state: only in model",
            "foreign key fk_person_claims_user_id on person_claims: not deferrable in migrations, deferrable initially deferred in model",
            "foreign key fk_person_roles_role_id on person_roles: on delete cascade in migrations, on delete no action in model",
            "index ix_people_normalized_email on people: unique in migrations, not unique in model",
            "index ix_people_normalized_user_name on people: not partial in migrations, where normalized_user_name IS NOT NULL in model",
            "index ix_person_logins_user_id_extra on person_logins: only in model",
            "index ix_person_roles_role_id on person_roles: columns (role_id) in migrations, columns (role_id desc, user_id) in model",
            "index ix_role_claims_role_id on role_claims: using btree in migrations, using hash in model",
            "primary key pk_person_logins on person_logins: columns (login_provider, provider_key) in migrations, columns (provider_key, login_provider) in model",
            "sequence invoice_numbers: only in model",
            "table person_tokens: only in migrations",
            "table teams: only in model",
            "unique constraint ak_roles_name on roles: only in model",
        ];
        // Compared as text, so a failure shows whole lines rather than xunit's truncated collection diff.
        Assert.Equal(string.Join("\n", expected), string.Join("\n", differences));
    }

    /// <summary>The SQL the EF model would create; generating it needs no connection.</summary>
    private static string ModelCreateScript()
    {
        var options = new DbContextOptionsBuilder<RotationsDbContext>().UseNpgsql().Options;
        using var context = new RotationsDbContext(options);
        return context.Database.GenerateCreateScript();
    }
}
