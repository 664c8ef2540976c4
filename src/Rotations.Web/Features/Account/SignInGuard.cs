using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Rotations.Web.Features.Audit;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Account;

/// <summary>
/// How many failed sign-ins an address and an account may have in a window before further attempts are
/// refused with 429. Identity's own lockout (5 failures, 15 minutes) still applies to real accounts; the
/// per-account limit also covers emails that have no account, and the per-address limit covers guessing across
/// many accounts. Counted in the database, so every web node enforces the same numbers.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Rotations:SignIn";
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    public int MaxFailuresPerAddress { get; set; } = 20;
    public int MaxFailuresPerAccount { get; set; } = 10;
}

/// <summary>One sign-in attempt, through the login page or the token API.</summary>
public sealed class SignInAttempt
{
    public long Id { get; private set; }
    public DateTimeOffset At { get; init; }
    public required string Address { get; init; }
    /// <summary>The normalized email typed, whether or not an account has it.</summary>
    public required string Account { get; init; }
    public bool Succeeded { get; init; }
}

internal sealed class SignInAttemptConfiguration : IEntityTypeConfiguration<SignInAttempt>
{
    public void Configure(EntityTypeBuilder<SignInAttempt> e)
    {
        e.ToTable("sign_in_attempts");
        e.Property(a => a.Address).HasMaxLength(64);
        e.Property(a => a.Account).HasMaxLength(256);
        e.HasIndex(a => new { a.Address, a.At });
        e.HasIndex(a => new { a.Account, a.At });
        e.HasIndex(a => a.At);
    }
}

/// <summary>
/// Every sign-in goes through here: the throttle before the password is checked (so a flood costs no password
/// hashing), the same work for unknown emails as for real ones (timing tells nothing), and an audit entry and an
/// attempt row after it, with the UTC time, the person and the client address.
/// </summary>
public sealed class SignInGuard(
    RotationsDbContext db, SignInManager<Person> signIn, IPasswordHasher<Person> hasher, AuditEvents audit,
    IHttpContextAccessor http, TimeProvider clock, IOptions<SignInThrottleOptions> options, ILogger<SignInGuard> log)
{
    public const string ThrottledMessage = "Too many sign-in attempts from this address or for this account.";

    /// <summary>The attempt's verdict: refused by the throttle (with how long to wait), or Identity's result.</summary>
    public sealed record Outcome(SignInResult Result, Person? Person, TimeSpan? RetryAfter)
    {
        public bool Throttled => RetryAfter is not null;
        public string WaitMessage => RetryAfter is { } wait
            ? $"{ThrottledMessage} Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minute{(wait.TotalMinutes > 1 ? "s" : "")}."
            : "";
    }

    /// <summary>
    /// Checks the password of the account with <paramref name="email"/>; signs the person in with the cookie when
    /// <paramref name="cookie"/> says so (the login page), or only checks (the token API, which issues its own token).
    /// </summary>
    public async Task<Outcome> AttemptAsync(string email, string password, string via, bool cookie, bool persistent, CancellationToken ct)
    {
        var address = AddressNow();
        var account = Normalize(email);
        if (await RetryAfterAsync(address, account, ct) is { } wait)
        {
            await RecordThrottledAsync(address, email, via, ct);
            return new Outcome(SignInResult.Failed, null, wait);
        }

        var person = await signIn.UserManager.FindByEmailAsync(email);
        SignInResult result;
        if (person is null)
        {
            // Spend the same PBKDF2 time as a real check, so timing does not tell which emails exist.
            hasher.VerifyHashedPassword(TimingDummy.Person, TimingDummy.Hash(hasher), password);
            result = SignInResult.Failed;
        }
        else if (cookie)
            result = await signIn.PasswordSignInAsync(person, password, persistent, lockoutOnFailure: true);
        else
            result = await signIn.CheckPasswordSignInAsync(person, password, lockoutOnFailure: true);

        var (action, reason) = result.Succeeded ? ("SignedIn", (string?)null)
            : result.IsLockedOut ? ("LockedOut", "locked out")
            : result.IsNotAllowed ? ("SignInFailed", "deactivated")
            : person is null ? ("SignInFailed", "unknown account")
            : ("SignInFailed", "wrong password");
        if (!result.Succeeded)
            log.LogWarning("Sign-in refused ({Via}) for {Person} from {Address}: {Reason}", via, person?.Id.ToString() ?? "an unknown account", address, reason);

        db.SignInAttempts.Add(new SignInAttempt { At = clock.GetUtcNow(), Address = address, Account = account, Succeeded = result.Succeeded });
        db.AuditEntries.Add(audit.Entry(AuditEvents.SignIn, person?.Id.ToString() ?? "", Shown(email), action,
            reason is null ? new { via } : new { via, reason },
            who: person is null ? (null, "unknown account") : (person.Id, person.DisplayName)));
        await db.SaveChangesAsync(ct);
        return new Outcome(result, person, null);
    }

    /// <summary>Signing out, in the trail beside the sign-in.</summary>
    public async Task RecordSignOutAsync(Person person, CancellationToken ct)
    {
        db.AuditEntries.Add(audit.Entry(AuditEvents.SignIn, person.Id.ToString(), Shown(person.Email ?? ""), "SignedOut",
            who: (person.Id, person.DisplayName)));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How long until the address or the account is below its limit again; null when it is below now.</summary>
    private async Task<TimeSpan?> RetryAfterAsync(string address, string account, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var since = now - o.Window;
        // The limit-th most recent failure in the window: while it is inside the window, the limit is reached.
        var byAddress = await db.SignInAttempts.AsNoTracking()
            .Where(a => a.Address == address && a.At > since && !a.Succeeded)
            .OrderByDescending(a => a.At).Skip(o.MaxFailuresPerAddress - 1).Select(a => (DateTimeOffset?)a.At).FirstOrDefaultAsync(ct);
        var byAccount = await db.SignInAttempts.AsNoTracking()
            .Where(a => a.Account == account && a.At > since && !a.Succeeded)
            .OrderByDescending(a => a.At).Skip(o.MaxFailuresPerAccount - 1).Select(a => (DateTimeOffset?)a.At).FirstOrDefaultAsync(ct);
        var until = new[] { byAddress, byAccount }.Where(a => a is not null).Select(a => a!.Value + o.Window).DefaultIfEmpty().Max();
        return until > now ? until - now : null;
    }

    /// <summary>One "Throttled" entry per address and minute: a flood of refused attempts does not flood the trail.</summary>
    private async Task RecordThrottledAsync(string address, string email, string via, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var minuteAgo = now.AddMinutes(-1);
        log.LogWarning("Sign-in throttled ({Via}) from {Address}", via, address);
        var recent = await db.AuditEntries.AsNoTracking().AnyAsync(a =>
            a.At > minuteAgo && a.EntityType == AuditEvents.SignIn && a.Action == "Throttled" && a.Address == address, ct);
        if (recent) return;
        db.AuditEntries.Add(audit.Entry(AuditEvents.SignIn, "", Shown(email), "Throttled", new { via }, who: (null, "unknown account")));
        await db.SaveChangesAsync(ct);
    }

    private string AddressNow() => http.HttpContext is { } ctx ? AuditActor.AddressOf(ctx) : "unknown";

    private static string Normalize(string email)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return normalized.Length <= 256 ? normalized : normalized[..256];
    }

    /// <summary>What the trail shows of the typed email: only something shaped like one (never a password typed in the wrong box).</summary>
    private static string Shown(string email) =>
        new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) && email.Length <= 256 ? email.Trim() : "(not an email address)";
}
