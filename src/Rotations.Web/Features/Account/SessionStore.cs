using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;
using Rotations.Web.Infrastructure.Database;

namespace Rotations.Web.Features.Account;

/// <summary>A signed-in browser session: the authentication ticket the cookie's key points at.</summary>
public sealed class SignInSession
{
    public Guid Id { get; init; }
    public Guid PersonId { get; init; }
    public required byte[] Ticket { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class SignInSessionConfiguration : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> e)
    {
        e.ToTable("sign_in_sessions");
        e.Property(s => s.Id).ValueGeneratedNever();
        e.HasOne<Person>().WithMany().HasForeignKey(s => s.PersonId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(s => s.ExpiresAt);
    }
}

/// <summary>
/// Keeps cookie sessions in the database (<see cref="CookieAuthenticationOptions.SessionStore"/>): the cookie holds
/// only a random key, encrypted. Signing out deletes the row, so the session ends on every node at once and a copied
/// cookie stops working; deactivating a person deletes all of theirs. One primary-key read per request.
/// </summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider clock) : ITicketStore
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(10);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var now = clock.GetUtcNow();
        var personId = Scheduling.StintAccess.PersonId(ticket.Principal);
        if (personId == Guid.Empty) throw new InvalidOperationException("A session needs a person.");
        var session = new SignInSession
        {
            Id = Guid.NewGuid(), PersonId = personId, Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = now, ExpiresAt = ticket.Properties.ExpiresUtc ?? now + DefaultLifetime,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
        // The person's own expired sessions go as a new one comes: the table holds live sessions, give or take.
        await db.SignInSessions.Where(s => s.PersonId == personId && s.ExpiresAt < now).ExecuteDeleteAsync();
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id.ToString("N");
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        if (!Guid.TryParseExact(key, "N", out var id)) return;
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var expires = ticket.Properties.ExpiresUtc ?? clock.GetUtcNow() + DefaultLifetime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
        await db.SignInSessions.Where(s => s.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAt, expires));
    }

    /// <summary>On every request with a cookie, so one plain command on a pooled connection (no scope, no DbContext:
    /// issue 9's benchmark found the scope and EF's query pipeline cost more than the primary-key read itself).</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!Guid.TryParseExact(key, "N", out var id)) return null;
        await using var command = dataSource.CreateCommand("select ticket from sign_in_sessions where id = $1 and expires_at > $2");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        var bytes = await command.ExecuteScalarAsync() as byte[];
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public async Task RemoveAsync(string key)
    {
        if (!Guid.TryParseExact(key, "N", out var id)) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RotationsDbContext>();
        await db.SignInSessions.Where(s => s.Id == id).ExecuteDeleteAsync();
    }
}
