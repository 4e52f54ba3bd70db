using SalesFlow.Functions.Apis;
using SalesFlow.Functions.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddSalesFlowLogging();
builder.AddSalesFlow();

var app = builder.Build();
app.UseCorrelation();
app.UseSalesFlowErrors();
app.MapHealthApi();
app.MapWebhooksApi();
app.MapConversationsApi();
app.MapLeadsApi();
app.MapOutboxApi();
app.MapIntelligenceApi();
app.MapClientsApi();
app.MapKnowledgeApi();
await app.RunAsync();

/// <summary>Entry point marker for tests that host the app.</summary>
public partial class Program;
