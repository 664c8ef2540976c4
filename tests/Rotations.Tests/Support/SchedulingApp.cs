using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Rotations.Tests.Support;

/// <summary>
/// The whole app, as <see cref="RotationsApp"/>, with cheap password hashing. Scheduling tests sign many
/// people in, and 210,000 PBKDF2 rounds per password on a small CI machine would cost them most of their
/// time; the hashing itself is proven by the account tests, which keep the real cost.
/// </summary>
public sealed class SchedulingApp : RotationsApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
    }
}
