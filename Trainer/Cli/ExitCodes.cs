namespace Forecast.Trainer.Cli;

/// <summary>The Trainer's exit codes (documented in --help and docs/configuration.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything else: a bug, cancellation (Ctrl+C, SIGTERM), an I/O failure while writing the run.</summary>
    public const int Failure = 1;

    /// <summary>The configuration or command line is invalid, or run.output is not writable.</summary>
    public const int ConfigError = 2;

    /// <summary>The data cannot be used: file missing or malformed, bad values or timestamps, series too short for the horizon.</summary>
    public const int DataError = 3;
}
