// The incident tracker sample: `dotnet run --project samples/IncidentTracker` serves it on http://127.0.0.1:8002.
IncidentTracker.IncidentApp.CreateApp(args).Run();
