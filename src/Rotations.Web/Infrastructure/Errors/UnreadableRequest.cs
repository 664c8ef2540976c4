using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace Rotations.Web.Infrastructure.Errors;

/// <summary>
/// A body or query value the framework could not bind (a date that is not a day, an unknown enum value)
/// becomes a 400 that names the field, like the domain's own validation errors.
/// </summary>
internal static partial class UnreadableRequest
{
    public static ProblemDetails Problem(BadHttpRequestException exception)
    {
        // Kestrel's size limit: the detail (StatusProblems) names the endpoint's limit in words, not bytes.
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge, Title = "The request is too large" };
        string? field = null;
        Type? type = null;
        if (exception.InnerException is JsonException { Path: { Length: > 2 } path } json)
        {
            field = FieldOf(path);
            type = BodyPropertyType(json.Message, field);
        }
        else if (QueryParameter().Match(exception.Message) is { Success: true } query)
        {
            field = query.Groups["name"].Value;
            type = QueryParameterType(query.Groups["type"].Value);
        }
        if (field is null || exception.StatusCode != StatusCodes.Status400BadRequest)
            return new ProblemDetails { Status = exception.StatusCode, Title = "The request could not be read", Detail = exception.Message };

        var message = exception.InnerException is Web.UnsafeTextException unsafeText ? unsafeText.Message : Describe(type);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some fields are not valid",
            Detail = $"{field}: {message}",
        };
    }

    private static string Describe(Type? type) => type switch
    {
        null => "This value could not be read.",
        { IsEnum: true } => $"Use one of: {string.Join(", ", Enum.GetNames(type))}.",
        _ when type == typeof(DateOnly) => "Write a real calendar day as YYYY-MM-DD.",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "Write an ISO 8601 instant, such as 2027-01-04T09:00:00Z.",
        _ when type == typeof(Guid) => "This is not a valid id.",
        _ when type == typeof(int) || type == typeof(uint) || type == typeof(long) => "Write a whole number.",
        _ when type == typeof(bool) => "Write true or false.",
        _ when type == typeof(string) => "Write text in quotes.",
        _ => "This value could not be read.",
    };

    /// <summary>"$.startDate" → "startDate"; "$.ratings[2].rating" → "ratings[2].rating".</summary>
    private static string FieldOf(string jsonPath) => jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    /// <summary>The declared type of the property the path leads to, in the body type the message names.</summary>
    private static Type? BodyPropertyType(string message, string field)
    {
        if (TargetType().Match(message) is not { Success: true } m || Type.GetType(m.Groups["type"].Value) is not { } type) return null;
        foreach (var part in field.Split('.'))
        {
            var indexed = part.EndsWith(']');
            var name = indexed ? part[..part.IndexOf('[')] : part;
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null) return null;
            type = property.PropertyType;
            if (indexed) type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? type;
            type = Nullable.GetUnderlyingType(type) ?? type;
        }
        return type;
    }

    /// <summary>"DateOnly?" or "StintStatus?" as minimal APIs name a parameter's type.</summary>
    private static Type? QueryParameterType(string name)
    {
        name = name.TrimEnd('?');
        return name switch
        {
            "DateOnly" => typeof(DateOnly),
            "DateTimeOffset" => typeof(DateTimeOffset),
            "Guid" => typeof(Guid),
            "int" => typeof(int),
            "bool" => typeof(bool),
            _ => typeof(UnreadableRequest).Assembly.GetTypes().FirstOrDefault(t => t.IsEnum && t.Name == name),
        };
    }

    // System.Text.Json: "The JSON value could not be converted to Namespace.BodyType. Path: $.kind …"
    [GeneratedRegex(@"converted to (?:System\.Nullable`1\[)?(?<type>[\w+]+(?:\.[\w+]+)*)")]
    private static partial Regex TargetType();

    // Minimal APIs: "Failed to bind parameter \"DateOnly? from\" from \"x\"."
    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]*?) (?<name>\w+)" from""")]
    private static partial Regex QueryParameter();
}
