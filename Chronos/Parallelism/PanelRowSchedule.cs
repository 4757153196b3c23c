using System.Runtime.CompilerServices;
using Forecast.Chronos.Kernels;

namespace Forecast.Chronos.Parallelism;

/// <summary>
/// The work of one panel product shared by the call's threads: whole panels handed out one at a time to whichever thread
/// is free, and each panel's rows in blocks of <see cref="BlockRows"/>, so that a thread that finds no panel left can
/// take blocks of a panel another thread is still multiplying. Used by one product at a time (<see cref="Reset"/>).
/// </summary>
/// <remarks>
/// Why rows as well as panels: with panels alone a product ends when its last panel does, and the thread that finished
/// first waits for up to one panel's time (0.16 ms at d_model 512, 0.65 ms at the 2048-input wo, for Chronos-Bolt's
/// 528-row chunks). A Bolt-small call makes ≈ 36 such joins per chunk: in a quiet two-thread profile the helper thread
/// waited 10 % of its time and the calling thread 4 %. Blocks of a panel shared at the end cut that wait to about one
/// block, for the price of packing the shared panel twice (a tenth of a panel's arithmetic).
/// </remarks>
internal sealed class PanelRowSchedule
{
    /// <summary>
    /// Rows per block: four passes of the widest panel kernel this CPU runs (<see cref="PackedWeight.RowsPerPass"/>):
    /// 40 rows with AVX-512 (12 µs of FMAs at 512 inputs), 24 with AVX2 (about as long at half the vector width).
    /// </summary>
    public static int BlockRows => 4 * PackedWeight.RowsPerPass;

    /// <summary>Ints between two panels' counters: each on its own cache line.</summary>
    private const int Spacing = 16;

    private readonly WorkCounter takenPanels = new();
    private int[] takenBlocks = [];
    private int panelCount;
    private int rows;
    private int blocks;

    /// <summary>Starts handing out the work of a product of <paramref name="panelCount"/> panels and <paramref name="rows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset(int panelCount, int rows)
    {
        if (takenBlocks.Length < panelCount * Spacing)
            takenBlocks = new int[panelCount * Spacing];
        else
            Array.Clear(takenBlocks, 0, panelCount * Spacing);
        // Blocks per panel: rows / BlockRows (the last one takes the remainder, ≥ BlockRows rows), at least one.
        (this.panelCount, this.rows, blocks) = (panelCount, rows, Math.Max(1, rows / BlockRows));
        takenPanels.Reset();
    }

    /// <summary>
    /// One thread's share of the product: whole panels while any is left, each with all the row blocks nobody else has
    /// taken, then the open blocks of panels other threads are still multiplying, latest panel first, where at least
    /// <paramref name="openBlocksToJoin"/> are open (joining costs packing the panel again where it is packed per use).
    /// Every row block of every panel is multiplied once by exactly one thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TWork>(ref TWork work, int openBlocksToJoin) where TWork : struct, IPanelRowWork
    {
        for (var panel = takenPanels.Next(); panel < panelCount; panel = takenPanels.Next())
        {
            work.BeginPanel(panel, whole: true);
            TakeBlocks(ref work, panel);
        }
        for (var panel = panelCount - 1; panel >= 0; panel--)
            if (blocks - Volatile.Read(ref takenBlocks[panel * Spacing]) >= openBlocksToJoin)
            {
                work.BeginPanel(panel, whole: false);
                TakeBlocks(ref work, panel);
            }
    }

    /// <summary>Takes blocks of <paramref name="panel"/>'s rows until none is left; the last block runs to the last row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TakeBlocks<TWork>(ref TWork work, int panel) where TWork : struct, IPanelRowWork
    {
        for (var block = Interlocked.Increment(ref takenBlocks[panel * Spacing]) - 1; block < blocks;
             block = Interlocked.Increment(ref takenBlocks[panel * Spacing]) - 1)
            work.MultiplyRows(panel, block, block * BlockRows, block == blocks - 1 ? rows : (block + 1) * BlockRows);
    }
}
