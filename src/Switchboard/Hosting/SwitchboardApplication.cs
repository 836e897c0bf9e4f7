namespace Switchboard;

/// <summary>
/// The root application of a host (Django's <c>ASGI_APPLICATION</c>): the interface server and the workers run it.
/// Registered by <c>AddSwitchboard(...)</c>; resolve it to run the application yourself.
/// </summary>
public sealed class SwitchboardApplication
{
    internal SwitchboardApplication(IApplication application) => Application = application;

    /// <summary>Gets the root application.</summary>
    public IApplication Application { get; }
}
