using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Rotations.Web.Features.Account;

public static class AccountClaims
{
    public const string DisplayName = "rotations:display_name";
}

/// <summary>Adds the display name to the sign-in, so the layout greets people without a query per page.</summary>
internal sealed class PersonClaimsFactory(UserManager<Person> people, RoleManager<Role> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Person, Role>(people, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Person user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
