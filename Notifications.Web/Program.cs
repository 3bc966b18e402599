using Notifications.Web.Account;
using Notifications.Web.Api;
using Notifications.Web.Components;
using Notifications.Web.Feed;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationsApiClient();
builder.AddAccount();
builder.AddLiveFeed();
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapAccount();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
