using NetTopologySuite.Geometries;

namespace IncidentTracker;

/// <summary>A watched area (the article's <c>AreaOfInterest</c>): a polygon and the severities that raise an alert in it.</summary>
public sealed class AreaOfInterest
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The severities that alert, comma-separated (for example <c>high,critical</c>).</summary>
    public required string Severity { get; set; }

    public required Polygon Polygon { get; set; }

    public IEnumerable<string> SeverityList => Severity.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
