using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>The reference app with short long-poll and heartbeat timings and its group memberships counted.</summary>
public sealed class TrackedChatAppFixture : ChatAppFixture
{
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(300);

    public MembershipTrackingLayer Layer { get; private set; } = null!;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.Configure<Chat.ChatOptions>(options =>
        {
            options.PollTimeout = PollTimeout;
            options.HeartbeatInterval = HeartbeatInterval;
        });
        builder.Services.AddSingleton(sp => Layer = new MembershipTrackingLayer(sp.GetRequiredService<InMemoryChannelLayer>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(sp => sp.GetRequiredService<MembershipTrackingLayer>()));
    }
}
