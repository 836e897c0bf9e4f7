using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace IncidentTracker;

/// <summary>GeoJSON features of the models (the article serializes them with Django's GeoJSON serializer).</summary>
public static class GeoJson
{
    // The "id" attribute becomes the feature's id, as Django's serializer writes "model.pk".
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new GeoJsonConverterFactory(new NetTopologySuite.Geometries.GeometryFactory(), writeGeometryBBox: false, idPropertyName: "id") },
    };

    public static string Feature(Incident incident) => Serialize(new Feature(incident.Location, new AttributesTable
    {
        { "id", $"incident.{incident.Id}" },
        { "model", "incident" },
        { "pk", incident.Id },
        { "name", incident.Name },
        { "severity", incident.Severity },
        { "closed", incident.Closed },
    }));

    public static string Feature(AreaOfInterest area) => Serialize(new Feature(area.Polygon, new AttributesTable
    {
        { "id", $"areaofinterest.{area.Id}" },
        { "model", "areaofinterest" },
        { "pk", area.Id },
        { "name", area.Name },
        { "severity", area.Severity },
    }));

    private static string Serialize(Feature feature) => JsonSerializer.Serialize(feature, Options);
}
