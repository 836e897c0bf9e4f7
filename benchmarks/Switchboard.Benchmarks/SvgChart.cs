using System.Globalization;
using System.Net;
using System.Text;

namespace Switchboard.Benchmarks;

/// <summary>
/// Draws the report's charts as plain SVG (no dependency): stacked panels of horizontal bars, one bar per target, each
/// panel scaled to its own largest value; and a line chart. Colours are fixed per target.
/// </summary>
internal static class SvgChart
{
    private const int Width = 760;
    private const int LabelWidth = 80;
    private const int BarArea = 500;
    private const int RowHeight = 20;

    /// <summary>Panels of bars under one title.</summary>
    public static string Bars(string title, IReadOnlyList<ChartPanel> panels)
    {
        var body = new StringBuilder();
        var y = 34;
        foreach (var panel in panels)
        {
            body.Append(Text(10, y, panel.Title, "font-weight:bold"));
            y += 8;
            var max = panel.Bars.Max(b => b.Value);
            foreach (var bar in panel.Bars)
            {
                var length = max > 0 ? Math.Max(1, bar.Value / max * BarArea) : 1;
                body.Append(Text(10, y + 14, bar.Label));
                body.Append(Invariant($"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{length:0.0}\" height=\"{RowHeight - 6}\" fill=\"{Colour(bar.Label)}\"/>"));
                body.Append(Text(LabelWidth + length + 6, y + 14, bar.Text));
                y += RowHeight;
            }

            y += 18;
        }

        if (panels.Count == 0)
        {
            body.Append(Text(10, y, "not measured in this run"));
            y += 20;
        }

        return Document(title, y, body.ToString());
    }

    /// <summary>A line chart of <paramref name="series"/>, coloured by label, in <paramref name="order"/> for the legend.</summary>
    public static string Lines(string title, IReadOnlyList<ChartSeries> series, IReadOnlyList<string> order)
    {
        const int left = 60, top = 40, plotWidth = 600, plotHeight = 240;
        var body = new StringBuilder();
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            body.Append(Text(10, 40, "not measured in this run"));
            return Document(title, 60, body.ToString());
        }

        var maxX = Math.Max(1, points.Max(p => p.X));
        var maxY = Math.Max(1, points.Max(p => p.Y)) * 1.1;
        double X(double x) => left + x / maxX * plotWidth;
        double Y(double y) => top + plotHeight - y / maxY * plotHeight;

        body.Append(Invariant($"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#999\"/>"));
        for (var i = 0; i <= 4; i++)
        {
            var value = maxY * i / 4;
            body.Append(Text(8, Y(value) + 4, value.ToString("0", CultureInfo.InvariantCulture)));
            body.Append(Text(X(maxX * i / 4) - 8, top + plotHeight + 16, (maxX * i / 4).ToString("0.0", CultureInfo.InvariantCulture)));
        }

        body.Append(Text(left + plotWidth / 2 - 20, top + plotHeight + 32, "seconds"));
        var legend = top;
        foreach (var line in series.OrderBy(s => order.Contains(s.Label) ? order.ToList().IndexOf(s.Label) : int.MaxValue))
        {
            var path = string.Join(' ', line.Points.Select(p => Invariant($"{X(p.X):0.0},{Y(p.Y):0.0}")));
            body.Append(Invariant($"<polyline fill=\"none\" stroke-width=\"2\" stroke=\"{Colour(line.Label)}\" points=\"{path}\"/>"));
            body.Append(Invariant($"<rect x=\"{left + plotWidth + 12}\" y=\"{legend}\" width=\"12\" height=\"12\" fill=\"{Colour(line.Label)}\"/>"));
            body.Append(Text(left + plotWidth + 30, legend + 11, line.Label));
            legend += 18;
        }

        return Document(title, top + plotHeight + 44, body.ToString());
    }

    private static string Document(string title, int height, string body) =>
        Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n")
        + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        + Text(10, 18, title, "font-size:14px;font-weight:bold") + body + "</svg>\n";

    private static string Text(double x, double y, string text, string? style = null) =>
        Invariant($"<text x=\"{x:0.0}\" y=\"{y:0.0}\"{(style is null ? "" : $" style=\"{style}\"")}>{WebUtility.HtmlEncode(text)}</text>\n");

    private static string Colour(string target) => target switch
    {
        "chat" => "#2b6cb0",
        "ceiling" => "#718096",
        "coalesced" => "#a0aec0",
        "signalr" => "#805ad5",
        "django" => "#2f855a",
        _ => "#c05621",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
