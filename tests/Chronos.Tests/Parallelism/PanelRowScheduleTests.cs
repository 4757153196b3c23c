using Forecast.Chronos.Parallelism;

namespace Forecast.Chronos.Tests.Parallelism;

public class PanelRowScheduleTests
{
    // Fewer rows than two blocks (one block), an exact multiple, and a remainder the last block takes.
    [Theory]
    [InlineData(7, 49)]
    [InlineData(16, 120)]
    [InlineData(3, 528)]
    public void Two_threads_taking_panels_then_open_blocks_cover_every_row_of_every_panel_once(int panelCount, int rows)
    {
        var schedule = new PanelRowSchedule();
        for (var round = 0; round < 20; round++)
        {
            schedule.Reset(panelCount, rows);
            var covered = new int[panelCount, rows];
            void Take(int panel)
            {
                for (var block = schedule.NextBlock(panel); block < schedule.Blocks; block = schedule.NextBlock(panel))
                {
                    var (first, end) = schedule.RowsOf(block);
                    for (var row = first; row < end; row++)
                        Interlocked.Increment(ref covered[panel, row]);
                }
            }
            void Work()
            {
                for (var panel = schedule.NextPanel(); panel < panelCount; panel = schedule.NextPanel())
                    Take(panel);
                for (var panel = panelCount - 1; panel >= 0; panel--)
                    if (schedule.OpenBlocks(panel) >= 1)
                        Take(panel);
            }
            var other = new Thread(Work);
            other.Start();
            Work();
            other.Join();

            covered.Cast<int>().Should().AllBeEquivalentTo(1);
            Enumerable.Range(0, schedule.Blocks).Select(b => schedule.RowsOf(b)).Should()
                .OnlyContain(r => r.End - r.First >= Math.Min(rows, PanelRowSchedule.BlockRows), "a block is at least the ten-row kernel's reach");
        }
    }
}
