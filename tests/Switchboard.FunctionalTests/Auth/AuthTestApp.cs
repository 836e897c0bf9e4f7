using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Auth;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Routing;
using Switchboard.Sessions;
using Switchboard.Testing;

namespace Switchboard.FunctionalTests.Auth;

/// <summary>
/// A real Kestrel app with cookie authentication, JWT bearer (the token from <c>access_token</c> for WebSockets), ASP.NET
/// Core sessions on the distributed memory cache, and Switchboard routes behind <see cref="AuthMiddlewareStack"/>.
/// </summary>
public sealed class AuthTestApp : IAsyncDisposable
{
    public const string Issuer = "switchboard-tests";
    public static readonly SymmetricSecurityKey SigningKey = new(Encoding.UTF8.GetBytes("switchboard-functional-tests-signing-key-0123456789"));

    private AuthTestApp(KestrelTestServer server, ManualTimeProvider time)
    {
        Server = server;
        Time = time;
    }

    public KestrelTestServer Server { get; }

    /// <summary>The clock the Switchboard watch reads (it starts at the real time: tokens are validated with the real clock).</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>Users whose re-check fails.</summary>
    public ConcurrentDictionary<string, bool> Revoked { get; } = new();

    public BuildCounter Builds => Server.Services.GetRequiredService<BuildCounter>();

    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = new AuthMiddlewareStack(new UrlRouter()
            .Map<WhoAmIConsumer>("ws/open/")
            .Map<ProtectedConsumer>("ws/protected/")
            .Map<AnonymousAllowedConsumer>("ws/anonymous-allowed/")
            .Map("ws/admin/", Consumer.AsApplication<WhoAmIConsumer>().RequireAuthorization("admin"))
            .Map<InboxConsumer>("ws/inbox/")
            .Map<SessionConsumer>("ws/session/")),
    };

    public static async Task<AuthTestApp> StartAsync(Action<AuthMiddlewareOptions>? configure = null)
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        AuthTestApp? app = null;
        var server = await KestrelTestServer.StartAsync(
            builder =>
            {
                var services = builder.Services;
                services.AddSingleton<TimeProvider>(time);
                services.AddSingleton<BuildCounter>();
                services.AddSwitchboard(Application).AddAuthorization();
                services.AddAuthorization(o => o.AddPolicy("admin", p => p.RequireRole("admin")));
                services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                    .AddCookie(o => o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; })
                    .AddJwtBearer(o =>
                    {
                        o.MapInboundClaims = false;
                        o.TokenValidationParameters = new TokenValidationParameters
                        {
                            ValidIssuer = Issuer,
                            ValidAudience = Issuer,
                            IssuerSigningKey = SigningKey,
                            ClockSkew = TimeSpan.Zero,
                            NameClaimType = "sub",
                            RoleClaimType = "role",
                        };

                        // Browsers cannot set headers on a WebSocket: the token comes in the query string (as SignalR does it).
                        o.Events = new JwtBearerEvents
                        {
                            OnMessageReceived = context =>
                            {
                                if (context.HttpContext.WebSockets.IsWebSocketRequest && context.Request.Query.TryGetValue("access_token", out var token))
                                {
                                    context.Token = token;
                                }

                                return Task.CompletedTask;
                            },
                        };
                    });
                services.Configure<AuthMiddlewareOptions>(o =>
                {
                    o.AuthenticationSchemes.Add(CookieAuthenticationDefaults.AuthenticationScheme);
                    o.AuthenticationSchemes.Add(JwtBearerDefaults.AuthenticationScheme);
                    o.RevalidateUser = context => ValueTask.FromResult(!app!.Revoked.ContainsKey(context.User.Identity?.Name ?? ""));
                    configure?.Invoke(o);
                });
                services.AddDistributedMemoryCache();
                services.AddSession();
            },
            web =>
            {
                web.UseSession();
                web.MapPost("/login", async (HttpContext context, string user, string? role) =>
                {
                    await context.SignInAsync(Principal(user, role, CookieAuthenticationDefaults.AuthenticationScheme));
                    return Results.NoContent();
                });
                web.MapPost("/session", (HttpContext context, string color) =>
                {
                    context.Session.SetString("color", color);
                    return Results.NoContent();
                });
                web.MapGet("/session", (HttpContext context) => context.Session.GetString("color") ?? "(none)");
                web.MapSwitchboard();
            });
        app = new AuthTestApp(server, time);
        return app;
    }

    public static ClaimsPrincipal Principal(string user, string? role, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user), new(ClaimTypes.Name, user) };
        if (role is not null)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static string Token(string user, DateTime expires, string? role = null, SecurityKey? key = null)
    {
        var claims = new List<Claim> { new("sub", user) };
        if (role is not null)
        {
            claims.Add(new Claim("role", role));
        }

        var token = new JwtSecurityToken(Issuer, Issuer, claims, notBefore: expires.AddHours(-2), expires: expires,
            signingCredentials: new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>An HTTP client with its own cookie jar (one browser).</summary>
    public HttpClient Browser(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Task<ClientWebSocket> ConnectAsync(string path, CookieContainer? cookies = null) =>
        Server.ConnectAsync(path, o => o.Cookies = cookies);

    public Task<int> RefusedAsync(string path, CookieContainer? cookies = null) =>
        Server.ConnectExpectingRefusalAsync(path, o => o.Cookies = cookies);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Counts consumer constructions, to prove a refused handshake builds none.</summary>
    public sealed class BuildCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Built() => Interlocked.Increment(ref _count);
    }

    /// <summary>Open to anyone: answers <c>whoami</c> with the scope's user name (or "anonymous").</summary>
    public class WhoAmIConsumer : WebSocketConsumer
    {
        public WhoAmIConsumer(BuildCounter builds) => builds.Built();

        protected override ValueTask OnTextAsync(string text, CancellationToken cancellationToken) =>
            SendAsync(Scope.User.Identity?.IsAuthenticated == true ? Scope.User.Identity.Name ?? "(unnamed)" : "anonymous", cancellationToken);
    }

    [Authorize]
    public sealed class ProtectedConsumer(BuildCounter builds) : WhoAmIConsumer(builds);

    [Authorize]
    [AllowAnonymous]
    public sealed class AnonymousAllowedConsumer(BuildCounter builds) : WhoAmIConsumer(builds);

    /// <summary>The per-user group idiom: joins <c>user_{id}</c>, where the id comes only from the authenticated user.</summary>
    [Authorize]
    public sealed class InboxConsumer : WebSocketConsumer
    {
        public static string GroupOf(string userId) => "user_" + userId;

        protected override IEnumerable<string> Groups => [GroupOf(Scope.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? Scope.User.FindFirst("sub")!.Value)];

        public ValueTask InboxMessageAsync(LayerMessage message, CancellationToken cancellationToken) =>
            SendAsync(message.GetString("text"), cancellationToken);
    }

    /// <summary>Reads and writes the session: <c>get</c>, <c>set VALUE</c> (saved), <c>login NAME</c>, <c>logout</c>, <c>whoami</c>.</summary>
    public sealed class SessionConsumer : WebSocketConsumer
    {
        protected override async ValueTask OnTextAsync(string text, CancellationToken cancellationToken)
        {
            var session = Scope.GetSession();
            var (command, argument) = text.IndexOf(' ') is var space and > 0 ? (text[..space], text[(space + 1)..]) : (text, "");
            switch (command)
            {
                case "get":
                    await SendAsync(session.GetString("color") ?? "(none)", cancellationToken);
                    break;
                case "set":
                    session.SetString("color", argument);
                    await session.CommitAsync(cancellationToken);
                    await SendAsync("saved", cancellationToken);
                    break;
                case "login":
                    await ScopeAuthentication.LoginAsync(Scope, Principal(argument, role: null, "Password"), cancellationToken);
                    await SendAsync(Scope.User.Identity!.Name!, cancellationToken);
                    break;
                case "logout":
                    await ScopeAuthentication.LogoutAsync(Scope, cancellationToken);
                    await SendAsync(Scope.User.Identity?.IsAuthenticated == true ? "still signed in" : "anonymous", cancellationToken);
                    break;
                default:
                    await SendAsync(Scope.User.Identity?.Name ?? "anonymous", cancellationToken);
                    break;
            }
        }
    }
}
