namespace Switchboard.Benchmarks;

/// <summary>One line of <see cref="SvgChart.Lines"/>: the target and its (x, y) points.</summary>
internal sealed record ChartSeries(string Label, IReadOnlyList<(double X, double Y)> Points);
