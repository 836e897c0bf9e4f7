using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.AspNetCore;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>The reference app with a small per-connection outbound queue, so that a stalled reader overflows it quickly.</summary>
public sealed class SmallQueueChatAppFixture : ChatAppFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.Configure<SwitchboardServerOptions>(options => options.OutboundQueueCapacity = 16);
}
