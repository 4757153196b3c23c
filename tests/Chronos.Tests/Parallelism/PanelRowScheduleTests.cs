using Forecast.Chronos.Parallelism;

namespace Forecast.Chronos.Tests.Parallelism;

public class PanelRowScheduleTests
{
    // Fewer rows than two blocks (one block), an exact multiple, and a remainder the last block takes; joining any open
    // block (as products with packed weights) or only where two are open (as products packing each panel per use).
    [Theory]
    [InlineData(7, 49, 1)]
    [InlineData(16, 120, 1)]
    [InlineData(3, 528, 1)]
    [InlineData(16, 120, 2)]
    [InlineData(3, 528, 2)]
    public void Two_threads_running_the_schedule_cover_every_row_of_every_panel_once(int panelCount, int rows, int openBlocksToJoin)
    {
        var schedule = new PanelRowSchedule();
        for (var round = 0; round < 20; round++)
        {
            schedule.Reset(panelCount, rows);
            var covered = new int[panelCount, rows];
            var blockRows = new System.Collections.Concurrent.ConcurrentBag<int>();
            void Work()
            {
                var work = new CoverageWork(covered, blockRows);
                schedule.Run(ref work, openBlocksToJoin);
            }
            var other = new Thread(Work);
            other.Start();
            Work();
            other.Join();

            covered.Cast<int>().Should().AllBeEquivalentTo(1);
            blockRows.Should().OnlyContain(r => r >= Math.Min(rows, PanelRowSchedule.BlockRows), "a block is at least four passes of the widest panel kernel");
        }
    }

    private readonly struct CoverageWork(int[,] covered, System.Collections.Concurrent.ConcurrentBag<int> blockRows) : IPanelRowWork
    {
        public void BeginPanel(int panel, bool whole)
        {
        }

        public void MultiplyRows(int panel, int block, int firstRow, int endRow)
        {
            blockRows.Add(endRow - firstRow);
            for (var row = firstRow; row < endRow; row++)
                Interlocked.Increment(ref covered[panel, row]);
        }
    }
}
