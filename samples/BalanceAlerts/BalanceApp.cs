using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Switchboard;
using Switchboard.Auth;
using Switchboard.Routing;
using Switchboard.Security;

namespace BalanceAlerts;

/// <summary>
/// The balance-alert application (the 2020 article): users log in, their page opens <c>/ws/balance/</c>, and when an
/// admin's change makes a balance insufficient (or sufficient again) that user's page, and only that page, is told.
/// </summary>
public static class BalanceApp
{
    /// <summary>The seeded accounts: user name, password, role, starting balance.</summary>
    public static readonly (string Name, string Password, string Role, decimal Balance)[] SeedUsers =
    [
        ("alice", "alice-password", User.PayingRole, 20m),
        ("bob", "bob-password", "basic", 15m),
        ("admin", "admin-password", User.AdminRole, 0m),
    ];

    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = new AllowedHostsOriginValidator(new AuthMiddleware(new UrlRouter().Map<BalanceConsumer>("ws/balance/"))),
    };

    /// <summary>Builds the app. Configuration: <c>ConnectionStrings:Balance</c> (SQLite, default <c>balance.db</c>) and
    /// <c>Email:PickupFolder</c> (default <c>mail</c>).</summary>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8001");
        }

        if (string.IsNullOrEmpty(builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey]))
        {
            builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey] = "localhost;127.0.0.1;[::1]";
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        configure?.Invoke(builder);

        var connectionString = builder.Configuration.GetConnectionString("Balance") ?? "Data Source=balance.db";
        var pickup = builder.Configuration["Email:PickupFolder"] ?? Path.Combine(builder.Environment.ContentRootPath, "mail");
        builder.Services.AddSwitchboard(Application).AddAuthorization();
        builder.Services.AddSingleton<IEmailSender>(new PickupFolderEmailSender(pickup));
        builder.Services.AddSingleton<BalanceAlertInterceptor>();
        builder.Services.AddDbContext<BalanceDbContext>((services, options) =>
            options.UseSqlite(connectionString).AddInterceptors(services.GetRequiredService<BalanceAlertInterceptor>()));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/";

                // The admin endpoint is an API: a signed-in user without the role gets 403, not a redirect.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization(o => o.AddPolicy(User.AdminRole, p => p.RequireRole(User.AdminRole)));

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            Seed(scope.ServiceProvider.GetRequiredService<BalanceDbContext>());
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", (HttpContext context) => Page(context.User.Identity?.IsAuthenticated == true ? "balance.html" : "login.html"));
        app.MapPost("/login", LoginAsync).DisableAntiforgery();
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return Results.Redirect("/");
        });
        app.MapGet("/me", (ClaimsPrincipal user, BalanceDbContext db) =>
        {
            var account = db.Users.Single(u => u.Id == IdOf(user));
            return Results.Json(new { name = account.UserName, balance = account.Balance, insufficient = account.IsInsufficient });
        }).RequireAuthorization();
        app.MapPost("/admin/balance", SetBalanceAsync).RequireAuthorization(User.AdminRole).DisableAntiforgery();
        app.MapSwitchboard();
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, BalanceDbContext db)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["username"].ToString();
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == name, context.RequestAborted);
        if (user is null || new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash, form["password"].ToString()) == PasswordVerificationResult.Failed)
        {
            return Results.Redirect("/?error=1");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Name, user.UserName), new Claim(ClaimTypes.Role, user.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(new ClaimsPrincipal(identity));
        return Results.Redirect("/");
    }

    /// <summary><c>POST /admin/balance</c> with form fields <c>username</c> and <c>balance</c>; the save triggers the alert.</summary>
    private static async Task<IResult> SetBalanceAsync(HttpContext context, BalanceDbContext db)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!decimal.TryParse(form["balance"], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var balance))
        {
            return Results.Problem(statusCode: 400, title: "Give a decimal balance, for example balance=-5.00.");
        }

        var name = form["username"].ToString();
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == name, context.RequestAborted);
        if (user is null)
        {
            return Results.Problem(statusCode: 404, title: $"No user '{name}'.");
        }

        user.SetBalance(balance);
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.Ok(new { name = user.UserName, balance = user.Balance, insufficient = user.IsInsufficient });
    }

    private static int IdOf(ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!, System.Globalization.CultureInfo.InvariantCulture);

    private static void Seed(BalanceDbContext db)
    {
        db.Database.EnsureCreated();
        if (db.Users.Any())
        {
            return;
        }

        var hasher = new PasswordHasher<User>();
        foreach (var (name, password, role, balance) in SeedUsers)
        {
            var user = new User { UserName = name, Email = $"{name}@balance.example", Role = role };
            user.PasswordHash = hasher.HashPassword(user, password);
            user.SetBalance(balance);
            db.Users.Add(user);
        }

        db.SaveChanges();
    }

    private static IResult Page(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"BalanceAlerts.Pages.{name}")
            ?? throw new InvalidOperationException($"The page {name} is not embedded.");
        return Results.Stream(stream, "text/html; charset=utf-8");
    }
}
