namespace Switchboard.Benchmarks;

/// <summary>One panel of <see cref="SvgChart.Bars"/>: a title and one bar per target, scaled to its largest.</summary>
internal sealed record ChartPanel(string Title, IReadOnlyList<ChartBar> Bars);
