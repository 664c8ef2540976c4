using Rotations.Web.Features.Scheduling;

namespace Rotations.Web.Features.Reflections;

/// <summary>How a reflection's state reads on pages: the same words on the form, the stint and the learning log.</summary>
public static class ReflectionDisplay
{
    public static string Status(ReflectionStatus status, bool? onTime) => status switch
    {
        ReflectionStatus.NotStarted => "Not started",
        ReflectionStatus.Draft => "Draft",
        _ => onTime == false ? "Submitted late" : "Submitted on time",
    };

    public static string StatusClass(ReflectionStatus status, bool? onTime) => status switch
    {
        ReflectionStatus.NotStarted => "tag--not-yet",
        ReflectionStatus.Draft => "tag--planned",
        _ => onTime == false ? "tag--late" : "tag--done",
    };

    /// <summary>"Due 12 Mar 2027", or when it was submitted.</summary>
    public static string When(ReflectionStatus status, DateTimeOffset? submittedAt, DateOnly dueOn) =>
        status == ReflectionStatus.Submitted && submittedAt is { } at
            ? $"submitted {StintDisplay.Instant(at)}"
            : $"due {StintDisplay.Date(dueOn)}";
}
