// The reference application: `dotnet run --project samples/Chat` serves it on http://127.0.0.1:8000.
Chat.ChatServer.CreateApp(args).Run();
