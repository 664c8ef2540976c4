using Rotations.Web.Features.Account;
using Rotations.Web.Features.Admin;
using Rotations.Web.Features.Audit;
using Rotations.Web.Features.Benchmarks;
using Rotations.Web.Features.Calendar;
using Rotations.Web.Features.Catalogue;
using Rotations.Web.Features.Competencies;
using Rotations.Web.Features.Demo;
using Rotations.Web.Features.Jobs;
using Rotations.Web.Features.Notifications;
using Rotations.Web.Features.People;
using Rotations.Web.Features.Planning;
using Rotations.Web.Features.Readiness;
using Rotations.Web.Features.Reflections;
using Rotations.Web.Features.Reminders;
using Rotations.Web.Features.Reports;
using Rotations.Web.Features.Scheduling;
using Rotations.Web.Infrastructure.Cli;
using Rotations.Web.Infrastructure.Database;
using Rotations.Web.Infrastructure.Scheduler;
using Rotations.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddRotationsLogging();
builder.AddRotationsData();
builder.AddRotationsIdentity();
builder.AddRotationsWeb();
builder.AddAdmin();
builder.AddScheduling();
builder.AddCalendar();
builder.AddAuditLog();
builder.AddCatalogue();
builder.AddCompetencies();
builder.AddReadinessCriteria();
builder.AddReflections();
builder.AddReadiness();
builder.AddPlanning();
builder.AddPeople();
builder.AddReminders();
builder.AddReports();
builder.AddNotifications();
builder.AddDemoData();
builder.AddRotationsScheduler();
builder.AddJobs();

var app = builder.Build();

app.UseRotationsWeb();
app.MapRotationsWeb();
app.MapAccountApi();
app.MapCalendar();
app.MapAuditApi();
app.MapToursApi();
app.MapCompetencies();
app.MapReadinessCriteria();
app.MapReflections();
app.MapReadiness();
app.MapPlanning();
app.MapCohortsApi();
app.MapStintsApi();
app.MapPeopleApi();
app.MapNotifications();
app.MapReminders();
app.MapReports();
app.MapJobsApi();
app.MapBaseline();

return await app.RunCommandAsync(args);

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
