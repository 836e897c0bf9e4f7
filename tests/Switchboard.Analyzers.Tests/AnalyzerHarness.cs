using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Switchboard.Analyzers.Tests;

/// <summary>
/// Real compilations for the analyzer: C# source compiled against this runtime's assemblies and the real Switchboard.dll,
/// run through <see cref="CompilationWithAnalyzers"/> as the compiler runs analyzers in a build.
/// </summary>
internal static class AnalyzerHarness
{
    private static readonly ImmutableArray<MetadataReference> s_platform =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    private static readonly CSharpParseOptions s_parse = new(LanguageVersion.Latest);

    private const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using Switchboard;\n";

    /// <summary>Compiles <paramref name="source"/> (with the usual usings) and returns the analyzer's diagnostics, in source order.</summary>
    public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, params MetadataReference[] references) =>
        AnalyzeAsync(Compile("App", source, references));

    /// <summary>A compiled library, for the assemblies a project references.</summary>
    public static MetadataReference Library(string name, string source)
    {
        var compilation = Compile(name, source, []);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    public static CSharpCompilation Compile(string name, string source, MetadataReference[] references)
    {
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(Usings + source, s_parse, path: name + ".cs")],
            [.. s_platform, .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        // The samples must be valid C#: a diagnostic from a broken sample would test nothing.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return compilation;
    }

    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new MessageHandlerAnalyzer());
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start)];
    }
}
