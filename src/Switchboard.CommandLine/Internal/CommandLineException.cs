namespace Switchboard.CommandLine.Internal;

/// <summary>A setting that stops a command from starting; the command prints the message and exits with code 2.</summary>
internal sealed class CommandLineException(string message) : InvalidOperationException(message);
