using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Redis;
using Switchboard.Testing;

namespace Switchboard.FunctionalTests.Diagnostics;

/// <summary>docs/diagnostics.md against the code: every log event and instrument the shipped assemblies declare is on
/// the page, with the same id, name, level, type and unit, and the page lists nothing more (the activities are checked
/// by ActivitiesPageTests).</summary>
public class DiagnosticsDocsTests
{
    private static readonly Assembly[] s_shipped =
    [
        typeof(SwitchboardDiagnostics).Assembly,                                     // Switchboard
        typeof(SwitchboardServerBuilderExtensions).Assembly,                         // Switchboard.AspNetCore
        typeof(RedisChannelLayer).Assembly,                                          // Switchboard.Redis
        typeof(global::Switchboard.CommandLine.SwitchboardCommandLine).Assembly,                         // Switchboard.CommandLine
        typeof(SwitchboardLiveServer).Assembly,                                      // Switchboard.Testing
        typeof(global::OpenTelemetry.Metrics.SwitchboardMeterProviderBuilderExtensions).Assembly, // Switchboard.OpenTelemetry
    ];

    private readonly DiagnosticsPage _page = DiagnosticsPage.Load();

    [Fact]
    public void LogEvents_EveryLoggerMessage_ListedWithItsIdNameAndLevel()
    {
        var declared = s_shipped
            .SelectMany(static assembly => assembly.GetTypes())
            .SelectMany(static type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(static method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(static attribute => (attribute.EventId, Name: attribute.EventName ?? "", Level: attribute.Level.ToString()))
            .OrderBy(static e => e.EventId)
            .ToList();
        var documented = _page.Events().Select(static e => (EventId: e.Id, e.Name, e.Level)).OrderBy(static e => e.EventId).ToList();

        Assert.True(declared.Count > 50, $"Only {declared.Count} [LoggerMessage] methods found: is an assembly missing?");
        Assert.Equal(declared.Count, declared.Select(static e => e.EventId).Distinct().Count());
        Assert.Empty(declared.Except(documented));
        Assert.Empty(documented.Except(declared));
    }

    [Fact]
    public void LogEvents_EachIdInItsCategorysRange_AndTheCategoriesAreTheCodes()
    {
        var categories = _page.Categories();
        var constants = typeof(SwitchboardDiagnostics).GetFields()
            .Where(static field => field.IsLiteral && field.Name.EndsWith("LogCategory", StringComparison.Ordinal))
            .Select(static field => (string)field.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(constants, categories.Select(static c => c.Category).Order(StringComparer.Ordinal));

        foreach (var (category, id, name, _) in _page.Events())
        {
            var (_, first, last) = Assert.Single(categories, c => c.Category == category);
            Assert.True(id >= first && id <= last, $"{name} ({id}) is listed under {category}, whose ids are {first}-{last}.");
        }
    }

    [Fact]
    public async Task Instruments_EveryInstrumentOfTheReferenceApp_ListedWithItsTypeAndUnit()
    {
        // The reference app creates every instrument family: the server's (on MapSwitchboard), the layer's, the
        // consumers' and the workers' (resolved below, as a first connection would). The Redis layer shares the layer's.
        await using var server = await SwitchboardLiveServer.StartAsync(Chat.ChatServer.CreateApp(["--Logging:LogLevel:Default=Warning"]));
        var services = server.App.Services;
        _ = services.GetRequiredService<IChannelLayer>();
        _ = services.GetRequiredService<ConsumerMetrics>();
        _ = services.GetRequiredService<WorkerMetrics>();
        var meterFactory = services.GetRequiredService<IMeterFactory>();

        var declared = new List<(string Name, string Type, string Unit)>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == SwitchboardDiagnostics.MeterName && instrument.Meter.Scope == meterFactory)
                {
                    declared.Add((instrument.Name, instrument.GetType().Name.Split('`')[0], instrument.Unit ?? ""));
                }
            };
            listener.Start();
        }

        var documented = _page.Instruments();
        Assert.True(declared.Count >= 15, $"Only {declared.Count} instruments published: did the app start?");
        Assert.Empty(declared.Except(documented));
        Assert.Empty(documented.Except(declared));
    }
}
