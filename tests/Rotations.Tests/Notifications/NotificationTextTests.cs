using Microsoft.Extensions.Configuration;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Email;

namespace Rotations.Tests.Notifications;

public sealed class NotificationTextTests
{
    private static readonly StintFacts Stint = new(
        Guid.NewGuid(), "CONTACT", "Contact centre", "Lena Fischer", "Priya Shah",
        new(2026, 3, 2), new(2026, 3, 27), "Sit with agents on escalations.", "Calling in as a customer.", "Escalations and KPIs.");

    public static TheoryData<NotificationKind> StintKinds() =>
        new(Enum.GetValues<NotificationKind>().Where(k => k != NotificationKind.WeeklyDigest));

    [Theory]
    [MemberData(nameof(StintKinds))]
    public void EveryStintKind_HasItsOwnTitle_NamingTheTour_AndASummaryNamingTheLeaderAndDates(NotificationKind kind)
    {
        var (title, summary) = NotificationText.Describe(kind, Stint, new(2026, 3, 27), null);

        Assert.Contains("Contact centre", title);
        Assert.Contains("Lena Fischer", summary);
        Assert.Contains("(CONTACT)", summary);
        Assert.DoesNotContain("A reminder about", title);
        var others = Enum.GetValues<NotificationKind>().Where(k => k != kind && k != NotificationKind.WeeklyDigest)
            .Select(k => NotificationText.Describe(k, Stint, new(2026, 3, 27), null).Title);
        Assert.DoesNotContain(title, others);
    }

    [Fact]
    public void Upcoming_CountsDaysFromTheOccurrenceToTheStart_AndNamesTheHostAndObjectives()
    {
        Assert.Contains("starts in 14 days", NotificationText.Describe(NotificationKind.UpcomingStint, Stint, new(2026, 2, 16), null).Summary);
        var dayBefore = NotificationText.Describe(NotificationKind.UpcomingStint, Stint, new(2026, 3, 1), null).Summary;
        Assert.Contains("starts tomorrow", dayBefore);
        Assert.Contains("hosted by Priya Shah", dayBefore);
        Assert.Contains("Sit with agents on escalations.", dayBefore);
    }

    [Fact]
    public void FirstDay_CarriesTheTwoLensesAndTheObjectives()
    {
        var (title, summary) = NotificationText.Describe(NotificationKind.StintStarts, Stint, Stint.Start, null);

        Assert.Equal("Your stint in Contact centre starts today", title);
        Assert.Contains("Calling in as a customer.", summary);
        Assert.Contains("Escalations and KPIs.", summary);
        Assert.Contains("Sit with agents on escalations.", summary);
    }

    [Fact]
    public void Escalation_SaysHowLongAgoTheStintEnded()
    {
        var summary = NotificationText.Describe(NotificationKind.ReflectionEscalation, Stint, Stint.End.AddDays(14), null).Summary;
        Assert.Contains("ended on Fri 27 Mar 2026, 14 days ago", summary);
    }

    [Fact]
    public void Digest_IsWordedByItsBody_AndAStintKindWithoutItsStintStillSaysSomething()
    {
        var digest = NotificationText.Describe(NotificationKind.WeeklyDigest, null, new(2026, 3, 2), "Starts next week: 3.\n\nOverdue: 1.");
        Assert.Equal("Weekly digest for the week of Mon 2 Mar 2026", digest.Title);
        Assert.Equal("Starts next week: 3.\n\nOverdue: 1.", digest.Summary);

        var orphan = NotificationText.Describe(NotificationKind.ReflectionDue, null, new(2026, 3, 2), null);
        Assert.False(string.IsNullOrWhiteSpace(orphan.Title));
        Assert.False(string.IsNullOrWhiteSpace(orphan.Summary));
    }

    [Fact]
    public void Render_EncodesEveryPieceOfDataInTheHtml_AndKeepsItVerbatimInTheText()
    {
        var email = NotificationEmailComposer.Render("<Lena>", "Title & <i>more</i>", "One <script>x</script>\nline two\n\nPara \"2\"",
            "Open", "https://r.example/Stints/1?a=1&b=2");

        Assert.Equal("Title & <i>more</i>", email.Subject);
        Assert.Contains("Hello <Lena>,", email.Text);
        Assert.Contains("One <script>x</script>\nline two", email.Text);
        Assert.Contains("https://r.example/Stints/1?a=1&b=2", email.Text);
        Assert.DoesNotContain("<script>", email.Html);
        Assert.DoesNotContain("<Lena>", email.Html);
        Assert.DoesNotContain("<i>", email.Html);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;<br>\nline two", email.Html);
        Assert.Contains("<p>Para &quot;2&quot;</p>", email.Html);
        Assert.Contains("<a href=\"https://r.example/Stints/1?a=1&amp;b=2\">Open</a>", email.Html);
    }
}

public sealed class EmailSettingsTests
{
    private static EmailSettings Read(params (string Key, string Value)[] values) =>
        EmailSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build(), "/srv/rotations");

    [Fact]
    public void Defaults_ArePickupFolderUnderTheContentRoot_Port587WithTls_AndTheLocalPublicUrl()
    {
        var settings = Read();

        Assert.False(settings.UsesSmtp);
        Assert.Equal("/srv/rotations/.data/mail", settings.MailDirectory);
        Assert.Equal((587, true), (settings.SmtpPort, settings.SmtpTls));
        Assert.Equal("http://127.0.0.1:5080", settings.PublicUrl);
        Assert.Equal("rotations@localhost", settings.From.Address);
        Assert.Equal("localhost", settings.MessageIdDomain);
    }

    [Fact]
    public void SmtpSettings_AreRead_TheSenderKeepsItsDisplayName_AndDescribeNeverShowsThePassword()
    {
        var settings = Read(
            (EmailSettings.SmtpHostKey, "smtp.example.com"), (EmailSettings.SmtpPortKey, "2525"), (EmailSettings.SmtpTlsKey, "false"),
            (EmailSettings.SmtpUserKey, "mailer"), (EmailSettings.SmtpPasswordKey, "pw-canary-1234"),
            (EmailSettings.MailFromKey, "Rotations Programme <programme@corp.example>"), (EmailSettings.PublicUrlKey, "https://rot.corp.example/"));

        Assert.True(settings.UsesSmtp);
        Assert.Equal(("smtp.example.com", 2525, false, "mailer"), (settings.SmtpHost, settings.SmtpPort, settings.SmtpTls, settings.SmtpUser));
        Assert.Equal(("Rotations Programme", "programme@corp.example"), (settings.From.DisplayName, settings.From.Address));
        Assert.Equal("https://rot.corp.example", settings.PublicUrl);
        Assert.Equal("corp.example", settings.MessageIdDomain);
        Assert.DoesNotContain("pw-canary-1234", settings.Describe());
        Assert.DoesNotContain("pw-canary-1234", settings.ToString());
    }

    [Theory]
    [InlineData(EmailSettings.SmtpPortKey, "70000")]
    [InlineData(EmailSettings.SmtpPortKey, "smtp")]
    [InlineData(EmailSettings.SmtpTlsKey, "yes")]
    [InlineData(EmailSettings.MailFromKey, "not an address")]
    [InlineData(EmailSettings.PublicUrlKey, "rotations.example.com")]
    [InlineData(EmailSettings.PublicUrlKey, "ftp://rotations.example.com")]
    [InlineData(EmailSettings.SmtpUserKey, "mailer")]
    public void ABadValue_StopsWithAMessageNamingTheSetting(string key, string value)
    {
        var ex = Assert.Throws<StartupException>(() => Read((key, value)));
        Assert.Contains(key, ex.Message);
    }
}
