using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Admin;
using RetentionAnalytics.Portal.Features.CallLists;
using RetentionAnalytics.Portal.Features.Customers;
using RetentionAnalytics.Portal.Features.MyTasks;
using RetentionAnalytics.Portal.Features.Operations;
using RetentionAnalytics.Portal.Features.Overview;
using RetentionAnalytics.Portal.Features.Pipeline;
using RetentionAnalytics.Portal.Features.Scheduling;
using RetentionAnalytics.Portal.Features.Shared;
using RetentionAnalytics.Portal.Features.Sms;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Portal.Features.Shared.Logging;
using RetentionAnalytics.Portal.Features.Warehouse;

var builder = WebApplication.CreateBuilder(args);

builder.ListenOnLoopbackByDefault();
builder.AddPortalLogging();
builder.AddWarehouse();
builder.AddPipeline();
builder.AddScheduler();
builder.AddPortalLocalization();
builder.AddPortalUi();
builder.AddPortalAccess();
builder.AddOverview();
builder.AddCallLists();
builder.AddCustomers();
builder.AddMyTasks();
builder.AddAdmin();
builder.AddSystemOverview();
builder.AddOperations();
builder.AddSms();

var app = builder.Build();

app.OpenWarehouse();
app.SeedDemoAccounts();
app.UsePortalNetwork();
app.UsePortalUi();
app.UsePortalAccess();
app.MapCultureSwitch();
app.MapAccountEndpoints();
app.MapOperations();
app.MapOverview();
app.MapCallLists();
app.MapMyTasks();
app.MapAdmin();
app.MapSms();
app.MapPortalPages();

app.Run();
