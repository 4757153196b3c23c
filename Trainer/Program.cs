using Forecast.Trainer.Cli;

// dotnet run --project Trainer -- --config config/default-config.yaml   (see --help for options and exit codes)
return await TrainerCli.RunAsync(args, Console.Out, Console.Error);
