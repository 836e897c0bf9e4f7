using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.AspNetCore;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>The reference app with a small per-connection outbound budget (256 KiB), so that a stalled reader overflows it quickly.</summary>
public sealed class SmallQueueChatAppFixture : ChatAppFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.Configure<SwitchboardServerOptions>(options => options.OutboundQueueMaxBytes = 256 * 1024);
}
