using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// How much a request may send. Every body is at most <see cref="BodyBytes"/> (1 MB: the longest reflection or
/// tour text is a few kilobytes of JSON) unless its endpoint says otherwise with [RequestSizeLimit] metadata, as the
/// CSV import does. Kestrel enforces the limit on the bytes as they arrive, chunked or not (routing lowers or raises
/// it per endpoint through IHttpMaxRequestBodySizeFeature); <see cref="RefuseDeclaredOversize"/> answers a request
/// whose Content-Length already says it is too large before anything reads it, on any server.
/// Forms get their own limits: few and short fields, a multipart body only as large as the import allows.
/// </summary>
public static class RequestLimits
{
    public const long BodyBytes = 1024 * 1024;
    public const int FormValueBytes = 256 * 1024;
    public const int FormValueCount = 2_000;
    public const int FormKeyBytes = 512;
    public const long MultipartBytes = 6 * 1024 * 1024;

    public static void AddRequestLimits(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = BodyBytes;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            o.Limits.MaxRequestLineSize = 8 * 1024;
        });
        services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = FormValueBytes;
            o.ValueCountLimit = FormValueCount;
            o.KeyLengthLimit = FormKeyBytes;
            o.MultipartBodyLengthLimit = MultipartBytes;
        });
    }

    /// <summary>The body limit of the request's endpoint.</summary>
    public static long Limit(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? BodyBytes;

    public static string Describe(HttpContext context) => Limit(context) is var bytes && bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024):0.#} MB"
        : $"{bytes / 1024} KB";

    /// <summary>After routing: a declared Content-Length over the endpoint's limit is a 413 before anything reads the body.</summary>
    public static IApplicationBuilder RefuseDeclaredOversize(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength is { } length && length > Limit(context))
        {
            // The body is never read: Kestrel closes the connection after the answer rather than drain it.
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            if (WebExtensions.IsApi(context))
            {
                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "The request is too large" },
                });
            }
            return; // pages: the status-code page (/Error/413) says it
        }
        await next(context);
    });
}
