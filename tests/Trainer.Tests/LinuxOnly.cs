namespace Forecast.Trainer.Tests;

/// <summary>A fact that uses Linux facilities (signals, FIFOs, sysfs): skipped, saying why, on other systems.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (POSIX signals, FIFOs or sysfs); the Trainer's container runs on Linux.";
    }
}

/// <summary>The theory counterpart of <see cref="LinuxFactAttribute"/>.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (POSIX signals, FIFOs or sysfs); the Trainer's container runs on Linux.";
    }
}
