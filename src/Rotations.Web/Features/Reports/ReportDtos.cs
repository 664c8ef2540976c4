using Rotations.Web.Features.People;
using Rotations.Web.Features.Readiness;

namespace Rotations.Web.Features.Reports;

// Bench strength: the current decision of each leader for each level, counted by band.

/// <summary>A decision band and how many leaders it holds for one level now.</summary>
public sealed record BenchBand(string Code, string Label, int Count);

/// <summary>
/// One level: the leaders whose current review for it falls in each band (bands in band order), and the leaders who
/// target the level and have no current review for it.
/// </summary>
public sealed record BenchLevel(Level Level, IReadOnlyList<BenchBand> Bands, int WithoutReview)
{
    public int Total => Bands.Sum(b => b.Count) + WithoutReview;
}

public sealed record BenchReport(Guid? CohortId, IReadOnlyList<BenchLevel> Levels);

// Coverage: leaders × tours of one cohort.

public sealed record CoverageTour(Guid Id, string Code, string Name);

/// <summary>One leader and one tour: the best status reached, the weeks done, and the latest stint behind it.</summary>
public sealed record CoverageCell(string TourCode, CoverageStatus Status, int Weeks, Guid? StintId);

public sealed record CoverageRow(Guid Id, string Name, string Email, IReadOnlyList<CoverageCell> Cells);

public sealed record CoverageReport(Guid CohortId, string CohortName, IReadOnlyList<CoverageTour> Tours, IReadOnlyList<CoverageRow> Leaders);

// Reflection compliance: submitted on time out of the reflections that were due.

/// <summary>
/// Reflections that were due in a group: <see cref="Due"/> = submitted + overdue and still missing; the on-time
/// rate is <see cref="OnTime"/> / <see cref="Due"/> (null when nothing was due yet).
/// </summary>
public sealed record ComplianceRow(Guid? Id, string Name, int Due, int Submitted, int OnTime, int Late, int Missing)
{
    public double? OnTimeRate => Due == 0 ? null : (double)OnTime / Due;
}

public sealed record ComplianceReport(int OverdueDays, IReadOnlyList<ComplianceRow> ByCohort, IReadOnlyList<ComplianceRow> ByTour, ComplianceRow Overall);

// Overdue reflections.

public sealed record OverdueReflection(
    Guid StintId, Guid LeaderId, string LeaderName, Guid? ManagerId, string? ManagerName, string TourCode, string TourName,
    DateOnly EndDate, DateOnly DueOn, int DaysOverdue);

public sealed record OverdueReport(int OverdueDays, IReadOnlyList<OverdueReflection> Items);

// Capacity use over the next 12 months.

public sealed record CapacityMonth(DateOnly Month, int Peak, int Capacity, int FullWeeks, int Weeks)
{
    /// <summary>The busiest day's places taken, as a share of the capacity (above 100 when overbooked).</summary>
    public int UsePercent => Capacity == 0 ? 0 : (int)Math.Round(100.0 * Peak / Capacity, MidpointRounding.AwayFromZero);
}

public sealed record CapacityTour(Guid Id, string Code, string Name, int Capacity, IReadOnlyList<CapacityMonth> Months);

public sealed record CapacityReport(IReadOnlyList<DateOnly> Months, IReadOnlyList<CapacityTour> Tours);

// Side-by-side comparison for one level.

public sealed record RequiredTourCoverage(string TourCode, string TourName, CoverageStatus Status, int Weeks);

public sealed record ComparedLeader(
    Guid Id, string Name, string? Cohort, Level? TargetLevel, int ToursDone, int WeeksDone,
    IReadOnlyList<RequiredTourCoverage> RequiredTours, int ReflectionsDue, int ReflectionsOnTime,
    double? HostFeedbackAverage, int HostFeedbackCount, string? Decision, string? DecisionLabel, DateTimeOffset? DecidedAt)
{
    public int RequiredDone => RequiredTours.Count(t => t.Status == CoverageStatus.Done);
}

public sealed record Comparison(Level Level, int MinDistinctTours, int MinTotalWeeks, IReadOnlyList<ComparedLeader> Leaders);

/// <summary>A leader as the comparison form offers them.</summary>
public sealed record LeaderChoice(Guid Id, string Name, string? Cohort, Level? TargetLevel);

// The readiness export: one row per leader.

public sealed record ReadinessRow(
    Guid Id, string Name, string Email, string? Cohort, Level? TargetLevel,
    IReadOnlyDictionary<Level, string> Decisions, int ToursDone, int WeeksDone, int ReflectionsMissing);

// A manager's direct reports.

public sealed record StintBrief(Guid Id, string TourCode, string TourName, DateOnly StartDate, DateOnly EndDate);

public sealed record DecisionBrief(Level Level, string Label, DateTimeOffset SubmittedAt);

public sealed record DirectReport(
    Guid Id, string Name, Level? TargetLevel, StintBrief? Current, StintBrief? Next, int OverdueReflections, DecisionBrief? LatestDecision);

public sealed record CohortChoice(Guid Id, string Name);
