using NetTopologySuite.Geometries;

namespace IncidentTracker;

/// <summary>An incident at a place (the article's <c>Incident</c>): a name, a severity, open or closed, a point.</summary>
public sealed class Incident
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>One of <see cref="Severities.All"/>.</summary>
    public required string Severity { get; set; }

    public bool Closed { get; set; }

    public required Point Location { get; set; }
}
