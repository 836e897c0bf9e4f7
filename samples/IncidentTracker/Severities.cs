namespace IncidentTracker;

/// <summary>The severities an incident can have.</summary>
public static class Severities
{
    public static readonly string[] All = ["low", "medium", "high", "critical"];
}
