namespace Switchboard.Internal;

/// <summary>A function as an application (<see cref="IApplication.Create"/>).</summary>
internal sealed class DelegateApplication(Func<ConnectionScope, ReceiveDelegate, SendDelegate, Task> application) : IApplication
{
    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send) => application(scope, receive, send);
}
