using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Rotations.Tests.Support;

/// <summary>
/// TestServer gives a request no network peer. <see cref="On"/> makes a factory where a test names the peer of each
/// request in the <see cref="Header"/> header, set before anything else runs: the test's stand-in for a network.
/// </summary>
public sealed class TestPeer : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public static WebApplicationFactory<Program> On(WebApplicationFactory<Program> factory) =>
        factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, TestPeer>()));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((ctx, inner) =>
        {
            if (ctx.Request.Headers.TryGetValue(Header, out var peer)) ctx.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return inner(ctx);
        });
        next(app);
    };
}
