using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Benchmarks;

namespace Rotations.Tests.Benchmarks;

/// <summary>The benchmark's raw-SQL baseline exists only where the benchmark switches it on.</summary>
public sealed class BaselineApiTests(RotationsApp app) : IClassFixture<RotationsApp>
{
    private static List<RouteEndpoint> BaselineEndpoints(RotationsApp app)
    {
        _ = app.CreateClient();
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith(BaselineApi.Path.TrimStart('/'), StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task Baseline_IsNotMappedByDefault()
    {
        Assert.Empty(BaselineEndpoints(app));
        var hr = await app.HrApiAsync();
        var response = await hr.GetAsync($"{BaselineApi.Path}/bench");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Baseline_WhenEnabled_IsMappedWithPoliciesAndKeepsEachReadToItsReaders()
    {
        await using var enabled = new RotationsApp().With(BaselineApi.EnabledKey, "true");
        await enabled.InitializeAsync();
        try
        {
            var endpoints = BaselineEndpoints(enabled);
            Assert.Equal(5, endpoints.Count);
            Assert.All(endpoints, e => Assert.Contains(e.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy == Policies.SignedIn));

            var anonymous = enabled.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{BaselineApi.Path}/inbox")).StatusCode);

            var (_, leader) = await enabled.ApiPersonAsync("baseline-leader", Roles.Leader);
            var (other, _) = await enabled.ApiPersonAsync("other-leader", Roles.Leader);
            Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync($"{BaselineApi.Path}/inbox")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"{BaselineApi.Path}/bench")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync($"{BaselineApi.Path}/coverage?cohortId={Guid.NewGuid()}")).StatusCode);
            // Another leader's readiness is not found, as in the app's own endpoint.
            Assert.Equal(HttpStatusCode.NotFound, (await leader.GetAsync($"{BaselineApi.Path}/leaders/{other.Id}/readiness")).StatusCode);
        }
        finally
        {
            await enabled.DisposeDatabaseAsync();
        }
    }
}
