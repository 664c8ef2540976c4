using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Notifications;

/// <summary>A notification about to be created; a drop reason makes it a record that is never shown or sent.</summary>
public sealed record NewNotification(
    Guid RecipientId, NotificationKind Kind, Guid? StintId, DateOnly Occurrence, DateTimeOffset DueAt,
    string? DropReason, string? Body);

/// <summary>
/// Writes notifications and their emails in bulk, once. The unique key (kind, recipient, stint,
/// occurrence) decides: a row another node or an earlier run already wrote is skipped by
/// <c>on conflict do nothing</c>, and only the rows this statement inserted get an outbox email, in the
/// same statement, so an inbox item and its email exist together or not at all.
/// </summary>
public sealed class NotificationWriter(RotationsDbContext db, MessageIds messageIds)
{
    private const int Chunk = 5_000;

    /// <summary>
    /// The keys already present for these stints, for occurrences from <paramref name="from"/> on (older ones are
    /// history the caller no longer asks about). Read with a plain data reader: the sweep asks every minute, for
    /// every reminder in its lookback, and EF's materialisation of a few hundred thousand rows was most of its time.
    /// </summary>
    public async Task<HashSet<(NotificationKind, Guid, Guid?, DateOnly)>> ExistingKeysAsync(Guid[] stintIds, DateOnly from, CancellationToken ct)
    {
        var keys = new HashSet<(NotificationKind, Guid, Guid?, DateOnly)>();
        var kinds = Enum.GetValues<NotificationKind>().ToDictionary(k => k.ToString(), StringComparer.Ordinal);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            foreach (var chunk in stintIds.Chunk(Chunk))
            {
                await using var command = new NpgsqlCommand(
                    "select kind, recipient_id, stint_id, occurrence from notifications where stint_id = any(@stints) and occurrence >= @from",
                    connection);
                command.Parameters.Add(new NpgsqlParameter<Guid[]>("stints", chunk));
                command.Parameters.Add(new NpgsqlParameter<DateOnly>("from", from));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    // A kind this build does not know (written by a newer version) cannot match a candidate.
                    if (!kinds.TryGetValue(reader.GetString(0), out var kind)) continue;
                    keys.Add((kind, reader.GetGuid(1), reader.GetGuid(2), reader.GetFieldValue<DateOnly>(3)));
                }
            }
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
        return keys;
    }

    public async Task<SweepResult> InsertAsync(IReadOnlyList<NewNotification> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (rows.Count == 0) return new SweepResult(0, 0, 0);
        var recipients = rows.Select(r => r.RecipientId).Distinct().ToArray();
        var addresses = await db.Users.AsNoTracking()
            .Where(p => recipients.Contains(p.Id) && p.Email != null)
            .Select(p => new { p.Id, p.Email })
            .ToDictionaryAsync(p => p.Id, p => p.Email!, ct);
        var optOuts = (await db.EmailOptOuts.AsNoTracking()
                .Where(o => recipients.Contains(o.PersonId))
                .Select(o => new { o.PersonId, o.Kind })
                .ToListAsync(ct))
            .Select(o => (o.PersonId, o.Kind)).ToHashSet();

        int created = 0, dropped = 0, emails = 0;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            foreach (var chunk in rows.Chunk(Chunk))
            {
                var ids = chunk.Select(_ => Guid.CreateVersion7()).ToArray();
                var wantsEmail = chunk.Select((r, i) => (r, i))
                    .Where(x => x.r.DropReason is null && addresses.ContainsKey(x.r.RecipientId) && !optOuts.Contains((x.r.RecipientId, x.r.Kind)))
                    .ToArray();
                await using var command = new NpgsqlCommand(InsertSql, connection);
                command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", ids));
                command.Parameters.Add(new NpgsqlParameter<Guid[]>("recipients", chunk.Select(r => r.RecipientId).ToArray()));
                command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", chunk.Select(r => r.Kind.ToString()).ToArray()));
                command.Parameters.Add(new NpgsqlParameter("stints", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = chunk.Select(r => (object?)r.StintId ?? DBNull.Value).ToArray() });
                command.Parameters.Add(new NpgsqlParameter<DateOnly[]>("occurrences", chunk.Select(r => r.Occurrence).ToArray()));
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("dues", chunk.Select(r => r.DueAt.ToUniversalTime()).ToArray()));
                command.Parameters.Add(new NpgsqlParameter("dropped", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = chunk.Select(r => r.DropReason is null ? DBNull.Value : (object)now.ToUniversalTime()).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = chunk.Select(r => (object?)r.DropReason ?? DBNull.Value).ToArray() });
                command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chunk.Select(r => (object?)r.Body ?? DBNull.Value).ToArray() });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now.ToUniversalTime()));
                command.Parameters.Add(new NpgsqlParameter<Guid[]>("email_notifications", wantsEmail.Select(x => ids[x.i]).ToArray()));
                command.Parameters.Add(new NpgsqlParameter<Guid[]>("email_ids", wantsEmail.Select(_ => Guid.CreateVersion7()).ToArray()));
                command.Parameters.Add(new NpgsqlParameter<string[]>("addresses", wantsEmail.Select(x => addresses[x.r.RecipientId]).ToArray()));
                command.Parameters.Add(new NpgsqlParameter<string>("domain", messageIds.Domain));
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                created += reader.GetInt32(0);
                dropped += reader.GetInt32(1);
                emails += reader.GetInt32(2);
            }
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
        return new SweepResult(created, dropped, emails);
    }

    // One statement: the notifications that are new, then an email for each new one that wants one.
    private const string InsertSql = """
        with inserted as (
            insert into notifications (id, recipient_id, kind, stint_id, occurrence, due_at, created_at, dropped_at, drop_reason, body)
            select * from unnest(@ids, @recipients, @kinds, @stints, @occurrences, @dues,
                                 array_fill(@now::timestamptz, array[cardinality(@ids)]), @dropped, @reasons, @bodies)
            on conflict do nothing
            returning id, recipient_id, dropped_at
        ), emails as (
            insert into email_outbox (id, kind, notification_id, recipient_id, to_address, message_id, status, attempts, next_attempt_at, created_at)
            select e.id, 'Notification', i.id, i.recipient_id, e.address,
                   '<' || replace(e.id::text, '-', '') || '@' || @domain || '>', 'Pending', 0, @now, @now
            from unnest(@email_ids, @email_notifications, @addresses) as e(id, notification_id, address)
            join inserted i on i.id = e.notification_id
            returning 1
        )
        select (select count(*) from inserted where dropped_at is null)::int,
               (select count(*) from inserted where dropped_at is not null)::int,
               (select count(*) from emails)::int
        """;
}
