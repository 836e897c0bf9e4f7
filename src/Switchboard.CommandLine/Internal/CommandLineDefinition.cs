using System.CommandLine;

namespace Switchboard.CommandLine.Internal;

/// <summary>Builds the command tree: the root runs <c>runserver</c>; <c>runserver</c> and <c>runworker</c> are subcommands.</summary>
internal static class CommandLineDefinition
{
    public static RootCommand Create(SwitchboardCommandLine commandLine)
    {
        var layer = CommandSettings.CreateLayerOption();
        var root = new RootCommand("Runs this Switchboard app. Without a command it runs 'runserver'.");
        root.Options.Add(layer);

        // The root and the runserver subcommand each get their own option instances: a parse result knows which one it has.
        new RunServerCommand(commandLine, layer).AddTo(root);
        var runserver = new Command(SwitchboardCommandLine.RunServerCommandName, "Serves HTTP and WebSockets with Kestrel (the default command).");
        new RunServerCommand(commandLine, layer).AddTo(runserver);
        root.Subcommands.Add(runserver);

        var runworker = new Command(
            SwitchboardCommandLine.RunWorkerCommandName,
            "Runs the app's consumers for named channels (ChannelNameRouter) as a worker process; serves no HTTP. Needs a layer that crosses processes (--layer).");
        new RunWorkerCommand(commandLine, layer).AddTo(runworker);
        root.Subcommands.Add(runworker);
        return root;
    }
}
