using System.Security.Claims;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Web.Features.Account;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.People;

/// <summary>One problem in the file: its line (the header is line 1), the column (null for the whole line) and the reason.</summary>
public sealed record ImportError(int Line, string? Column, string Message);

public sealed record ImportLeader(Level CurrentLevel, Level TargetLevel, string? Cohort, string HomeDepartment, DateOnly? ProgrammeStart);

/// <summary>A person the file adds.</summary>
public sealed record ImportCreate(int Line, string Email, string DisplayName, IReadOnlyList<string> Roles, string? ManagerEmail,
    string TimeZone, ImportLeader? Leader);

public sealed record FieldChange(object? From, object? To);

/// <summary>A person the file changes, field by field (keys are the column names).</summary>
public sealed record ImportUpdate(int Line, Guid Id, string Email, string DisplayName, IReadOnlyDictionary<string, FieldChange> Changes);

/// <summary>What an import does (dry run) or did (committed). Nothing is written while <see cref="Errors"/> is not empty.</summary>
public sealed record ImportReport(bool DryRun, bool Committed, IReadOnlyList<ImportCreate> Creates, IReadOnlyList<ImportUpdate> Updates,
    int Unchanged, IReadOnlyList<ImportError> Errors)
{
    public bool IsValid => Errors.Count == 0;
    /// <summary>People the import writes: creates and updates.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Changes => Creates.Count + Updates.Count;
}

/// <summary>
/// The CSV import of people: upsert by email. Every row is checked against the database and the rest of
/// the file before anything is written, with the same rules as the form (<see cref="PersonRules"/>); a
/// manager may be added by any row of the same file. The whole file is written in one transaction, or
/// nothing is. A person whose row matches what is stored is not touched, so importing a file twice
/// changes nothing the second time.
/// </summary>
/// <remarks>
/// A column left out of the file leaves that field as it is; an empty cell means "none" (no manager, no
/// cohort, no roles; an empty time zone is Europe/London). Imported people get no password: each is sent an
/// invitation, written in the same transaction.
/// </remarks>
public sealed class PeopleImport(RotationsDbContext db, UserManager<Person> people, TimeProvider clock, AccountEmails accountEmails)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public const string Email = "email", DisplayName = "displayName", RolesColumn = "roles", ManagerEmail = "managerEmail",
        TimeZone = "timeZone", CurrentLevel = "currentLevel", TargetLevel = "targetLevel", Cohort = "cohort",
        HomeDepartment = "homeDepartment", ProgrammeStart = "programmeStart";

    /// <summary>The columns, in the order errors are reported. email and displayName are required.</summary>
    public static readonly IReadOnlyList<string> Columns =
        [Email, DisplayName, RolesColumn, ManagerEmail, TimeZone, CurrentLevel, TargetLevel, Cohort, HomeDepartment, ProgrammeStart];

    private static readonly string[] LeaderColumns = [CurrentLevel, TargetLevel, Cohort, HomeDepartment, ProgrammeStart];

    /// <summary>An example file, offered for download on the import page.</summary>
    public const string Template =
        "email,displayName,roles,managerEmail,timeZone,currentLevel,targetLevel,cohort,homeDepartment,programmeStart\r\n" +
        "maria.lopez@example.com,Maria Lopez,Manager;Host,,Europe/Madrid,,,,,\r\n" +
        "sam.taylor@example.com,Sam Taylor,Leader,maria.lopez@example.com,Europe/London,Manager,Director,,Customer service,2027-01-04\r\n";

    /// <summary>The file's text, or why it cannot be read: it must be UTF-8 (Excel: "CSV UTF-8").</summary>
    public static (string? Text, string? Error) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes) return (null, $"The file is larger than {MaxBytes / 1024 / 1024} MB: split it into smaller files.");
        try
        {
            var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            var text = strict.GetString(bytes);
            return (text.TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”.");
        }
    }

    public async Task<ImportReport> RunAsync(string csv, bool dryRun, ClaimsPrincipal caller, CancellationToken ct = default)
    {
        var errors = new List<ImportError>();
        var rows = Parse(csv, errors);
        if (rows is null) return Report(dryRun, false, [], errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!dryRun)
        {
            // The same locks as the form takes: manager links and the last Admin are checked against a stable picture.
            await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({PeopleService.ManagerGraphLock})", ct);
            await db.Database.ExecuteSqlRawAsync("select 1 from roles where normalized_name = 'ADMIN' for update", ct);
        }
        var plans = await PlanAsync(rows, caller, errors, ct);
        if (errors.Count > 0 || dryRun) return Report(dryRun, false, plans, errors);

        try
        {
            await WriteAsync(plans, ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException
            || ex is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } })
        {
            db.ChangeTracker.Clear();
            throw new StaleVersionException("One of the people in this file");
        }
        return Report(dryRun, true, plans, errors);
    }

    // ---- reading the file ---------------------------------------------------------------------------

    private sealed record Row(int Line, IReadOnlyDictionary<string, string> Cells)
    {
        public bool Has(string column) => Cells.ContainsKey(column);
        public string? this[string column] => Cells.GetValueOrDefault(column);
    }

    /// <summary>The data rows with their cells by column name, or null when the header itself is unusable.</summary>
    private static List<Row>? Parse(string csv, List<ImportError> errors)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            TrackLineNumbers = true,
            TrimWhitespace = true,
            OnMalformedRecord = m =>
            {
                // A quote inside a name (5"10) is read as text, as a person would mean it; the others lose data.
                if (m.Reason == CsvMalformedReason.StrayQuote) return;
                errors.Add(new ImportError((int)m.LineNumber, null, m.Reason switch
                {
                    CsvMalformedReason.UnterminatedQuote => "A quoted value is never closed: the rest of the file is read as part of it.",
                    CsvMalformedReason.TextAfterClosingQuote => "Text follows a closing quote: put the whole value inside the quotes.",
                    _ => $"The line is not valid CSV ({m.Reason}).",
                }));
            },
        };
        using var reader = CsvReader.FromText(csv, options);
        var headers = reader.Headers;
        if (headers.Count == 0)
        {
            errors.Add(new ImportError(1, null, $"The file is empty. The first line names the columns: {string.Join(",", Columns)}."));
            return null;
        }
        if (headers.Count == 1 && headers[0].Contains(';'))
        {
            errors.Add(new ImportError(1, null,
                "The columns are separated by semicolons. Save the file with commas between columns (semicolons separate roles within the roles column)."));
            return null;
        }

        // Column index → column name; names match without regard to case, spaces, hyphens and underscores.
        var byIndex = new Dictionary<int, string>();
        var unnamed = new HashSet<int>();
        for (var i = 0; i < headers.Count; i++)
        {
            var key = new string(headers[i].Where(c => c is not (' ' or '_' or '-')).ToArray());
            if (key == "") { unnamed.Add(i); continue; }
            var column = Columns.FirstOrDefault(c => string.Equals(c, key, StringComparison.OrdinalIgnoreCase));
            if (column is null)
                errors.Add(new ImportError(1, headers[i], $"Unknown column “{headers[i]}”: the columns are {string.Join(", ", Columns)}."));
            else if (byIndex.ContainsValue(column))
                errors.Add(new ImportError(1, column, $"The column {column} appears twice."));
            else byIndex[i] = column;
        }
        foreach (var required in new[] { Email, DisplayName })
            if (!byIndex.ContainsValue(required))
                errors.Add(new ImportError(1, required, $"The header has no {required} column."));
        if (errors.Count > 0) return null;

        var rows = new List<Row>();
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            var cells = new Dictionary<string, string>();
            var anything = false;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetString(i).Trim();
                anything |= value != "";
                if (byIndex.TryGetValue(i, out var column)) cells[column] = value;
                else if (value != "")
                    errors.Add(new ImportError(line, null, unnamed.Contains(i)
                        ? $"Column {i + 1} has a value (“{Clip(value)}”) but no name in the header."
                        : $"The line has {reader.FieldCount} values but the header names only {headers.Count} columns."));
            }
            // Excel leaves lines of commas below the data.
            if (!anything) continue;
            // A short line leaves its last columns out: they are empty, not "unchanged".
            foreach (var column in byIndex.Values) cells.TryAdd(column, "");
            rows.Add(new Row(line, cells));
        }
        if (rows.Count == 0 && errors.Count == 0)
            errors.Add(new ImportError(1, null, "The file has a header but no people below it."));
        return rows;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..39] + "…";

    // ---- checking every row against the database and the rest of the file --------------------------

    private sealed class Plan
    {
        public required Row Row { get; init; }
        public required string Email { get; init; }
        public required string Key { get; init; }
        public required Guid Id { get; init; }
        public Person? Existing { get; init; }
        public IReadOnlyList<string> ExistingRoles { get; init; } = [];
        public string DisplayName { get; set; } = "";
        public IReadOnlyList<string> Roles { get; set; } = [];
        /// <summary>Normalised email of the manager the row asks for; null for none. Only read when the column is present.</summary>
        public string? ManagerKey { get; set; }
        public Guid? ManagerId { get; set; }
        public string TimeZone { get; set; } = PersonRules.DefaultTimeZone;
        public CheckedProfile? Leader { get; set; }
        public Dictionary<string, FieldChange> Changes { get; } = new();
        public bool Failed { get; set; }
    }

    private sealed record CheckedProfile(Level CurrentLevel, Level TargetLevel, Guid? CohortId, string? CohortName, string HomeDepartment, DateOnly? ProgrammeStart);

    private sealed record Node(Guid? ManagerId, string Email, bool IsActive);

    private async Task<List<Plan>> PlanAsync(List<Row> rows, ClaimsPrincipal caller, List<ImportError> errors, CancellationToken ct)
    {
        void Error(Row row, string? column, string? message)
        {
            if (message is not null) errors.Add(new ImportError(row.Line, column, message));
        }

        string Normalize(string email) => people.NormalizeEmail(email);

        // Everyone the file names, as themself or as a manager, in one query each.
        var keys = rows.SelectMany(r => new[] { r[Email], r[ManagerEmail] })
            .Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => Normalize(e!.Trim())).Distinct().ToList();
        var existing = await db.Users.Include(p => p.LeaderProfile)
            .Where(p => keys.Contains(p.NormalizedEmail!)).ToDictionaryAsync(p => p.NormalizedEmail!, ct);
        var existingIds = existing.Values.Select(p => p.Id).ToList();
        var roleIds = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var grants = await db.UserRoles.Where(ur => existingIds.Contains(ur.UserId)).ToListAsync(ct);
        var roleNames = roleIds.ToDictionary(r => r.Value, r => r.Key);
        var rolesOf = grants.ToLookup(g => g.UserId, g => roleNames[g.RoleId]);
        var cohorts = await db.Cohorts.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        // The whole manager graph (two ids per person), to find loops that run through people outside the file.
        var graph = await db.Users.AsNoTracking()
            .Select(p => new { p.Id, p.ManagerId, p.Email, p.IsActive })
            .ToDictionaryAsync(p => p.Id, p => new Node(p.ManagerId, p.Email ?? "", p.IsActive), ct);
        var adminRole = roleIds[Roles.Admin];
        // Admins who can sign in: active, with a password. Admins an import creates have none yet.
        var activeAdmins = await db.UserRoles.AsNoTracking()
            .Where(ur => ur.RoleId == adminRole && db.Users.Any(p => p.Id == ur.UserId && p.IsActive && p.PasswordHash != null))
            .Select(ur => ur.UserId).ToListAsync(ct);
        var callerIsAdmin = caller.IsInRole(Roles.Admin);

        var plans = new List<Plan>();
        var byKey = new Dictionary<string, Plan>();
        foreach (var row in rows)
        {
            var (email, emailError) = PersonRules.Email(row[Email]);
            Error(row, Email, emailError);
            var key = email is null ? null : Normalize(email);
            if (key is not null && byKey.TryGetValue(key, out var first))
            {
                Error(row, Email, $"{email} is also on line {first.Row.Line}: each person appears once in a file.");
                key = null;
            }
            var person = key is null ? null : existing.GetValueOrDefault(key);
            var plan = new Plan
            {
                Row = row, Email = email ?? row[Email] ?? "", Key = key ?? $"line:{row.Line}",
                Id = person?.Id ?? Guid.CreateVersion7(), Existing = person,
                ExistingRoles = person is null ? [] : Roles.All.Where(rolesOf[person.Id].Contains).ToList(),
                Failed = key is null,
            };
            plans.Add(plan);
            if (key is not null) byKey[key] = plan;

            var (name, nameError) = PersonRules.DisplayName(row[DisplayName]);
            Error(row, DisplayName, nameError);
            plan.DisplayName = name ?? "";

            if (row.Has(RolesColumn))
            {
                var (roles, rolesError) = PersonRules.RoleNames(row[RolesColumn]!.Split([';', ',']));
                Error(row, RolesColumn, rolesError);
                plan.Roles = roles;
            }
            else plan.Roles = plan.ExistingRoles;

            if (row.Has(TimeZone))
            {
                var (zone, zoneError) = PersonRules.TimeZone(row[TimeZone]);
                Error(row, TimeZone, zoneError);
                plan.TimeZone = zone ?? PersonRules.DefaultTimeZone;
            }
            else plan.TimeZone = person?.TimeZone ?? PersonRules.DefaultTimeZone;

            if (row.Has(ManagerEmail) && row[ManagerEmail] != "")
            {
                var (managerEmail, managerError) = PersonRules.Email(row[ManagerEmail]);
                Error(row, ManagerEmail, managerError is null ? null : $"The manager's email: {managerError}");
                plan.ManagerKey = managerEmail is null ? null : Normalize(managerEmail);
            }

            // The profile: needed by a Leader, or when the row fills any of its columns.
            var profile = person?.LeaderProfile;
            var needed = plan.Roles.Contains(Roles.Leader) || LeaderColumns.Any(c => !string.IsNullOrEmpty(row[c]));
            if (needed)
            {
                Level? LevelCell(string column, string what)
                {
                    if (!row.Has(column))
                    {
                        var stored = column == CurrentLevel ? profile?.CurrentLevel : profile?.TargetLevel;
                        if (stored is null) Error(row, column, $"A leader needs a {what}: add a {column} column.");
                        return stored;
                    }
                    var (level, levelError) = PersonRules.LevelName(row[column], what);
                    Error(row, column, levelError is not null && row[column] == ""
                        ? $"A leader needs a {what}: one of {string.Join(", ", Enum.GetNames<Level>())}." : levelError);
                    return level;
                }
                var current = LevelCell(CurrentLevel, "current level");
                var target = LevelCell(TargetLevel, "target level");
                if (current is { } c && target is { } t) Error(row, TargetLevel, PersonRules.LevelOrder(c, t));

                Guid? cohortId = profile?.CohortId;
                var cohortName = cohorts.FirstOrDefault(x => x.Id == cohortId)?.Name;
                if (row.Has(Cohort))
                {
                    cohortId = null;
                    cohortName = null;
                    if (row[Cohort] != "")
                    {
                        var cohort = cohorts.FirstOrDefault(x => string.Equals(x.Name, row[Cohort], StringComparison.OrdinalIgnoreCase));
                        if (cohort is null)
                            Error(row, Cohort, $"There is no cohort called “{row[Cohort]}”" + (cohorts.Count == 0 ? ": no cohorts exist yet." :
                                $": the cohorts are {string.Join(", ", cohorts.Select(x => x.Name).Order().Take(20))}{(cohorts.Count > 20 ? "…" : ".")}"));
                        cohortId = cohort?.Id;
                        cohortName = cohort?.Name;
                    }
                }
                var department = profile?.HomeDepartment ?? "";
                if (row.Has(HomeDepartment))
                {
                    var (value, departmentError) = PersonRules.HomeDepartment(row[HomeDepartment]);
                    Error(row, HomeDepartment, departmentError);
                    department = value;
                }
                var start = profile?.ProgrammeStart;
                if (row.Has(ProgrammeStart))
                {
                    var (value, dateError) = PersonRules.Date(row[ProgrammeStart]);
                    Error(row, ProgrammeStart, dateError);
                    start = value;
                }
                if (current is not null && target is not null)
                    plan.Leader = new CheckedProfile(current.Value, target.Value, cohortId, cohortName, department, start);
            }
        }

        // Managers, once every row is known: a manager may be added anywhere in the same file.
        foreach (var plan in plans.Where(p => p.Row.Has(ManagerEmail)))
        {
            var row = plan.Row;
            if (plan.ManagerKey is not { } managerKey) { plan.ManagerId = null; continue; }
            if (managerKey == plan.Key)
                Error(row, ManagerEmail, "A person cannot be their own manager.");
            else if (byKey.TryGetValue(managerKey, out var inFile))
            {
                plan.ManagerId = inFile.Id;
                if (inFile.Existing is { IsActive: false } && inFile.Id != plan.Existing?.ManagerId)
                    Error(row, ManagerEmail, $"{inFile.Email} is deactivated and cannot be a manager.");
            }
            else if (existing.TryGetValue(managerKey, out var stored))
            {
                plan.ManagerId = stored.Id;
                if (!stored.IsActive && stored.Id != plan.Existing?.ManagerId)
                    Error(row, ManagerEmail, $"{stored.Email} is deactivated and cannot be a manager.");
            }
            else Error(row, ManagerEmail, $"No one has the email {row[ManagerEmail]}, and no line of this file adds them.");
        }

        // Loops, in the manager graph as it would be after the import.
        foreach (var plan in plans)
            graph[plan.Id] = new Node(plan.Row.Has(ManagerEmail) ? plan.ManagerId : plan.Existing?.ManagerId, plan.Email, true);
        foreach (var plan in plans.Where(p => p.ManagerId is not null))
        {
            var chain = new List<string> { plan.Email };
            var seen = new HashSet<Guid>();
            for (var at = plan.ManagerId; at is { } id && seen.Add(id); at = graph.GetValueOrDefault(id)?.ManagerId)
            {
                chain.Add(graph.GetValueOrDefault(id)?.Email ?? id.ToString());
                if (id != plan.Id) continue;
                Error(plan.Row, ManagerEmail, $"These managers make a loop: {string.Join(" → ", chain)} (→ means “reports to”).");
                break;
            }
        }

        // Admins: only an Admin hands out the role or changes an Admin; someone active keeps it.
        foreach (var plan in plans)
        {
            var wasAdmin = plan.ExistingRoles.Contains(Roles.Admin);
            var isAdmin = plan.Roles.Contains(Roles.Admin);
            if (!callerIsAdmin && isAdmin && !wasAdmin)
                Error(plan.Row, RolesColumn, "Only an Admin can give someone the Admin role.");
        }
        var remainingAdmins = activeAdmins
            .Count(id => plans.FirstOrDefault(p => p.Existing?.Id == id) is not { } p || p.Roles.Contains(Roles.Admin));
        if (remainingAdmins == 0)
            foreach (var plan in plans.Where(p => p.ExistingRoles.Contains(Roles.Admin) && !p.Roles.Contains(Roles.Admin) && p.Existing!.IsActive))
                Error(plan.Row, RolesColumn, $"{plan.Email} is the only active Admin who can sign in. Make someone else an Admin first.");

        // What would change for the people who exist.
        foreach (var plan in plans.Where(p => p.Existing is not null))
        {
            var person = plan.Existing!;
            void Diff(string column, object? from, object? to)
            {
                if (!Equals(from, to)) plan.Changes[column] = new FieldChange(from, to);
            }
            Diff(DisplayName, person.DisplayName, plan.DisplayName);
            if (!plan.ExistingRoles.SequenceEqual(plan.Roles)) plan.Changes[RolesColumn] = new FieldChange(plan.ExistingRoles, plan.Roles);
            if (plan.Row.Has(ManagerEmail))
                Diff(ManagerEmail, EmailOf(person.ManagerId), EmailOf(plan.ManagerId));
            Diff(TimeZone, person.TimeZone, plan.TimeZone);
            if (plan.Leader is { } l)
            {
                var p = person.LeaderProfile;
                Diff(CurrentLevel, p?.CurrentLevel.ToString(), l.CurrentLevel.ToString());
                Diff(TargetLevel, p?.TargetLevel.ToString(), l.TargetLevel.ToString());
                Diff(Cohort, CohortName(p?.CohortId), l.CohortName);
                Diff(HomeDepartment, p?.HomeDepartment, l.HomeDepartment);
                Diff(ProgrammeStart, p?.ProgrammeStart?.ToString("yyyy-MM-dd"), l.ProgrammeStart?.ToString("yyyy-MM-dd"));
            }
            if (plan.Changes.Count > 0 && !callerIsAdmin && plan.ExistingRoles.Contains(Roles.Admin))
                Error(plan.Row, null, $"{plan.Email} is an Admin: only an Admin can change their account.");
        }

        errors.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : ColumnOrder(a.Column).CompareTo(ColumnOrder(b.Column)));
        return plans;

        string? EmailOf(Guid? id) => id is { } g ? graph.GetValueOrDefault(g)?.Email : null;
        string? CohortName(Guid? id) => id is { } g ? cohorts.FirstOrDefault(c => c.Id == g)?.Name : null;
    }

    private static int ColumnOrder(string? column) => column is null ? -1 : Columns.ToList().IndexOf(column) is var i and >= 0 ? i : Columns.Count;

    // ---- writing -----------------------------------------------------------------------------------

    /// <remarks>
    /// One SaveChanges for the whole file. UserManager.CreateAsync saves one person per call, and every save
    /// walks the whole change tracker (and the audit interceptor with it): 5,000 rows took over ten minutes.
    /// So new people get here the same Identity fields that CreateAsync gives them (normalised names, stamps,
    /// lockout), after the same checks as PersonRules and Identity's user validator make.
    /// </remarks>
    private async Task WriteAsync(List<Plan> plans, CancellationToken ct)
    {
        // Tracked, so that the audit trail names the roles of the grants without a query each.
        var roleIds = (await db.Roles.ToListAsync(ct)).ToDictionary(r => r.Name!, r => r.Id);
        var now = clock.GetUtcNow();
        var lockout = people.SupportsUserLockout && people.Options.Lockout.AllowedForNewUsers;
        // The grants of everyone whose roles change, in one query: a removal is then a lookup, not a query.
        var regranted = plans.Where(p => p.Existing is not null && p.Changes.ContainsKey(RolesColumn)).Select(p => p.Existing!.Id).ToList();
        var grants = regranted.Count == 0 ? [] : await db.UserRoles.Where(ur => regranted.Contains(ur.UserId)).ToListAsync(ct);

        foreach (var plan in plans.Where(p => p.Existing is null))
        {
            db.Users.Add(new Person
            {
                Id = plan.Id, UserName = plan.Email, NormalizedUserName = people.NormalizeName(plan.Email),
                Email = plan.Email, NormalizedEmail = people.NormalizeEmail(plan.Email), EmailConfirmed = false,
                SecurityStamp = NewStamp(), ConcurrencyStamp = Guid.NewGuid().ToString(), LockoutEnabled = lockout,
                DisplayName = plan.DisplayName, TimeZone = plan.TimeZone, ManagerId = plan.ManagerId, CreatedAt = now,
            });
            foreach (var role in plan.Roles) db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = plan.Id, RoleId = roleIds[role] });
            accountEmails.QueueInvitation(plan.Id, plan.Email);
            if (plan.Leader is { } l)
                db.LeaderProfiles.Add(new LeaderProfile
                {
                    PersonId = plan.Id, CurrentLevel = l.CurrentLevel, TargetLevel = l.TargetLevel, CohortId = l.CohortId,
                    HomeDepartment = l.HomeDepartment, ProgrammeStart = l.ProgrammeStart,
                });
        }

        foreach (var plan in plans.Where(p => p.Existing is not null && p.Changes.Count > 0))
        {
            var person = plan.Existing!;
            person.DisplayName = plan.DisplayName;
            person.TimeZone = plan.TimeZone;
            if (plan.Row.Has(ManagerEmail)) person.ManagerId = plan.ManagerId;
            // As Identity does on every update: the stamp is the version that edits elsewhere compare with.
            person.ConcurrencyStamp = Guid.NewGuid().ToString();
            if (plan.Changes.ContainsKey(RolesColumn))
            {
                foreach (var role in plan.ExistingRoles.Except(plan.Roles))
                    db.UserRoles.Remove(grants.Single(ur => ur.UserId == person.Id && ur.RoleId == roleIds[role]));
                foreach (var role in plan.Roles.Except(plan.ExistingRoles))
                    db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = person.Id, RoleId = roleIds[role] });
                // A removed role must not live on in their cookie or bearer token.
                person.SecurityStamp = NewStamp();
            }
            if (plan.Leader is { } l)
            {
                var profile = person.LeaderProfile;
                if (profile is null) db.LeaderProfiles.Add(profile = new LeaderProfile { PersonId = person.Id });
                profile.CurrentLevel = l.CurrentLevel;
                profile.TargetLevel = l.TargetLevel;
                profile.CohortId = l.CohortId;
                profile.HomeDepartment = l.HomeDepartment;
                profile.ProgrammeStart = l.ProgrammeStart;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A random security stamp, as Identity makes them (20 random bytes).</summary>
    private static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    /// <summary>The preview: rows with errors appear only among the errors.</summary>
    private static ImportReport Report(bool dryRun, bool committed, List<Plan> plans, List<ImportError> errors)
    {
        var bad = errors.Select(e => e.Line).ToHashSet();
        var good = plans.Where(p => !p.Failed && !bad.Contains(p.Row.Line)).ToList();
        var creates = good.Where(p => p.Existing is null).Select(p => new ImportCreate(
            p.Row.Line, p.Email, p.DisplayName, p.Roles, p.ManagerKey is null ? null : p.Row[ManagerEmail], p.TimeZone,
            p.Leader is { } l ? new ImportLeader(l.CurrentLevel, l.TargetLevel, l.CohortName, l.HomeDepartment, l.ProgrammeStart) : null))
            .ToList();
        var updates = good.Where(p => p.Existing is not null && p.Changes.Count > 0)
            .Select(p => new ImportUpdate(p.Row.Line, p.Existing!.Id, p.Existing.Email ?? p.Email, p.DisplayName, p.Changes)).ToList();
        var unchanged = good.Count(p => p.Existing is not null && p.Changes.Count == 0);
        return new ImportReport(dryRun, committed, creates, updates, unchanged, errors);
    }
}
