using RetentionAnalytics.Portal.Features.Home;
using RetentionAnalytics.Portal.Features.Operations;
using RetentionAnalytics.Portal.Features.Pipeline;
using RetentionAnalytics.Portal.Features.Scheduling;
using RetentionAnalytics.Portal.Features.Shared;
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
builder.AddHome();
builder.AddOperations();

var app = builder.Build();

app.OpenWarehouse();
app.UsePortalUi();
app.MapCultureSwitch();
app.MapOperations();
app.MapPortalPages();

app.Run();
