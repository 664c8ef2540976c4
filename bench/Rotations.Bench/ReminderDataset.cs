using Npgsql;
using NpgsqlTypes;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.Reminders;

namespace Rotations.Bench;

/// <summary>One person of the generated programme.</summary>
public sealed record BenchPerson(Guid Id, string Name, string Email, string TimeZone, bool IsActive, Guid? ManagerId, Guid RoleId);

/// <summary>One generated stint, with what the reminder rules need to know about it.</summary>
public sealed record BenchStint(Guid Id, Guid LeaderId, Guid TourId, Guid? HostId, DateOnly Start, DateOnly End, bool Cancelled, bool ReflectionSubmitted);

/// <summary>A notification key and whether it is (expected to be) a dropped record rather than an inbox item.</summary>
public readonly record struct NotificationKey(NotificationKind Kind, Guid RecipientId, Guid StintId, DateOnly Occurrence);

/// <summary>
/// A programme of <c>stints</c> leaders, each with one stint placed so that at <see cref="Day"/> (the UTC date of
/// the cold sweep) it has reminders due (in Tokyo and Sydney it is already tomorrow at the sweep instant, so some
/// of theirs are due but dropped, as a first sweep after installation drops them): starting tomorrow or in 14 days, starting today, at its midpoint,
/// ending today, ended 7 or 14 days ago. Hosts and managers share out the stints; people live in seven time
/// zones; a few stints are cancelled, a few leaders deactivated, some reflections submitted, some people
/// have turned one kind of email off. Deterministic for a given size, so runs compare.
/// </summary>
public sealed class ReminderDataset
{
    public static readonly string[] Zones =
        ["Europe/London", "America/New_York", "Asia/Tokyo", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney"];

    // The eleven tours migration 0002 seeds.
    private static readonly Guid[] Tours = Enumerable.Range(1, 11).Select(i => Guid.Parse($"00000000-0000-0000-0000-0000000b{i:0000}")).ToArray();
    private static readonly Guid ManagerRole = Guid.Parse("00000000-0000-0000-0000-00000000a003");
    private static readonly Guid LeaderRole = Guid.Parse("00000000-0000-0000-0000-00000000a004");
    private static readonly Guid HostRole = Guid.Parse("00000000-0000-0000-0000-00000000a005");

    public DateOnly Day { get; }
    public List<BenchPerson> People { get; } = [];
    public List<BenchStint> Stints { get; } = [];
    public HashSet<(Guid PersonId, NotificationKind Kind)> OptOuts { get; } = [];
    private readonly Dictionary<Guid, BenchPerson> byId = [];

    public ReminderDataset(int stints, DateOnly day)
    {
        Day = day;
        var random = new Random(stints);
        Guid NewId() { Span<byte> b = stackalloc byte[16]; random.NextBytes(b); return new Guid(b); }
        BenchPerson Add(string role, int i, Guid roleId, Guid? manager, bool active = true)
        {
            var name = $"{role} {i:00000}";
            var p = new BenchPerson(NewId(), name, $"{role.ToLowerInvariant()}.{i:00000}@bench.example", Zones[(i / 7 + role.Length) % Zones.Length], active, manager, roleId);
            People.Add(p);
            byId[p.Id] = p;
            return p;
        }

        var managers = Enumerable.Range(0, Math.Max(1, stints / 20)).Select(i => Add("Manager", i, ManagerRole, null)).ToArray();
        var hosts = Enumerable.Range(0, Math.Max(1, stints / 10)).Select(i => Add("Host", i, HostRole, null)).ToArray();
        for (var i = 0; i < stints; i++)
        {
            var leader = Add("Leader", i, LeaderRole, i % 20 == 0 ? null : managers[i % managers.Length].Id, active: i % 100 != 3);
            var scenario = i % 7;
            var weeks = scenario == 3 ? 4 + i % 9 : 2 + i % 11;
            var days = weeks * 7;
            var start = scenario switch
            {
                0 => day.AddDays(1),
                1 => day.AddDays(14),
                2 => day,
                3 => day.AddDays(-((days - 1) / 2)),
                4 => day.AddDays(1 - days),
                5 => day.AddDays(-7 + 1 - days),
                _ => day.AddDays(-14 + 1 - days),
            };
            var host = i % 10 == 0 ? null : hosts[i % hosts.Length];
            Stints.Add(new BenchStint(NewId(), leader.Id, Tours[i % Tours.Length], host?.Id, start, start.AddDays(days - 1),
                Cancelled: i % 50 == 7, ReflectionSubmitted: scenario >= 5 && i % 3 == 0 && host is not null));
        }
        var kinds = Enum.GetValues<NotificationKind>();
        for (var p = 0; p < People.Count; p += 20)
            OptOuts.Add((People[p].Id, kinds[p / 20 % 7]));
    }

    /// <summary>
    /// Every notification the reminder table calls for by <paramref name="now"/> (and whether it is a dropped
    /// record), from the pure rules: the sweep must write exactly these, whatever its queries do.
    /// </summary>
    public Dictionary<NotificationKey, bool> Expected(DateTimeOffset now, ReminderSettings settings)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = today.AddDays(-ReminderRules.LookbackDays);
        var last = today.AddDays(2);
        var expected = new Dictionary<NotificationKey, bool>();
        Recipient R(Guid id) => new(id, byId[id].TimeZone, byId[id].IsActive);
        foreach (var s in Stints.Where(s => !s.Cancelled))
        {
            var leader = byId[s.LeaderId];
            var stint = new StintForReminders(s.Id, s.Start, s.End, R(leader.Id),
                s.HostId is { } h ? R(h) : null, leader.ManagerId is { } m ? R(m) : null, s.ReflectionSubmitted);
            foreach (var c in ReminderRules.For(stint, settings))
            {
                if (!c.Recipient.IsActive || c.DueOn < first || c.DueOn > last) continue;
                var zone = LocalTime.Zone(c.Recipient.TimeZone);
                if (LocalTime.At(c.DueOn, settings.SendHour, zone) > now) continue;
                var why = ReminderRules.WhyDrop(c, stint, LocalTime.Today(now, zone), settings);
                expected[new NotificationKey(c.Kind, c.Recipient.Id, c.StintId, c.Anchor)] = why is not null;
            }
        }
        return expected;
    }

    public bool WantsEmail(NotificationKey key) => !OptOuts.Contains((key.RecipientId, key.Kind));

    /// <summary>Writes the programme with binary COPY: seconds for tens of thousands of rows, not the minutes inserts would take.</summary>
    public async Task LoadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var people = await connection.BeginBinaryImportAsync(
            "copy people (id, display_name, time_zone, is_active, user_name, normalized_user_name, email, normalized_email, " +
            "email_confirmed, security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, " +
            "access_failed_count, manager_id) from stdin (format binary)"))
        {
            foreach (var p in People)
            {
                await people.StartRowAsync();
                await people.WriteAsync(p.Id, NpgsqlDbType.Uuid);
                await people.WriteAsync(p.Name, NpgsqlDbType.Varchar);
                await people.WriteAsync(p.TimeZone, NpgsqlDbType.Varchar);
                await people.WriteAsync(p.IsActive, NpgsqlDbType.Boolean);
                await people.WriteAsync(p.Email, NpgsqlDbType.Varchar);
                await people.WriteAsync(p.Email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await people.WriteAsync(p.Email, NpgsqlDbType.Varchar);
                await people.WriteAsync(p.Email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await people.WriteAsync(true, NpgsqlDbType.Boolean);
                await people.WriteAsync(Guid.NewGuid().ToString("N").ToUpperInvariant(), NpgsqlDbType.Text);
                await people.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await people.WriteAsync(false, NpgsqlDbType.Boolean);
                await people.WriteAsync(false, NpgsqlDbType.Boolean);
                await people.WriteAsync(true, NpgsqlDbType.Boolean);
                await people.WriteAsync(0, NpgsqlDbType.Integer);
                if (p.ManagerId is { } m) await people.WriteAsync(m, NpgsqlDbType.Uuid); else await people.WriteNullAsync();
            }
            await people.CompleteAsync();
        }
        await using (var roles = await connection.BeginBinaryImportAsync("copy person_roles (user_id, role_id) from stdin (format binary)"))
        {
            foreach (var p in People)
            {
                await roles.StartRowAsync();
                await roles.WriteAsync(p.Id, NpgsqlDbType.Uuid);
                await roles.WriteAsync(p.RoleId, NpgsqlDbType.Uuid);
            }
            await roles.CompleteAsync();
        }
        var cancelledAt = Day.AddDays(-40).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using (var stints = await connection.BeginBinaryImportAsync(
            "copy stints (id, leader_id, tour_id, host_id, start_date, end_date, kind, objectives, cancelled_at, cancel_reason) from stdin (format binary)"))
        {
            foreach (var s in Stints)
            {
                await stints.StartRowAsync();
                await stints.WriteAsync(s.Id, NpgsqlDbType.Uuid);
                await stints.WriteAsync(s.LeaderId, NpgsqlDbType.Uuid);
                await stints.WriteAsync(s.TourId, NpgsqlDbType.Uuid);
                if (s.HostId is { } h) await stints.WriteAsync(h, NpgsqlDbType.Uuid); else await stints.WriteNullAsync();
                await stints.WriteAsync(s.Start, NpgsqlDbType.Date);
                await stints.WriteAsync(s.End, NpgsqlDbType.Date);
                await stints.WriteAsync(s.End.DayNumber - s.Start.DayNumber < 42 ? "Orientation" : "Assignment", NpgsqlDbType.Varchar);
                await stints.WriteAsync("Listen to twenty customer calls and write down what surprised you.", NpgsqlDbType.Text);
                if (s.Cancelled)
                {
                    await stints.WriteAsync(cancelledAt, NpgsqlDbType.TimestampTz);
                    await stints.WriteAsync("Moved to next year's cohort.", NpgsqlDbType.Varchar);
                }
                else
                {
                    await stints.WriteNullAsync();
                    await stints.WriteNullAsync();
                }
            }
            await stints.CompleteAsync();
        }
        // A submitted reflection as migration 0007 has it: a revision, its due date, on time, and its four texts.
        await using (var reflections = await connection.BeginBinaryImportAsync(
            "copy reflections (stint_id, submitted_at, revision, due_on, on_time, customer_side, inside_out, people_met, friction_and_ideas, search_extra) " +
            "from stdin (format binary)"))
        {
            foreach (var s in Stints.Where(s => s.ReflectionSubmitted))
            {
                await reflections.StartRowAsync();
                await reflections.WriteAsync(s.Id, NpgsqlDbType.Uuid);
                await reflections.WriteAsync(s.End.ToDateTime(new TimeOnly(16, 0), DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                await reflections.WriteAsync(1, NpgsqlDbType.Integer);
                await reflections.WriteAsync(s.End.AddDays(7), NpgsqlDbType.Date);
                await reflections.WriteAsync(true, NpgsqlDbType.Boolean);
                foreach (var text in new[] { "What the customer saw.", "How the work is done.", "The team.", "One idea.", "" })
                    await reflections.WriteAsync(text, NpgsqlDbType.Text);
            }
            await reflections.CompleteAsync();
        }
        await using (var optOuts = await connection.BeginBinaryImportAsync("copy email_opt_outs (person_id, kind) from stdin (format binary)"))
        {
            foreach (var (person, kind) in OptOuts)
            {
                await optOuts.StartRowAsync();
                await optOuts.WriteAsync(person, NpgsqlDbType.Uuid);
                await optOuts.WriteAsync(kind.ToString(), NpgsqlDbType.Varchar);
            }
            await optOuts.CompleteAsync();
        }
        // Fresh statistics, as autovacuum would have them on a database that has lived a while.
        await using var analyze = new NpgsqlCommand("analyze", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync();
    }
}
