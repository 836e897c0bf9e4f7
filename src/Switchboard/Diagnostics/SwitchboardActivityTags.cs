namespace Switchboard;

/// <summary>The tags (attributes) Switchboard's spans carry: OpenTelemetry's messaging and HTTP semantic conventions
/// where one fits, <c>switchboard.*</c> otherwise (docs/diagnostics.md, "Activities"). Kept apart from
/// <see cref="SwitchboardActivities"/>, whose constants are the activity names only.</summary>
internal static class SwitchboardActivityTags
{
    /// <summary>The messaging system: always <see cref="MessagingSystem"/>.</summary>
    public const string MessagingSystemTag = "messaging.system";

    /// <summary>The Channels operation: <c>send</c>, <c>group_send</c>, <c>group_add</c>, <c>group_discard</c>, <c>flush</c>, <c>process</c>.</summary>
    public const string MessagingOperationNameTag = "messaging.operation.name";

    /// <summary>OpenTelemetry's operation type: <c>send</c> or <c>process</c>.</summary>
    public const string MessagingOperationTypeTag = "messaging.operation.type";

    /// <summary>The channel or group.</summary>
    public const string MessagingDestinationTag = "messaging.destination.name";

    /// <summary>The message's <c>type</c>.</summary>
    public const string MessageTypeTag = "switchboard.message.type";

    /// <summary>The layer: <c>in_memory</c> or <c>redis</c>; the same attribute as on the layer instruments.</summary>
    public const string LayerTag = "switchboard.layer.type";

    /// <summary>How many members a group send stored the message for.</summary>
    public const string GroupMembersTag = "switchboard.group.members";

    /// <summary>The consumer type's name.</summary>
    public const string ConsumerTag = "switchboard.consumer";

    /// <summary>The scope type: <c>websocket</c>, <c>http</c>, <c>channel</c>.</summary>
    public const string ScopeTypeTag = "switchboard.scope.type";

    /// <summary>The handshake's HTTP status.</summary>
    public const string StatusCodeTag = "http.response.status_code";

    /// <summary>The type of the exception that failed the span.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>The value of <see cref="MessagingSystemTag"/>.</summary>
    public const string MessagingSystem = "switchboard";
}
