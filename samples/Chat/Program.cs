// The reference application: `dotnet run --project samples/Chat` serves it on http://127.0.0.1:8000 (runserver, the
// default command); `-- --help` lists the options, `-- runworker thumbnails --layer redis://...` runs it as a worker.
return await Chat.ChatServer.CommandLine().RunAsync(args);
