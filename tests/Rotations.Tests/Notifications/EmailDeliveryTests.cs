using Microsoft.EntityFrameworkCore;
using Npgsql;
using Rotations.Tests.Support;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Email;
using Rotations.Web.Infrastructure.Errors;

namespace Rotations.Tests.Notifications;

/// <summary>The outbox delivered to a real SMTP server (Debian's python3-aiosmtpd), with the test clock driving retries.</summary>
public sealed class EmailDeliveryTests
{
    private static readonly DateOnly Start = new(2026, 3, 2);
    private static readonly DateOnly End = new(2026, 3, 27);

    [Fact]
    public async Task NotificationEmail_ArrivesAsTextAndHtml_WithItsMessageIdAndADeepLinkFromThePublicUrl()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await EmailTestKit.SmtpAppAsync(smtp.Port).UsingAsync(async app =>
        {
            var (stint, leader, _) = await app.StintAsync(Start, End, objectives: "Learn <b>pricing</b> & \"offers\"");
            app.Clock.Set(new DateTimeOffset(Start.AddDays(-14).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero)); // sent 14 days before
            var email = await app.NotificationEmailAsync(leader, NotificationKind.UpcomingStint, stint.Id, Start);

            var result = await app.DeliverAsync();

            Assert.Equal(new DeliveryResult(1, 0, 0, 0), result);
            var received = Assert.Single(smtp.Received());
            Assert.Equal(email.MessageId, received.MessageId);
            Assert.Equal([leader.Email!], received.RcptTos);
            Assert.Equal(leader.Email, received.To);
            Assert.Equal("Rotations Programme <programme@rotations.example.test>", received.From);
            Assert.Equal("programme@rotations.example.test", received.MailFrom);
            Assert.Equal($"Upcoming stint: {leader.DisplayName} in Sales from Mon 2 Mar 2026", received.Subject);
            Assert.Equal("multipart/alternative", received.ContentType);

            var link = $"{EmailTestKit.PublicUrl}/Stints/{stint.Id}";
            Assert.NotNull(received.Text);
            Assert.Contains($"Hello {leader.DisplayName},", received.Text);
            Assert.Contains("starts in 14 days", received.Text);
            Assert.Contains(link, received.Text);
            Assert.Contains("Learn <b>pricing</b> & \"offers\"", received.Text);

            Assert.NotNull(received.Html);
            Assert.Contains($"<a href=\"{link}\">", received.Html);
            Assert.Contains("Learn &lt;b&gt;pricing&lt;/b&gt; &amp; &quot;offers&quot;", received.Html);
            Assert.DoesNotContain("<b>pricing", received.Html);

            var row = await app.EmailRowAsync(email.Id);
            Assert.Equal(EmailStatus.Sent, row.Status);
            Assert.Equal(1, row.Attempts);
            Assert.NotNull(row.SentAt);
            Assert.Null(row.LockedUntil);
        });
    }

    [Fact]
    public async Task SmtpRefusesOnceThenAccepts_OneEmailArrives_AfterTheBackoff_AndTheRowIsSentOnTheSecondAttempt()
    {
        await using var smtp = await SmtpSink.StartAsync(failFirst: 1);
        await EmailTestKit.SmtpAppAsync(smtp.Port).UsingAsync(async app =>
        {
            var (stint, leader, _) = await app.StintAsync(Start, End);
            var email = await app.NotificationEmailAsync(leader, NotificationKind.StintStarts, stint.Id, Start);

            Assert.Equal(new DeliveryResult(0, 1, 0, 0), await app.DeliverAsync());
            var afterFirst = await app.EmailRowAsync(email.Id);
            Assert.Equal(EmailStatus.Pending, afterFirst.Status);
            Assert.Equal(1, afterFirst.Attempts);
            Assert.Contains("Try again later", afterFirst.LastError);
            Assert.InRange(afterFirst.NextAttemptAt - app.Clock.GetUtcNow(), TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));

            // Not before its time: the backoff holds it back.
            Assert.Equal(new DeliveryResult(0, 0, 0, 0), await app.DeliverAsync());
            app.Clock.Advance(TimeSpan.FromSeconds(45));
            Assert.Equal(new DeliveryResult(0, 0, 0, 0), await app.DeliverAsync());
            Assert.Equal(0, smtp.Count);

            app.Clock.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(new DeliveryResult(1, 0, 0, 0), await app.DeliverAsync());
            Assert.Equal(new DeliveryResult(0, 0, 0, 0), await app.DeliverAsync());

            var received = Assert.Single(smtp.Received());
            Assert.Equal(email.MessageId, received.MessageId);
            var row = await app.EmailRowAsync(email.Id);
            Assert.Equal(EmailStatus.Sent, row.Status);
            Assert.Equal(2, row.Attempts);
        });
    }

    [Fact]
    public async Task SmtpDownForEveryAttempt_RowFailsWithItsError_RetryPutsItBack_AndItIsSentWhenTheServerIsUp()
    {
        const string smtpPassword = "smtp-password-canary-7731";
        var port = EmailTestKit.ClosedPort();
        await EmailTestKit.SmtpAppAsync(port, a => a.With(EmailSettings.SmtpUserKey, "mailer").With(EmailSettings.SmtpPasswordKey, smtpPassword))
            .UsingAsync(async app =>
            {
                var (stint, leader, _) = await app.StintAsync(Start, End);
                var email = await app.NotificationEmailAsync(leader, NotificationKind.MidpointCheckIn, stint.Id, Start);

                var waits = new List<TimeSpan>();
                for (var attempt = 1; attempt <= OutboxOptions.MaxAttempts; attempt++)
                {
                    var before = app.Clock.GetUtcNow();
                    var result = await app.DeliverAsync();
                    var row = await app.EmailRowAsync(email.Id);
                    Assert.Equal(attempt, row.Attempts);
                    if (attempt < OutboxOptions.MaxAttempts)
                    {
                        Assert.Equal(new DeliveryResult(0, 1, 0, 0), result);
                        Assert.Equal(EmailStatus.Pending, row.Status);
                        waits.Add(row.NextAttemptAt - before);
                        app.Clock.Advance(row.NextAttemptAt - app.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
                    }
                    else Assert.Equal(new DeliveryResult(0, 0, 1, 0), result);
                }
                // 1, 5, 15, 60 and 240 minutes between the six attempts.
                Assert.Equal(OutboxOptions.Backoff.Select(b => Math.Round(b.TotalMinutes)), waits.Select(w => Math.Round(w.TotalMinutes)));

                var failed = await app.EmailRowAsync(email.Id);
                Assert.Equal(EmailStatus.Failed, failed.Status);
                Assert.False(string.IsNullOrWhiteSpace(failed.LastError));
                Assert.DoesNotContain(smtpPassword, failed.LastError);
                app.Clock.Advance(TimeSpan.FromDays(1));
                Assert.Equal(new DeliveryResult(0, 0, 0, 0), await app.DeliverAsync());

                await app.WithServiceAsync<OutboxDelivery, bool>(async d =>
                {
                    Assert.Equal(new OutboxCounts(0, 0, 1, 0), await d.CountsAsync(CancellationToken.None));
                    var listed = Assert.Single(await d.ListFailedAsync(10, CancellationToken.None));
                    Assert.Equal((email.Id, NotificationKind.MidpointCheckIn, leader.Email, 6), (listed.Id, listed.NotificationKind!.Value, listed.ToAddress, listed.Attempts));
                    Assert.Equal(failed.LastError, listed.LastError);
                    await Assert.ThrowsAsync<NotFoundException>(() => d.RetryAsync(Guid.NewGuid(), CancellationToken.None));
                    await d.RetryAsync(email.Id, CancellationToken.None);
                    return true;
                });
                var retried = await app.EmailRowAsync(email.Id);
                Assert.Equal((EmailStatus.Pending, 0), (retried.Status, retried.Attempts));

                // The server comes up on the address the app was given.
                await using var smtp = await SmtpSink.StartAsync(port: port);
                Assert.Equal(new DeliveryResult(1, 0, 0, 0), await app.DeliverAsync());
                Assert.Equal(email.MessageId, Assert.Single(smtp.Received()).MessageId);
                Assert.Equal((EmailStatus.Sent, 1), ((await app.EmailRowAsync(email.Id)).Status, (await app.EmailRowAsync(email.Id)).Attempts));
                await app.WithServiceAsync<OutboxDelivery, bool>(async d =>
                {
                    await Assert.ThrowsAsync<ConflictException>(() => d.RetryAsync(email.Id, CancellationToken.None));
                    return true;
                });

                Assert.Contains(app.Logs.Lines, l => l.Contains("failed for good"));
                Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(smtpPassword));
            });
    }

    [Fact]
    public async Task CancelledOrMovedStint_SubmittedReflection_ATurnedOffKind_AndADeactivatedPerson_AreCancelled_AndNothingOfThemIsSent()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await EmailTestKit.SmtpAppAsync(smtp.Port).UsingAsync(async app =>
        {
            var manager = await app.QuietLeaderAsync("marcus");
            var (cancelled, leader1, _) = await app.StintAsync(Start, End);
            var (reflected, leader2, host2) = await app.StintAsync(Start, End, managerId: manager.Id);
            var (other, leader3, _) = await app.StintAsync(Start, End);

            var upcoming = await app.NotificationEmailAsync(leader1, NotificationKind.UpcomingStint, cancelled.Id, Start);
            var overdue = await app.NotificationEmailAsync(leader2, NotificationKind.ReflectionOverdue, reflected.Id, End);
            var escalation = await app.NotificationEmailAsync(manager, NotificationKind.ReflectionEscalation, reflected.Id, End);
            // Feedback from the host is not part of the reflection chain: it still goes.
            var feedback = await app.NotificationEmailAsync(host2, NotificationKind.FeedbackRequested, reflected.Id, End);
            var optedOut = await app.NotificationEmailAsync(leader3, NotificationKind.MidpointCheckIn, other.Id, Start);
            var (_, leader4, _) = await app.StintAsync(Start, End);
            var deactivated = await app.NotificationEmailAsync(leader4, NotificationKind.StintStarts, other.Id, Start);
            var (moving, leader5, _) = await app.StintAsync(Start, End);
            var moved = await app.NotificationEmailAsync(leader5, NotificationKind.UpcomingStint, moving.Id, Start);

            await app.CancelStintAsync(cancelled.Id);
            await app.WithDbAsync(db => db.Users.Where(p => p.Id == leader4.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.IsActive, false)));
            // Moved a week on before its reminder went out: the reminder was about the old first day.
            await app.WithDbAsync(db => db.Stints.Where(x => x.Id == moving.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.StartDate, Start.AddDays(7)).SetProperty(x => x.EndDate, End.AddDays(7))));
            await app.SubmitReflectionAsync(reflected.Id);
            await app.WithDbAsync(async db =>
            {
                db.EmailOptOuts.Add(new EmailOptOut { PersonId = leader3.Id, Kind = NotificationKind.MidpointCheckIn });
                await db.SaveChangesAsync();
            });

            Assert.Equal(new DeliveryResult(1, 0, 0, 6), await app.DeliverAsync());

            Assert.Equal(feedback.MessageId, Assert.Single(smtp.Received()).MessageId);
            foreach (var email in new[] { upcoming, overdue, escalation, optedOut, deactivated, moved })
            {
                var row = await app.EmailRowAsync(email.Id);
                Assert.Equal((EmailStatus.Cancelled, 0, (DateTimeOffset?)null), (row.Status, row.Attempts, row.SentAt));
            }
            Assert.Equal(EmailStatus.Sent, (await app.EmailRowAsync(feedback.Id)).Status);
        });
    }

    [Fact]
    public async Task TwoPassesRunningAtOnce_SendEveryEmailOnce()
    {
        await using var smtp = await SmtpSink.StartAsync(delayMs: 5);
        await EmailTestKit.SmtpAppAsync(smtp.Port).UsingAsync(async app =>
        {
            var (_, leader, _) = await app.StintAsync(Start, End);
            // Sixty weekly digests: one person, many emails, no stint to check.
            var emails = await app.NotificationEmailsAsync(leader, NotificationKind.WeeklyDigest, null,
                Enumerable.Range(0, 60).Select(i => Start.AddDays(-7 * i)).ToList(), body: "Starting next week: 0");

            var passes = await Task.WhenAll(app.DeliverAsync(), app.DeliverAsync(), app.DeliverAsync());

            Assert.Equal(60, passes.Sum(p => p.Sent));
            Assert.True(passes.Count(p => p.Sent > 0) >= 2, $"the passes did not overlap: {string.Join(", ", passes)}");
            var received = smtp.Received();
            Assert.Equal(60, received.Count);
            Assert.Equal(emails.Select(e => e.MessageId).Order(), received.Select(r => r.MessageId).Order());
            var statuses = await app.WithDbAsync(db => db.EmailOutbox.Select(m => new { m.Status, m.Attempts }).ToListAsync());
            Assert.All(statuses, s => Assert.Equal((EmailStatus.Sent, 1), (s.Status, s.Attempts)));
        });
    }

    [Fact]
    public async Task NoSmtpServerConfigured_WritesAReadableEmlFileWithTheMessageId()
    {
        var folder = Directory.CreateTempSubdirectory("rotations-pickup-").FullName;
        try
        {
            var app = new RotationsApp().With(EmailSettings.MailDirKey, folder).With(EmailSettings.PublicUrlKey, EmailTestKit.PublicUrl);
            await app.InitializeAsync();
            await Task.FromResult(app).UsingAsync(async app =>
            {
                var (stint, leader, _) = await app.StintAsync(Start, End);
                var email = await app.NotificationEmailAsync(leader, NotificationKind.ReflectionDue, stint.Id, End);

                Assert.Equal(new DeliveryResult(1, 0, 0, 0), await app.DeliverAsync());

                var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
                var parsed = await SmtpSink.ParseFileAsync(file);
                Assert.Equal(email.MessageId, parsed.MessageId);
                Assert.Equal(leader.Email, parsed.To);
                Assert.Equal("Rotations <rotations@localhost>", parsed.From);
                Assert.Equal("Reflection due: your stint in Sales", parsed.Subject);
                Assert.Contains($"Write your reflection: {EmailTestKit.PublicUrl}/Stints/{stint.Id}", parsed.Text);
                Assert.Contains("Write your reflection</a>", parsed.Html);
            });
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task DatabaseGone_ThePassThrows_SoTheJobSeesTheFailure()
    {
        var port = EmailTestKit.ClosedPort();
        await EmailTestKit.SmtpAppAsync(port).UsingAsync(async app =>
        {
            var (stint, leader, _) = await app.StintAsync(Start, End);
            await app.NotificationEmailAsync(leader, NotificationKind.StintStarts, stint.Id, Start);
            await TestDatabase.DropAsync(app.DatabaseName);

            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => app.DeliverAsync());
            Assert.Contains(Chain(thrown), e => e is NpgsqlException);
        });
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
