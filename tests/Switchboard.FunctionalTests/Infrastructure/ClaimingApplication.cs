namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>An application that claims only the scopes <paramref name="claims"/> accepts (what a router's CanHandle does).</summary>
public sealed class ClaimingApplication(Func<ConnectionScope, bool> claims, IApplication inner) : IApplication
{
    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send) => inner.InvokeAsync(scope, receive, send);

    public bool CanHandle(ConnectionScope scope) => claims(scope);
}
