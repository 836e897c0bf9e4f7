// The balance-alert sample: `dotnet run --project samples/BalanceAlerts` serves it on http://127.0.0.1:8001.
BalanceAlerts.BalanceApp.CreateApp(args).Run();
