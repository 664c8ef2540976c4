namespace Rotations.Web.Features.Readiness;

/// <summary>How a review's state reads on pages.</summary>
public static class ReviewDisplay
{
    public static string Status(ReviewDto r) => r.Status switch
    {
        ReviewStatus.Draft => "Draft",
        ReviewStatus.Returned => "Returned for calibration",
        _ => r.IsCurrent ? "Current" : "Superseded",
    };

    public static bool IsSuperseded(this ReviewDto r) => r.Status == ReviewStatus.Submitted && !r.IsCurrent;

    public static string StatusClass(ReviewDto r) => r.Status switch
    {
        ReviewStatus.Draft => "tag--planned",
        ReviewStatus.Returned => "tag--late",
        _ => r.IsCurrent ? "tag--done" : "tag--muted",
    };
}
