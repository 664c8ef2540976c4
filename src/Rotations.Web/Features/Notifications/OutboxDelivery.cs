using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Email;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Web.Features.Notifications;

/// <summary>What one delivery pass did.</summary>
public sealed record DeliveryResult(int Sent, int Retrying, int Failed, int Cancelled)
{
    public int Handled => Sent + Retrying + Failed + Cancelled;
}

/// <summary>How many emails the outbox holds in each state (the jobs page).</summary>
public sealed record OutboxCounts(int Pending, int Sent, int Failed, int Cancelled);

/// <summary>A failed email as the jobs page lists it, with what went wrong last.</summary>
public sealed record FailedEmail(
    Guid Id, EmailKind Kind, NotificationKind? NotificationKind, string ToAddress, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset FailedAt);

/// <summary>Tuning of the delivery; configuration section "Outbox" (for example Outbox__Lease=00:05:00). The defaults suit production.</summary>
public sealed class OutboxOptions
{
    /// <summary>Rows claimed at once. Small: after a crash, at most this many may be sent a second time.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>
    /// How long a claimed batch belongs to one worker. A worker that dies leaves its rows to others once it
    /// passes. Each send may take at most a quarter of it, and a worker stops taking rows from its batch when
    /// less than that is left, so a live worker never loses rows it is still sending.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Emails one pass handles at most, so that a delivery job run ends even with a long queue.</summary>
    public int MaxPerPass { get; set; } = 1_000;

    /// <summary>Attempts before an email is marked Failed.</summary>
    public const int MaxAttempts = 6;

    /// <summary>Wait after the n-th failed attempt (1 min, 5 min, 15 min, 1 h, 4 h): about five and a half hours in all.</summary>
    public static readonly IReadOnlyList<TimeSpan> Backoff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    public TimeSpan SendTimeout => Lease / 4;
}

/// <summary>
/// Drains the email outbox: claims due rows under a lease (FOR UPDATE SKIP LOCKED, so two nodes or two runs
/// never take the same row), renders each with the composer of its kind from the current data, sends it, and
/// records the outcome one row at a time. A failed send is retried with backoff and, after the last attempt,
/// marked Failed for a person to retry. Delivery is at least once: a crash between the SMTP server's "250"
/// and the row's update resends that one email with the same Message-ID.
/// One email failing never stops the others; a pass that cannot work at all (the database is down) throws,
/// so the delivery job's failure reaches Quartz.
/// </summary>
public sealed class OutboxDelivery(
    RotationsDbContext db, IEnumerable<IEmailComposer> composers, IEmailTransport transport, EmailSettings settings,
    TimeProvider clock, IOptions<OutboxOptions> options, ILogger<OutboxDelivery> logger)
{
    private readonly OutboxOptions options = options.Value;
    private readonly Dictionary<EmailKind, IEmailComposer> composerByKind = composers.ToDictionary(c => c.Handles);

    public async Task<DeliveryResult> DeliverDueAsync(CancellationToken ct)
    {
        int sent = 0, retrying = 0, failed = 0, cancelled = 0;
        while (sent + retrying + failed + cancelled < options.MaxPerPass)
        {
            var lease = Microseconds(clock.GetUtcNow() + options.Lease);
            var batch = await ClaimAsync(lease, ct);
            if (batch.Count == 0) break;

            for (var i = 0; i < batch.Count; i++)
            {
                if (clock.GetUtcNow() + options.SendTimeout > lease)
                {
                    // Not enough lease left to send safely: give the rest back rather than race a worker that takes them over.
                    await ReleaseAsync(batch.Skip(i).Select(e => e.Id).ToList(), lease, ct);
                    break;
                }
                switch (await DeliverOneAsync(batch[i], lease, ct))
                {
                    case EmailStatus.Sent: sent++; break;
                    case EmailStatus.Cancelled: cancelled++; break;
                    case EmailStatus.Failed: failed++; break;
                    case EmailStatus.Pending: retrying++; break;
                }
            }
        }
        return new DeliveryResult(sent, retrying, failed, cancelled);
    }

    /// <summary>
    /// Puts a failed email back in the queue for an immediate attempt (the jobs page's retry). Its attempts start
    /// again from zero, so it gets the whole backoff series once more (a person retries after fixing the cause);
    /// the last error stays until the next outcome replaces it. Retrying an email already pending does nothing.
    /// </summary>
    public async Task RetryAsync(Guid emailId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var updated = await db.EmailOutbox
            .Where(m => m.Id == emailId && m.Status == EmailStatus.Failed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, EmailStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), ct);
        if (updated == 1) return;

        var status = await db.EmailOutbox.Where(m => m.Id == emailId).Select(m => (EmailStatus?)m.Status).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("There is no such email in the outbox.");
        if (status != EmailStatus.Pending)
            throw new ConflictException($"Only a failed email can be retried; this one is {status.ToString().ToLowerInvariant()}.", []);
    }

    public async Task<OutboxCounts> CountsAsync(CancellationToken ct)
    {
        var counts = await db.EmailOutbox.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new OutboxCounts(
            counts.GetValueOrDefault(EmailStatus.Pending), counts.GetValueOrDefault(EmailStatus.Sent),
            counts.GetValueOrDefault(EmailStatus.Failed), counts.GetValueOrDefault(EmailStatus.Cancelled));
    }

    /// <summary>The most recently failed emails first. For a failed email, next_attempt_at holds when its last attempt failed.</summary>
    public Task<List<FailedEmail>> ListFailedAsync(int take, CancellationToken ct) =>
        db.EmailOutbox.AsNoTracking()
            .Where(m => m.Status == EmailStatus.Failed)
            .OrderByDescending(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(Math.Clamp(take, 1, 500))
            .Select(m => new FailedEmail(
                m.Id, m.Kind,
                db.Notifications.Where(n => n.Id == m.NotificationId).Select(n => (NotificationKind?)n.Kind).FirstOrDefault(),
                m.ToAddress, m.Attempts, m.LastError, m.CreatedAt, m.NextAttemptAt))
            .ToListAsync(ct);

    private async Task<List<EmailMessage>> ClaimAsync(DateTimeOffset lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // One statement: rows another worker is claiming right now are skipped, not waited for, and a row
        // whose lease was just set by a committed claim no longer matches when its lock is taken.
        var ids = await db.Database.SqlQuery<Guid>($"""
            update email_outbox set locked_until = {lease}
            where id in (
                select id from email_outbox
                where status = 'Pending' and next_attempt_at <= {now} and (locked_until is null or locked_until <= {now})
                order by next_attempt_at, id
                limit {options.BatchSize}
                for update skip locked)
            returning id as "Value"
            """).ToListAsync(ct);
        if (ids.Count == 0) return [];
        var rows = await db.EmailOutbox.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(ct);
        return rows.OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).ToList();
    }

    private async Task<EmailStatus> DeliverOneAsync(EmailMessage email, DateTimeOffset lease, CancellationToken ct)
    {
        Exception? failure;
        try
        {
            var composer = composerByKind.GetValueOrDefault(email.Kind)
                ?? throw new InvalidOperationException($"No composer renders {email.Kind} emails.");
            var composed = await composer.ComposeAsync(email, ct);
            if (composed is null)
            {
                await FinishAsync(email, lease, EmailStatus.Cancelled, email.Attempts, null, clock.GetUtcNow(), null, ct);
                logger.LogInformation("Email {EmailId} ({Kind}) is no longer wanted; cancelled.", email.Id, email.Kind);
                return EmailStatus.Cancelled;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.SendTimeout);
            await transport.SendAsync(new OutgoingEmail(email.MessageId, email.ToAddress, composed.Subject, composed.Text, composed.Html), timeout.Token);
            failure = null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            failure = ex;
        }

        var now = clock.GetUtcNow();
        var attempts = email.Attempts + 1;
        if (failure is null)
        {
            await FinishAsync(email, lease, EmailStatus.Sent, attempts, null, now, now, ct);
            logger.LogInformation("Email {EmailId} ({Kind}) sent, attempt {Attempt}.", email.Id, email.Kind, attempts);
            return EmailStatus.Sent;
        }

        var error = Describe(failure);
        if (attempts >= OutboxOptions.MaxAttempts)
        {
            await FinishAsync(email, lease, EmailStatus.Failed, attempts, error, now, null, ct);
            logger.LogError("Email {EmailId} ({Kind}) failed for good after {Attempts} attempts: {Error}", email.Id, email.Kind, attempts, error);
            return EmailStatus.Failed;
        }
        var next = now + OutboxOptions.Backoff[Math.Min(attempts, OutboxOptions.Backoff.Count) - 1];
        await FinishAsync(email, lease, EmailStatus.Pending, attempts, error, next, null, ct);
        logger.LogWarning("Email {EmailId} ({Kind}) attempt {Attempt} failed, next at {NextAttemptAt:u}: {Error}",
            email.Id, email.Kind, attempts, next, error);
        return EmailStatus.Pending;
    }

    /// <summary>Records an outcome, only while this worker still holds the row's lease.</summary>
    private async Task FinishAsync(EmailMessage email, DateTimeOffset lease, EmailStatus status, int attempts, string? error,
        DateTimeOffset nextAttemptAt, DateTimeOffset? sentAt, CancellationToken ct)
    {
        // Recording must happen even when the caller is cancelling: the email may already be out.
        var updated = await db.EmailOutbox
            .Where(m => m.Id == email.Id && m.Status == EmailStatus.Pending && m.LockedUntil == lease)
            .ExecuteUpdateAsync(u => u
                .SetProperty(m => m.Status, status)
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error ?? email.LastError)
                .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
                .SetProperty(m => m.SentAt, sentAt)
                .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
        if (updated == 0)
            logger.LogWarning("Email {EmailId} changed hands before its outcome ({Status}) was recorded: its lease ran out.", email.Id, status);
    }

    private Task ReleaseAsync(List<Guid> ids, DateTimeOffset lease, CancellationToken ct) =>
        db.EmailOutbox.Where(m => ids.Contains(m.Id) && m.LockedUntil == lease)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), ct);

    /// <summary>The error chain in one line, for the jobs page: messages only, and never the SMTP password.</summary>
    private string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
            parts.Add(e is OperationCanceledException ? $"no answer within {options.SendTimeout.TotalSeconds:0} s" : $"{e.GetType().Name}: {e.Message}");
        var text = string.Join(" <- ", parts.Distinct());
        if (settings.SmtpPassword is { Length: > 0 } password) text = text.Replace(password, "***", StringComparison.Ordinal);
        return text.Length <= 2000 ? text : text[..1997] + "...";
    }

    /// <summary>PostgreSQL keeps microseconds; the lease doubles as the claim's token, so it must compare equal after a round trip.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
}
