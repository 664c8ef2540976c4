using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Email;
using Xunit.Abstractions;

namespace Rotations.Tests.Notifications;

/// <summary>
/// The real binary's `deliver` command, killed while it sends, then run again: every notification is
/// delivered and recorded once. SMTP cannot make "accepted" and "recorded" one step, so the server may see
/// a message twice; the lease batch bounds how many, and the repeated message carries the same Message-ID.
/// </summary>
public sealed class DeliverKilledMidBatchTests(ITestOutputHelper output)
{
    private const int Emails = 300;
    private const int BatchSize = 10;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task DeliverKilledMidBatchAndRunAgain_EveryEmailSentAndRecordedOnce_DuplicatesAtMostOneBatch()
    {
        await using var smtp = await SmtpSink.StartAsync(delayMs: 15);
        await EmailTestKit.SmtpAppAsync(smtp.Port).UsingAsync(async app =>
        {
            var (_, leader, _) = await app.StintAsync(new(2026, 3, 2), new(2026, 3, 27));
            // Weekly digests: one person, many emails, no stint to check.
            var emails = await app.NotificationEmailsAsync(leader, NotificationKind.WeeklyDigest, null,
                Enumerable.Range(0, Emails).Select(i => new DateOnly(2025, 1, 6).AddDays(-7 * i)).ToList(), body: "Starting next week: 0");
            var environment = new Dictionary<string, string?>
            {
                [DatabaseSettings.Key] = app.ConnectionString,
                [EmailSettings.SmtpHostKey] = "127.0.0.1",
                [EmailSettings.SmtpPortKey] = smtp.Port.ToString(),
                [EmailSettings.SmtpTlsKey] = "false",
                [EmailSettings.MailFromKey] = EmailTestKit.MailFrom,
                [EmailSettings.PublicUrlKey] = EmailTestKit.PublicUrl,
                // A short lease, so the second run need not wait minutes for the rows the killed one held.
                ["Outbox__Lease"] = Lease.ToString(),
                ["Outbox__BatchSize"] = BatchSize.ToString(),
            };

            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (var first = AppProcess.Start("deliver", environment))
            {
                var until = DateTime.UtcNow.AddSeconds(60);
                while (smtp.Count < 60 && !first.HasExited && DateTime.UtcNow < until) await Task.Delay(5);
                Assert.False(first.HasExited, $"deliver finished before it could be killed ({smtp.Count} received).");
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }
            var receivedAtKill = smtp.Count;
            var sentAtKill = await CountSentAsync(app);
            output.WriteLine($"{clock.Elapsed}: killed after {receivedAtKill} messages reached the server; {sentAtKill} rows were recorded as sent");
            Assert.InRange(sentAtKill, 1, Emails - 1);

            // As another node would: the dead worker's rows are free once its lease has run out.
            await Task.Delay(Lease + TimeSpan.FromSeconds(1));
            var second = await AppProcess.RunAsync("deliver", environment, TimeSpan.FromMinutes(3));
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Contains("sent", second.Stdout);
            output.WriteLine($"{clock.Elapsed}: second run done: {second.Stdout.Trim().Split('\n')[^1]}");

            var rows = await app.WithDbAsync(db => db.EmailOutbox.AsNoTracking().Select(m => new { m.NotificationId, m.MessageId, m.Status }).ToListAsync());
            Assert.Equal(Emails, rows.Count);
            Assert.All(rows, r => Assert.Equal(EmailStatus.Sent, r.Status));
            Assert.Equal(Emails, rows.Select(r => r.NotificationId).Distinct().Count());
            Assert.Equal(Emails, await app.WithDbAsync(db => db.Notifications.CountAsync()));

            var received = smtp.Received().Select(r => r.MessageId).ToList();
            Assert.Equal(emails.Select(e => e.MessageId).Order(), received.Distinct().Order());
            var duplicates = received.Count - received.Distinct().Count();
            output.WriteLine($"the SMTP server received {received.Count} messages for {Emails} emails: {duplicates} duplicate(s)");
            Assert.InRange(duplicates, 0, BatchSize);

            // Nothing left: a third run sends nothing.
            var third = await AppProcess.RunAsync("deliver", environment);
            Assert.True(third.ExitCode == 0, third.Output);
            Assert.Equal(received.Count, smtp.Count);
        });
    }

    private static Task<int> CountSentAsync(RotationsApp app) =>
        app.WithDbAsync(db => db.EmailOutbox.CountAsync(m => m.Status == EmailStatus.Sent));
}
