namespace Switchboard.Benchmarks;

/// <summary>One bar of a <see cref="ChartPanel"/>: the target, its value, and the text written after it.</summary>
internal sealed record ChartBar(string Label, double Value, string Text);
