using System.Runtime.InteropServices;

namespace Forecast.Chronos.Bench;

/// <summary>The calling thread's CPU seconds (clock_gettime CLOCK_THREAD_CPUTIME_ID).</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    public static double Seconds()
    {
        ClockGetTime(ClockThreadCpuTime, out var t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }
}
