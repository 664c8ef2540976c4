using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotations.BrowserTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Rotations.BrowserTests.Journeys;

/// <summary>
/// HR adds a leader without a password; the invitation arrives by email (an .eml file: no SMTP server
/// here) and its link lets the leader choose a password. HR books a stint for tomorrow and runs the
/// reminder sweep from the jobs page; the leader finds the reminder in the inbox and opens the stint.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RemindersJourneyTests(ServedApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task AnInvitedLeaderSetsAPassword_AndFindsTheReminderOfTheirNextStintInTheInbox()
    {
        var shots = new Screenshots("reminders-journey", output);
        var email = $"nora.{Guid.NewGuid():N}"[..14] + "@example.com";

        // Hannah adds Nora, a leader, leaving the password empty.
        var hr = await app.NewPageAsync();
        var hrProblems = new PageProblems(hr);
        await DemoAccounts.SignInAsync(hr, DemoAccounts.Hannah);
        await hr.GotoAsync("/People/Edit");
        await hr.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await hr.GetByLabel("Name", new() { Exact = true }).FillAsync("Nora Lindqvist");
        await hr.GetByLabel("Time zone", new() { Exact = true }).SelectOptionAsync("Europe/London");
        await hr.Locator("#role-leader").CheckAsync();
        await hr.GetByLabel("Current level", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Manager" });
        await hr.GetByLabel("Target level", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Head of CX" });
        await hr.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await Expect(hr.GetByRole(AriaRole.Status)).ToContainTextAsync("Nora Lindqvist");
        await shots.TakeAsync(hr, "01-person-added");

        // The delivery job writes the invitation within seconds; its link leads to this server.
        var invitation = await MailToAsync(email, TimeSpan.FromSeconds(60));
        Assert.Contains("Subject: ", invitation);
        var link = SetPasswordLink().Match(TextPart(invitation)).Value;
        Assert.StartsWith(app.BaseUrl + "/Account/SetPassword?", link);

        var nora = await app.NewPageAsync();
        var noraProblems = new PageProblems(nora);
        await nora.GotoAsync(link);
        await nora.GetByLabel("New password").FillAsync("a long and private passphrase");
        await nora.GetByLabel("Repeat the password").FillAsync("a long and private passphrase");
        await shots.TakeAsync(nora, "02-set-password");
        await nora.GetByRole(AriaRole.Button, new() { Name = "Set my password and sign in" }).ClickAsync();
        await Expect(nora.Locator(".user-menu__name")).ToHaveTextAsync("Nora Lindqvist");

        // Hannah books Nora's first stint for tomorrow (in Nora's time zone, London), and, so that the
        // reminder is due whatever the hour of this run, sets the send hour to midnight.
        var noraId = await BookTomorrowAsync(email);
        await hr.GotoAsync("/Reminders/Settings");
        await hr.GetByLabel("Send hour (each person's local time)").SelectOptionAsync("0");
        await hr.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(hr.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");

        // She runs the sweep now from the jobs page instead of waiting for the minute.
        await hr.Locator(".user-menu summary").ClickAsync();
        await hr.GetByRole(AriaRole.Navigation, new() { Name = "Running the programme" }).GetByRole(AriaRole.Link, new() { Name = "Background jobs" }).ClickAsync();
        await Expect(hr.GetByRole(AriaRole.Heading, new() { Name = "Background jobs", Level = 1 })).ToBeVisibleAsync();
        await hr.Locator("#job-reminder-sweep").GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await shots.TakeAsync(hr, "03-jobs-run-now");

        // Nora's navigation counts the reminder; the inbox shows it and opening it leads to the stint.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await nora.GotoAsync("/Inbox");
            // Wait for the item itself: the navigation's count is read after the list, so a sweep landing in between
            // can show "1 unread" above an empty list.
        } while (await nora.Locator(".inbox-item--unread").CountAsync() == 0 && DateTime.UtcNow < deadline && await Pause());
        await Expect(nora.Locator(".main-nav .nav-count")).ToHaveTextAsync("1");
        var item = nora.Locator(".inbox-item--unread", new() { HasTextString = "starts tomorrow" });
        await Expect(item).ToBeVisibleAsync();
        await Expect(item.GetByRole(AriaRole.Heading)).ToContainTextAsync("Starting soon: Nora Lindqvist");
        await shots.TakeAsync(nora, "04-inbox");
        await item.GetByRole(AriaRole.Button, new() { Name = "Open the stint" }).ClickAsync();
        await Expect(nora).ToHaveURLAsync(new Regex($@"/Stints/[0-9a-f-]{{36}}$"));
        await Expect(nora.Locator(".main-nav .nav-count")).ToHaveCountAsync(0);
        await shots.TakeAsync(nora, "05-stint");

        // The same reminder also went out by email, once.
        var reminder = await MailToAsync(email, TimeSpan.FromSeconds(60), subjectContains: "Starting soon");
        Assert.Contains("/Stints/", TextPart(reminder));
        Assert.NotEqual(Guid.Empty, noraId);

        var unexpected = hrProblems.All.Concat(noraProblems.All).ToList();
        Assert.True(unexpected.Count == 0, "The pages had problems:\n" + string.Join('\n', unexpected));
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(500);
        return true;
    }

    /// <summary>Books a two-week orientation starting tomorrow (London) on the first tour with room.</summary>
    private async Task<Guid> BookTomorrowAsync(string email)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = DemoAccounts.Hannah.Email, password = DemoAccounts.Password });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var people = await http.GetFromJsonAsync<JsonElement>($"/api/v1/people?q={Uri.EscapeDataString(email)}");
        var leaderId = people.GetProperty("items")[0].GetProperty("id").GetGuid();
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, london).DateTime).AddDays(1);
        var tours = await http.GetFromJsonAsync<JsonElement>("/api/v1/tours");
        foreach (var tour in tours.EnumerateArray())
        {
            var booked = await http.PostAsJsonAsync("/api/v1/stints", new
            {
                leaderId, tourId = tour.GetProperty("id").GetGuid(), startDate = tomorrow.ToString("yyyy-MM-dd"),
                endDate = tomorrow.AddDays(13).ToString("yyyy-MM-dd"), kind = "Orientation",
            });
            if (booked.IsSuccessStatusCode) return leaderId;
            output.WriteLine($"{tour.GetProperty("code").GetString()}: no room ({(int)booked.StatusCode})");
        }
        throw new InvalidOperationException("No tour had room for a two-week orientation from tomorrow.");
    }

    /// <summary>The first .eml written to <paramref name="to"/> (with the subject, when given), once it is there.</summary>
    private async Task<string> MailToAsync(string to, TimeSpan patience, string? subjectContains = null)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            foreach (var file in Directory.GetFiles(app.MailDirectory, "*.eml"))
            {
                var text = await File.ReadAllTextAsync(file);
                if (text.Contains($"To: {to}", StringComparison.OrdinalIgnoreCase)
                    && (subjectContains is null || text.Contains(subjectContains, StringComparison.Ordinal)))
                    return text;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No email to {to} arrived in {patience.TotalSeconds} s.");
            await Task.Delay(250);
        }
    }

    /// <summary>The plain-text part of a MIME message, its quoted-printable decoded.</summary>
    private static string TextPart(string eml)
    {
        var start = eml.IndexOf("Content-Type: text/plain", StringComparison.Ordinal);
        var body = eml[(eml.IndexOf("\r\n\r\n", start, StringComparison.Ordinal) + 4)..];
        body = body[..body.IndexOf("\r\n--", StringComparison.Ordinal)];
        var bytes = new List<byte>();
        var unfolded = body.Replace("=\r\n", "");
        for (var i = 0; i < unfolded.Length; i++)
        {
            if (unfolded[i] == '=' && i + 2 < unfolded.Length)
            {
                bytes.Add(Convert.ToByte(unfolded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(unfolded[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [GeneratedRegex(@"https?://\S+/Account/SetPassword\?\S+")]
    private static partial Regex SetPasswordLink();
}
