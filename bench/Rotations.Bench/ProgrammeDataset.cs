using Npgsql;
using NpgsqlTypes;
using Rotations.Web.Features.Notifications;

namespace Rotations.Bench;

/// <summary>
/// A company-sized programme, generated from a seed: HR, managers (one per eight leaders), hosts (one per twenty
/// leaders, spread over the eleven tours), leaders in five yearly cohorts, five years of stints (from four years ago
/// to a year ahead) that never overlap for a leader and never exceed a tour's capacity on any day, reflections and
/// host feedback for most completed stints, readiness reviews, and the inbox notifications the reminders would have
/// written. The newest cohort (500 leaders, starting next month, nothing booked yet) is the one the planner plans.
/// Everything is derived from the seed and <see cref="Today"/>: the same pair gives the same rows, byte for byte.
/// </summary>
public sealed class ProgrammeDataset
{
    public const int PlanCohortSize = 500;
    public const string Password = "Bench-password-1";

    public static readonly Guid[] Tours = Enumerable.Range(1, 11).Select(i => Guid.Parse($"00000000-0000-0000-0000-0000000b{i:0000}")).ToArray();
    public static readonly Guid ExecTour = Tours[10];
    private static readonly Guid[] Competencies = Enumerable.Range(1, 10).Select(i => Guid.Parse($"00000000-0000-0000-0000-0000000c{i:0000}")).ToArray();
    private static readonly Guid HrRole = Guid.Parse("00000000-0000-0000-0000-00000000a002");
    private static readonly Guid ManagerRole = Guid.Parse("00000000-0000-0000-0000-00000000a003");
    private static readonly Guid LeaderRole = Guid.Parse("00000000-0000-0000-0000-00000000a004");
    private static readonly Guid HostRole = Guid.Parse("00000000-0000-0000-0000-00000000a005");
    private static readonly string[] Bands = ["ReadyNow", "Ready1To2Years", "Ready3PlusYears", "NotYet"];
    private static readonly string[] BandLabels = ["Ready now", "Ready in 1–2 years", "Ready in 3+ years", "Not yet"];
    private static readonly string[] Targets = ["HeadOf", "HeadOf", "Director", "Director", "VP", "CCO"];
    private static readonly string[] Departments = ["Customer care", "Operations", "Finance", "IT", "Sales", "Marketing", "Logistics"];

    public sealed record Person(Guid Id, string Name, string Email, string TimeZone, Guid RoleId, Guid? ManagerId, string Stamp);
    public sealed record Cohort(Guid Id, string Name, DateOnly Start, DateOnly End);
    public sealed record Profile(Guid PersonId, string Current, string Target, Guid CohortId, string Department, DateOnly Start);
    public sealed record Stint(Guid Id, Guid LeaderId, int Tour, Guid? HostId, DateOnly Start, DateOnly End, bool Assignment, bool Cancelled);
    public sealed record Reflection(Guid StintId, DateTimeOffset SubmittedAt, DateOnly DueOn, bool OnTime, Guid[] Competencies);
    public sealed record HostFeedback(Guid StintId, Guid AuthorId, int[] Ratings, DateTimeOffset SubmittedAt);
    public sealed record Review(Guid Id, Guid LeaderId, string Level, Guid AuthorId, int Band, DateTimeOffset SubmittedAt, int[] Ratings);
    public sealed record Note(Guid Id, Guid RecipientId, NotificationKind Kind, Guid StintId, DateOnly Occurrence, DateTimeOffset At, bool Read);

    public int Seed { get; }
    public DateOnly Today { get; }
    public int Capacity { get; }
    public List<Person> People { get; } = [];
    public List<Person> Hr { get; } = [];
    public List<Person> Leaders { get; } = [];
    public List<Person> Managers { get; } = [];
    public List<Cohort> Cohorts { get; } = [];
    public List<Profile> Profiles { get; } = [];
    public Dictionary<int, List<Guid>> HostsOfTour { get; } = [];
    public List<Stint> Stints { get; } = [];
    public List<Reflection> Reflections { get; } = [];
    public List<HostFeedback> Feedback { get; } = [];
    public List<Review> Reviews { get; } = [];
    public List<Note> Notes { get; } = [];

    /// <summary>The cohort the reads look at (the one a year into the programme) and the one the planner plans.</summary>
    public Cohort BoardCohort => Cohorts[3];
    public Cohort PlanCohort => Cohorts[4];

    public ProgrammeDataset(int leaders, int seed, DateOnly today)
    {
        if (leaders < PlanCohortSize + 40) throw new BenchException($"--leaders: at least {PlanCohortSize + 40} (the planner's cohort alone is {PlanCohortSize}).");
        Seed = seed;
        Today = today;
        var random = new Random(seed);
        Guid NewId() { Span<byte> b = stackalloc byte[16]; random.NextBytes(b); b[7] = (byte)(b[7] & 0x0F | 0x40); b[8] = (byte)(b[8] & 0x3F | 0x80); return new Guid(b); }
        string Stamp() => NewId().ToString("N").ToUpperInvariant();
        Person Add(List<Person> into, string role, int i, Guid roleId, Guid? manager)
        {
            var p = new Person(NewId(), $"{role} {i:00000}", $"{role.ToLowerInvariant()}.{i:00000}@bench.example",
                ReminderDataset.Zones[i % ReminderDataset.Zones.Length], roleId, manager, Stamp());
            People.Add(p);
            into.Add(p);
            return p;
        }

        // Capacity scales with the programme, as a company of this size would staff its host departments.
        Capacity = Math.Max(3, leaders / 80);
        for (var i = 0; i < 3; i++) Add(Hr, "HR", i, HrRole, null);
        for (var i = 0; i < Math.Max(5, leaders / 8); i++) Add(Managers, "Manager", i, ManagerRole, null);
        var hosts = new List<Person>();
        for (var i = 0; i < Math.Max(22, leaders / 20); i++)
        {
            var h = Add(hosts, "Host", i, HostRole, null);
            (HostsOfTour.TryGetValue(i % 11, out var list) ? list : HostsOfTour[i % 11] = []).Add(h.Id);
        }

        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var older = (leaders - PlanCohortSize) / 4;
        for (var k = 0; k < 5; k++)
        {
            var start = k < 4 ? monday.AddDays(-7 * 52 * (4 - k)) : monday.AddDays(28);
            Cohorts.Add(new Cohort(NewId(), $"Bench cohort {start.Year}-{k + 1}", start, start.AddDays(7 * 52 * 3 - 1)));
        }
        for (var i = 0; i < leaders; i++)
        {
            var k = i < 4 * older ? i / older : 4;
            var leader = Add(Leaders, "Leader", i, LeaderRole, Managers[i % Managers.Count].Id);
            Profiles.Add(new Profile(leader.Id, "Manager", Targets[i % Targets.Length], Cohorts[k].Id, Departments[i % Departments.Length], Cohorts[k].Start));
        }

        // Stints, leader by leader in cohort order, each placed at the first week where its tour has a seat every day.
        var first = monday.AddDays(-7 * 52 * 4 - 7);
        var last = monday.AddDays(7 * 53 + 14 * 7);
        var occupancy = new int[11, last.DayNumber - first.DayNumber + 1];
        bool Fits(int tour, DateOnly s, DateOnly e)
        {
            if (s < first || e > last) return false;
            for (var d = s.DayNumber - first.DayNumber; d <= e.DayNumber - first.DayNumber; d++)
                if (occupancy[tour, d] >= Capacity) return false;
            return true;
        }
        var horizon = monday.AddDays(7 * 52);
        foreach (var profile in Profiles.Where(p => p.CohortId != PlanCohort.Id))
        {
            var cursor = profile.Start.AddDays(7 * random.Next(0, 9));
            var done = new HashSet<int>();
            var end = profile.Start.AddDays(7 * 52 * 3);
            while (cursor < horizon && cursor < end)
            {
                var tour = random.Next(10) < 7 || done.Count >= 11 ? Pick(random, done) : random.Next(11);
                var assignment = tour != 10 && random.Next(5) == 0;
                var weeks = assignment ? random.Next(8, 13) : random.Next(2, 5);
                var placed = false;
                for (var shift = 0; shift < 26 && !placed; shift++)
                {
                    var s = cursor.AddDays(7 * shift);
                    var e = s.AddDays(7 * weeks - 1);
                    if (!Fits(tour, s, e)) continue;
                    for (var d = s.DayNumber - first.DayNumber; d <= e.DayNumber - first.DayNumber; d++) occupancy[tour, d]++;
                    var hostsHere = HostsOfTour[tour];
                    Stints.Add(new Stint(NewId(), profile.PersonId, tour, random.Next(10) == 0 ? null : hostsHere[random.Next(hostsHere.Count)],
                        s, e, assignment, Cancelled: random.Next(40) == 0));
                    done.Add(tour);
                    cursor = e.AddDays(1 + 7 * random.Next(2, 11));
                    placed = true;
                }
                if (!placed) cursor = cursor.AddDays(7 * 26);
            }
        }

        // Reflections and feedback for completed stints; the reminders that were sent for every stint begun.
        var nowish = today.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
        DateTimeOffset At(DateOnly d, int hour) => new(d.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
        var managerOf = Leaders.ToDictionary(l => l.Id, l => l.ManagerId!.Value);
        foreach (var s in Stints.Where(s => !s.Cancelled && s.Start <= today))
        {
            void Note(Guid to, NotificationKind kind, DateOnly on) =>
                Notes.Add(new Note(NewId(), to, kind, s.Id, on, At(on, 8), Read: on < today.AddDays(-21) && random.Next(10) != 0 || random.Next(3) == 0));
            Note(s.LeaderId, NotificationKind.UpcomingStint, s.Start.AddDays(-14));
            Note(s.LeaderId, NotificationKind.StintStarts, s.Start);
            if (s.HostId is { } h0) Note(h0, NotificationKind.UpcomingStint, s.Start.AddDays(-14));
            if (s.End > today) continue;
            Note(s.LeaderId, NotificationKind.ReflectionDue, s.End);
            if (s.HostId is { } h1) Note(h1, NotificationKind.FeedbackRequested, s.End);
            if (s.End >= today.AddDays(-1)) continue;
            if (random.Next(100) < 85)
            {
                var submitted = s.End.AddDays(random.Next(0, 13));
                if (submitted >= today) submitted = today.AddDays(-1);
                var competencies = Competencies.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray();
                Reflections.Add(new Reflection(s.Id, At(submitted, 15), s.End.AddDays(7), submitted <= s.End.AddDays(7), competencies));
            }
            else if (s.End < today.AddDays(-7))
                Note(s.LeaderId, NotificationKind.ReflectionOverdue, s.End);
            if (s.HostId is { } host && random.Next(100) < 75)
                Feedback.Add(new HostFeedback(s.Id, host, [random.Next(1, 5), random.Next(1, 5), random.Next(1, 5), random.Next(1, 5)],
                    At(s.End.AddDays(random.Next(0, 10)) is var d && d >= today ? today.AddDays(-1) : d, 11)));
        }

        // Readiness reviews: half the leaders of the three older cohorts, some reviewed twice (the later one counts).
        foreach (var p in Profiles.Where(p => p.Start < monday.AddDays(-7 * 52 * 1)))
        {
            if (random.Next(2) == 0) continue;
            var times = random.Next(4) == 0 ? 2 : 1;
            for (var t = 0; t < times; t++)
            {
                var on = today.AddDays(-random.Next(30, 700));
                Reviews.Add(new Review(NewId(), p.PersonId, p.Target, managerOf[p.PersonId], random.Next(4), At(on, 10).AddMinutes(t),
                    Competencies.Select(_ => random.Next(1, 5)).ToArray()));
            }
        }
        _ = nowish;
    }

    private static int Pick(Random random, HashSet<int> done)
    {
        var open = Enumerable.Range(0, 11).Where(t => !done.Contains(t)).ToList();
        return open.Count == 0 ? random.Next(11) : open[random.Next(open.Count)];
    }

    /// <summary>Binary COPY into a migrated database, with triggers off (submitted reviews are frozen once written), then analyze.</summary>
    public async Task<Dictionary<string, long>> LoadAsync(string connectionString, string passwordHash)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await Exec(connection, "set session_replication_role = replica");
        await Exec(connection, $"update tours set capacity = {Capacity}");
        await Copy(connection, "people (id, display_name, time_zone, is_active, user_name, normalized_user_name, email, normalized_email, " +
            "email_confirmed, password_hash, security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, " +
            "access_failed_count, manager_id)", People, (w, p) =>
        {
            w.Write(p.Id, NpgsqlDbType.Uuid); w.Write(p.Name, NpgsqlDbType.Varchar); w.Write(p.TimeZone, NpgsqlDbType.Varchar); w.Write(true);
            w.Write(p.Email, NpgsqlDbType.Varchar); w.Write(p.Email.ToUpperInvariant(), NpgsqlDbType.Varchar);
            w.Write(p.Email, NpgsqlDbType.Varchar); w.Write(p.Email.ToUpperInvariant(), NpgsqlDbType.Varchar); w.Write(true);
            w.Write(passwordHash, NpgsqlDbType.Text); w.Write(p.Stamp, NpgsqlDbType.Text); w.Write(p.Stamp, NpgsqlDbType.Text);
            w.Write(false); w.Write(false); w.Write(true); w.Write(0); Maybe(w, p.ManagerId);
        });
        await Copy(connection, "person_roles (user_id, role_id)", People, (w, p) => { w.Write(p.Id, NpgsqlDbType.Uuid); w.Write(p.RoleId, NpgsqlDbType.Uuid); });
        await Copy(connection, "tour_hosts (tour_id, person_id)", HostsOfTour.SelectMany(t => t.Value.Select(h => (Tour: t.Key, Host: h))).ToList(),
            (w, x) => { w.Write(Tours[x.Tour], NpgsqlDbType.Uuid); w.Write(x.Host, NpgsqlDbType.Uuid); });
        await Copy(connection, "cohorts (id, name, start_date, end_date)", Cohorts, (w, c) =>
        {
            w.Write(c.Id, NpgsqlDbType.Uuid); w.Write(c.Name, NpgsqlDbType.Varchar); w.Write(c.Start, NpgsqlDbType.Date); w.Write(c.End, NpgsqlDbType.Date);
        });
        await Copy(connection, "leader_profiles (person_id, current_level, target_level, cohort_id, home_department, programme_start)", Profiles, (w, p) =>
        {
            w.Write(p.PersonId, NpgsqlDbType.Uuid); w.Write(p.Current, NpgsqlDbType.Varchar); w.Write(p.Target, NpgsqlDbType.Varchar);
            w.Write(p.CohortId, NpgsqlDbType.Uuid); w.Write(p.Department, NpgsqlDbType.Varchar); w.Write(p.Start, NpgsqlDbType.Date);
        });
        var cancelledAt = new DateTimeOffset(Today.AddDays(-400).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await Copy(connection, "stints (id, leader_id, tour_id, host_id, start_date, end_date, kind, objectives, confirmed_at, confirmed_by_id, cancelled_at, cancel_reason)",
            Stints, (w, s) =>
            {
                w.Write(s.Id, NpgsqlDbType.Uuid); w.Write(s.LeaderId, NpgsqlDbType.Uuid); w.Write(Tours[s.Tour], NpgsqlDbType.Uuid); Maybe(w, s.HostId);
                w.Write(s.Start, NpgsqlDbType.Date); w.Write(s.End, NpgsqlDbType.Date); w.Write(s.Assignment ? "Assignment" : "Orientation", NpgsqlDbType.Varchar);
                w.Write("Listen to twenty customer calls and write down what surprised you.", NpgsqlDbType.Text);
                if (s.HostId is { } h && s.Start <= Today) { w.Write(new DateTimeOffset(s.Start.AddDays(-20).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero), NpgsqlDbType.TimestampTz); w.Write(h, NpgsqlDbType.Uuid); }
                else { w.WriteNull(); w.WriteNull(); }
                if (s.Cancelled) { w.Write(cancelledAt, NpgsqlDbType.TimestampTz); w.Write("Moved to next year.", NpgsqlDbType.Varchar); }
                else { w.WriteNull(); w.WriteNull(); }
            });
        await Copy(connection, "reflections (stint_id, created_at, submitted_at, updated_at, due_on, on_time, revision, customer_side, inside_out, people_met, friction_and_ideas, search_extra)",
            Reflections, (w, r) =>
            {
                w.Write(r.StintId, NpgsqlDbType.Uuid); w.Write(r.SubmittedAt.AddDays(-1), NpgsqlDbType.TimestampTz); w.Write(r.SubmittedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.SubmittedAt, NpgsqlDbType.TimestampTz); w.Write(r.DueOn, NpgsqlDbType.Date); w.Write(r.OnTime); w.Write(1);
                w.Write("Customers waited on hold for eleven minutes before anyone asked their name; three of them had called twice already.", NpgsqlDbType.Text);
                w.Write("The team is measured on call length, so agents close calls before the problem is solved and the customer calls back.", NpgsqlDbType.Text);
                w.Write("The team lead, two senior agents, the workforce planner.", NpgsqlDbType.Text);
                w.Write("Give agents a callback slot instead of a hold queue; measure first-contact resolution beside call length.", NpgsqlDbType.Text);
                w.Write("", NpgsqlDbType.Text);
            });
        await Copy(connection, "reflection_competencies (stint_id, competency_id, evidence)",
            Reflections.SelectMany(r => r.Competencies.Select(c => (r.StintId, c))).ToList(), (w, x) =>
            {
                w.Write(x.StintId, NpgsqlDbType.Uuid); w.Write(x.c, NpgsqlDbType.Uuid);
                w.Write("Put the number of repeat calls beside one caller's story in the team meeting; the lead changed the target that week.", NpgsqlDbType.Varchar);
            });
        await Copy(connection, "host_feedback (stint_id, author_id, engagement, curiosity, collaboration, impact, comments, created_at, updated_at, submitted_at)",
            Feedback, (w, f) =>
            {
                w.Write(f.StintId, NpgsqlDbType.Uuid); w.Write(f.AuthorId, NpgsqlDbType.Uuid);
                foreach (var r in f.Ratings) w.Write(r);
                w.Write("Asked good questions, stayed for the late shift, and wrote up what she saw for the team.", NpgsqlDbType.Text);
                w.Write(f.SubmittedAt, NpgsqlDbType.TimestampTz); w.Write(f.SubmittedAt, NpgsqlDbType.TimestampTz); w.Write(f.SubmittedAt, NpgsqlDbType.TimestampTz);
            });
        await Copy(connection, "readiness_reviews (id, leader_id, level, status, author_id, decision, decision_label, rationale, created_at, updated_at, submitted_at, submitted_by_id)",
            Reviews, (w, r) =>
            {
                w.Write(r.Id, NpgsqlDbType.Uuid); w.Write(r.LeaderId, NpgsqlDbType.Uuid); w.Write(r.Level, NpgsqlDbType.Varchar); w.Write("Submitted", NpgsqlDbType.Varchar);
                w.Write(r.AuthorId, NpgsqlDbType.Uuid); w.Write(Bands[r.Band], NpgsqlDbType.Varchar); w.Write(BandLabels[r.Band], NpgsqlDbType.Varchar);
                w.Write("Strong on the customer's side of the tours; needs the executive tour and a finance conversation before the next level.", NpgsqlDbType.Text);
                w.Write(r.SubmittedAt.AddDays(-3), NpgsqlDbType.TimestampTz); w.Write(r.SubmittedAt, NpgsqlDbType.TimestampTz);
                w.Write(r.SubmittedAt, NpgsqlDbType.TimestampTz); w.Write(r.AuthorId, NpgsqlDbType.Uuid);
            });
        await Copy(connection, "review_ratings (review_id, competency_id, rating, comment)",
            Reviews.SelectMany(r => r.Ratings.Select((x, i) => (r.Id, Competency: Competencies[i], Rating: x))).ToList(), (w, x) =>
            {
                w.Write(x.Id, NpgsqlDbType.Uuid); w.Write(x.Competency, NpgsqlDbType.Uuid); w.Write(x.Rating); w.Write(x.Rating < 3 ? "Needs more practice." : "", NpgsqlDbType.Varchar);
            });
        await Copy(connection, "notifications (id, recipient_id, kind, stint_id, occurrence, due_at, created_at, read_at)", Notes, (w, n) =>
        {
            w.Write(n.Id, NpgsqlDbType.Uuid); w.Write(n.RecipientId, NpgsqlDbType.Uuid); w.Write(n.Kind.ToString(), NpgsqlDbType.Varchar);
            w.Write(n.StintId, NpgsqlDbType.Uuid); w.Write(n.Occurrence, NpgsqlDbType.Date); w.Write(n.At, NpgsqlDbType.TimestampTz);
            w.Write(n.At, NpgsqlDbType.TimestampTz);
            if (n.Read) w.Write(n.At.AddHours(30), NpgsqlDbType.TimestampTz); else w.WriteNull();
        });
        await Exec(connection, "set session_replication_role = origin");
        await Exec(connection, "vacuum analyze");
        // The load wrote hundreds of megabytes of WAL: its checkpoint now, rather than spread over the first minutes of
        // the measurements (a checkpoint is the server's own setup work here, not the app's).
        await Exec(connection, "checkpoint");
        return new Dictionary<string, long>
        {
            ["people"] = People.Count, ["leaders"] = Leaders.Count, ["stints"] = Stints.Count, ["reflections"] = Reflections.Count,
            ["host feedback"] = Feedback.Count, ["readiness reviews"] = Reviews.Count, ["notifications"] = Notes.Count,
        };
    }

    private static void Maybe(NpgsqlBinaryImporter w, Guid? value)
    {
        if (value is { } v) w.Write(v, NpgsqlDbType.Uuid); else w.WriteNull();
    }

    private static async Task Copy<T>(NpgsqlConnection connection, string target, IReadOnlyList<T> rows, Action<NpgsqlBinaryImporter, T> write)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"copy {target} from stdin (format binary)");
        foreach (var row in rows)
        {
            importer.StartRow();
            write(importer, row);
        }
        await importer.CompleteAsync();
    }

    public static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Days on which a tour has more live stints than seats: zero, or the booking rules failed.</summary>
    public static async Task<long> DaysOverCapacityAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select count(*) from (
                select s.tour_id, d.day
                from stints s cross join lateral generate_series(s.start_date, s.end_date, interval '1 day') as d(day)
                where s.cancelled_at is null
                group by s.tour_id, d.day
                having count(*) > (select capacity from tours t where t.id = s.tour_id)) over_capacity
            """, connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Pairs of live stints of one leader that overlap: zero, or the booking rules failed.</summary>
    public static async Task<long> LeaderOverlapsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select count(*) from stints a join stints b on a.leader_id = b.leader_id and a.id < b.id
            where a.cancelled_at is null and b.cancelled_at is null and a.start_date <= b.end_date and b.start_date <= a.end_date
            """, connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
