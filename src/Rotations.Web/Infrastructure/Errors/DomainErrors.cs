namespace Rotations.Web.Infrastructure.Errors;

/// <summary>
/// The domain's own refusals. Services throw them; the API turns them into problem details
/// (DomainExceptionHandler) and pages show their messages beside the fields.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>400: the request's fields are wrong. Keys are the JSON field names (camelCase).</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("The request has invalid fields: " + string.Join(", ", errors.Keys))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public ValidationFailedException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }
}

/// <summary>404: the thing does not exist, or the caller may not know that it does.</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>One reason a write clashes with what is already booked.</summary>
public sealed record Clash(string Kind, string Message, IReadOnlyList<Guid> StintIds, DateOnly? From = null, DateOnly? To = null);

/// <summary>409: the write clashes with existing data; the clashes are named.</summary>
public sealed class ConflictException(string message, IReadOnlyList<Clash> clashes) : DomainException(message)
{
    public IReadOnlyList<Clash> Clashes { get; } = clashes;

    public ConflictException(string message, Guid stintId) : this(message, [new Clash("State", message, [stintId])]) { }
    public ConflictException(IReadOnlyList<Clash> clashes) : this(string.Join(" ", clashes.Select(c => c.Message)), clashes) { }
}

/// <summary>412: the caller edited a version that someone else has changed since.</summary>
public sealed class StaleVersionException(string what)
    : DomainException($"{what} was changed by someone else since you loaded it. Reload it and make your change again.");

/// <summary>403: the caller may see this, but not do that to it.</summary>
public sealed class ForbiddenException(string message) : DomainException(message);
