using System.Reflection;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Switchboard;
using Switchboard.Routing;
using Switchboard.Security;

namespace IncidentTracker;

/// <summary>
/// The incident tracker (the 2016 article): incidents and areas of interest with locations and polygons; every change is
/// pushed to the <c>notifications</c> group, and an open incident in a watching area raises an alert.
/// </summary>
public static class IncidentApp
{
    private static readonly GeometryFactory s_geometry = new(new PrecisionModel(), 4326);

    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = new AllowedHostsOriginValidator(new UrlRouter().Map<NotificationsConsumer>("ws/notifications/")),
    };

    /// <summary>Builds the app; <c>ConnectionStrings:Incidents</c> is the SQLite database (default <c>incidents.db</c>).</summary>
    public static WebApplication CreateApp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8002");
        }

        if (string.IsNullOrEmpty(builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey]))
        {
            builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey] = "localhost;127.0.0.1;[::1]";
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        var connectionString = builder.Configuration.GetConnectionString("Incidents") ?? "Data Source=incidents.db";
        builder.Services.AddSwitchboard(Application);
        builder.Services.AddSingleton<NotificationInterceptor>();
        builder.Services.AddDbContext<IncidentDbContext>((services, options) =>
            options.UseSqlite(connectionString).AddInterceptors(services.GetRequiredService<NotificationInterceptor>()));

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<IncidentDbContext>().Database.EnsureCreated();
        }

        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/incidents", async (IncidentDbContext db) =>
            Results.Text("[" + string.Join(",", (await db.Incidents.AsNoTracking().ToListAsync()).Select(GeoJson.Feature)) + "]", "application/json"));
        app.MapPost("/incidents", async (IncidentInput input, IncidentDbContext db) =>
        {
            if (Invalid(input) is { } problem)
            {
                return problem;
            }

            var incident = new Incident { Name = input.Name, Severity = input.Severity, Closed = input.Closed, Location = Point(input) };
            db.Incidents.Add(incident);
            await db.SaveChangesAsync();
            return Results.Created($"/incidents/{incident.Id}", new { id = incident.Id });
        });
        app.MapPut("/incidents/{id:int}", async (int id, IncidentInput input, IncidentDbContext db) =>
        {
            if (Invalid(input) is { } problem)
            {
                return problem;
            }

            var incident = await db.Incidents.FindAsync(id);
            if (incident is null)
            {
                return Results.NotFound();
            }

            (incident.Name, incident.Severity, incident.Closed, incident.Location) = (input.Name, input.Severity, input.Closed, Point(input));
            await db.SaveChangesAsync();
            return Results.NoContent();
        });
        app.MapDelete("/incidents/{id:int}", async (int id, IncidentDbContext db) =>
        {
            var incident = await db.Incidents.FindAsync(id);
            if (incident is null)
            {
                return Results.NotFound();
            }

            db.Incidents.Remove(incident);
            await db.SaveChangesAsync();
            return Results.NoContent();
        });
        app.MapPost("/areas", async (AreaInput input, IncidentDbContext db) =>
        {
            if (input.Polygon is not { Length: >= 3 } || input.Severities.Any(s => !Severities.All.Contains(s)))
            {
                return Results.Problem(statusCode: 400, title: "Give at least 3 [lon, lat] corners and severities among " + string.Join(", ", Severities.All) + ".");
            }

            var ring = input.Polygon.Append(input.Polygon[0]).Select(c => new Coordinate(c[0], c[1])).ToArray();
            var area = new AreaOfInterest { Name = input.Name, Severity = string.Join(",", input.Severities), Polygon = s_geometry.CreatePolygon(ring) };
            db.Areas.Add(area);
            await db.SaveChangesAsync();
            return Results.Created($"/areas/{area.Id}", new { id = area.Id });
        });
        app.MapDelete("/areas/{id:int}", async (int id, IncidentDbContext db) =>
        {
            var area = await db.Areas.FindAsync(id);
            if (area is null)
            {
                return Results.NotFound();
            }

            db.Areas.Remove(area);
            await db.SaveChangesAsync();
            return Results.NoContent();
        });
        app.MapSwitchboard();
        return app;
    }

    private static IResult? Invalid(IncidentInput input) =>
        !Severities.All.Contains(input.Severity) || input.Longitude is < -180 or > 180 || input.Latitude is < -90 or > 90
            ? Results.Problem(statusCode: 400, title: "Give a severity among " + string.Join(", ", Severities.All) + " and a longitude and latitude in range.")
            : null;

    private static Point Point(IncidentInput input) => s_geometry.CreatePoint(new Coordinate(input.Longitude, input.Latitude));

    private static IResult Page(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"IncidentTracker.Pages.{name}")
            ?? throw new InvalidOperationException($"The page {name} is not embedded.");
        return Results.Stream(stream, "text/html; charset=utf-8");
    }

    /// <summary>The body of <c>POST /incidents</c> and <c>PUT /incidents/{id}</c>.</summary>
    public sealed record IncidentInput(string Name, string Severity, double Longitude, double Latitude, bool Closed = false);

    /// <summary>The body of <c>POST /areas</c>: corners as <c>[longitude, latitude]</c>, the ring closed for you.</summary>
    public sealed record AreaInput(string Name, string[] Severities, double[][] Polygon);
}
