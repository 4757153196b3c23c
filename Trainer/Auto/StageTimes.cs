using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Forecast.Trainer.Auto;

/// <summary>
/// Where <c>model: auto</c>'s time goes, written as <c>model/auto/timing.csv</c>: one row per call (the Trainer calls
/// the model for each evaluation window and once for the forecast beyond the data), stage and candidate — every
/// backtest window, the final fits, the filtered windows without re-estimation (<c>model.auto.refit</c>) and the
/// selection itself — with the series asked for, the forecasts computed (the rest came from earlier calls), the wall
/// time and the process's CPU time over the stage. Candidates run one after another, each with its own parallelism
/// over series, so a stage's CPU time is that candidate's (plus whatever else the process did meanwhile).
/// </summary>
internal sealed class StageTimes
{
    public const string FileName = "timing.csv";

    private readonly List<Row> _rows = [];

    /// <summary>The clock readings a stage starts from.</summary>
    public readonly record struct Start(long Ticks, TimeSpan Cpu)
    {
        public static Start Now() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime);
    }

    public void Add(int call, string stage, string candidate, int series, int computed, Start start)
    {
        double wall = Stopwatch.GetElapsedTime(start.Ticks).TotalSeconds;
        double cpu = (Environment.CpuUsage.TotalTime - start.Cpu).TotalSeconds;
        lock (_rows) _rows.Add(new Row(call, stage, candidate, series, computed, wall, cpu));
    }

    public bool IsEmpty
    {
        get { lock (_rows) return _rows.Count == 0; }
    }

    public byte[] Write()
    {
        var csv = new StringBuilder("call,stage,candidate,series,computed,wall_seconds,cpu_seconds\n");
        lock (_rows)
        {
            foreach (var row in _rows)
            {
                csv.Append(row.Call.ToString(CultureInfo.InvariantCulture)).Append(',').Append(row.Stage).Append(',').Append(row.Candidate).Append(',')
                    .Append(row.Series.ToString(CultureInfo.InvariantCulture)).Append(',').Append(row.Computed.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(row.Wall.ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                    .Append(row.Cpu.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private sealed record Row(int Call, string Stage, string Candidate, int Series, int Computed, double Wall, double Cpu);
}
