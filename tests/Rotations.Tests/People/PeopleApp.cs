using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;

namespace Rotations.Tests.People;

/// <summary>
/// The app for the people tests, with cheap password hashing: these tests create and sign in many people,
/// and 210,000 PBKDF2 rounds each would make them slow. The hashing itself is tested in Account/.
/// </summary>
public sealed class PeopleApp : RotationsApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
    }
}
