namespace Switchboard;

/// <summary>Builds applications from functions, as an ASGI callable is written in Python.</summary>
public static class Application
{
    /// <summary>Wraps a function as an application.</summary>
    /// <param name="application">The function that serves one connection.</param>
    /// <returns>The application.</returns>
    public static IApplication Create(Func<ConnectionScope, ReceiveDelegate, SendDelegate, Task> application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new DelegateApplication(application);
    }

    private sealed class DelegateApplication(Func<ConnectionScope, ReceiveDelegate, SendDelegate, Task> application) : IApplication
    {
        public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send) => application(scope, receive, send);
    }
}
