using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Switchboard.FunctionalTests")]
