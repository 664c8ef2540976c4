namespace Rotations.Web.Infrastructure.Web;

/// <summary>
/// The framework refuses a whole URL-encoded form when a value holds a NUL ("%00"): the antiforgery check cannot
/// read its token, the person gets a bare 400 page, and everything they typed is lost. Before anything reads the
/// form, a NUL becomes U+FFFD, the replacement character, which <see cref="SafeText"/> refuses where the text is
/// saved: the page re-renders with the message beside that field and the rest as typed. Only page forms: the
/// API reads JSON, where the NUL is refused with its path (SafeTextJsonConverter).
/// </summary>
internal static class FormText
{
    private static readonly byte[] Replacement = "%EF%BF%BD"u8.ToArray();

    public static IApplicationBuilder UseFormNulReplacement(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && !WebExtensions.IsApi(context) &&
            request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Within the body limit (RequestLimits): Kestrel stops a longer body while it is copied here.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = Rewrite(buffer.ToArray());
            request.Body = new MemoryStream(body, writable: false);
            request.ContentLength = body.Length;
        }
        await next(context);
    });

    /// <summary>The body with each "%00" and raw NUL byte replaced by U+FFFD, percent-encoded.</summary>
    internal static byte[] Rewrite(byte[] body)
    {
        if (body.AsSpan().IndexOf((byte)0) < 0 && body.AsSpan().IndexOf("%00"u8) < 0) return body;
        var output = new List<byte>(body.Length + 16);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == 0) { output.AddRange(Replacement); continue; }
            if (body[i] == (byte)'%' && i + 2 < body.Length && body[i + 1] == (byte)'0' && body[i + 2] == (byte)'0')
            {
                output.AddRange(Replacement);
                i += 2;
                continue;
            }
            output.Add(body[i]);
        }
        return [.. output];
    }
}
