namespace Rotations.Web.Features.Admin;

public static class AdminExtensions
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoleAssignment>();
        return builder;
    }
}
