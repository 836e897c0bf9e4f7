using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace IncidentTracker;

/// <summary>Incidents and areas in SQLite. Geometries are stored as WKT text, so no SpatiaLite extension is needed; the
/// spatial work (containment) is done by NetTopologySuite in the process.</summary>
public sealed class IncidentDbContext(DbContextOptions<IncidentDbContext> options) : DbContext(options)
{
    public DbSet<Incident> Incidents => Set<Incident>();

    public DbSet<AreaOfInterest> Areas => Set<AreaOfInterest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var reader = new WKTReader();
        var writer = new WKTWriter();
        modelBuilder.Entity<Incident>().Property(i => i.Location)
            .HasConversion(point => writer.Write(point), text => (Point)reader.Read(text));
        modelBuilder.Entity<AreaOfInterest>().Ignore(a => a.SeverityList).Property(a => a.Polygon)
            .HasConversion(polygon => writer.Write(polygon), text => (Polygon)reader.Read(text));
    }
}
