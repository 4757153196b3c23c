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
    /// <summary>Rows per block: four of the ten-row kernel's passes (12 µs of FMAs at 512 inputs).</summary>
    public const int BlockRows = 40;

    /// <summary>Ints between two panels' counters: each on its own cache line.</summary>
    private const int Spacing = 16;

    private int[] takenBlocks = [];
    private int takenPanels;

    public int PanelCount { get; private set; }

    public int Rows { get; private set; }

    /// <summary>Blocks per panel: rows / <see cref="BlockRows"/> (the last one takes the remainder, ≥ 40 rows), at least one.</summary>
    public int Blocks { get; private set; }

    /// <summary>Starts handing out the work of a product of <paramref name="panelCount"/> panels and <paramref name="rows"/> rows.</summary>
    public void Reset(int panelCount, int rows)
    {
        if (takenBlocks.Length < panelCount * Spacing)
            takenBlocks = new int[panelCount * Spacing];
        else
            Array.Clear(takenBlocks, 0, panelCount * Spacing);
        (PanelCount, Rows, Blocks, takenPanels) = (panelCount, rows, Math.Max(1, rows / BlockRows), -1);
    }

    /// <summary>The next panel nobody has taken (≥ <see cref="PanelCount"/> when none is left).</summary>
    public int NextPanel() => Interlocked.Increment(ref takenPanels);

    /// <summary>The next block of <paramref name="panel"/>'s rows nobody has taken (≥ <see cref="Blocks"/> when none is left).</summary>
    public int NextBlock(int panel) => Interlocked.Increment(ref takenBlocks[panel * Spacing]) - 1;

    /// <summary>Blocks of <paramref name="panel"/> not taken yet (a snapshot).</summary>
    public int OpenBlocks(int panel) => Blocks - Volatile.Read(ref takenBlocks[panel * Spacing]);

    /// <summary>The rows of <paramref name="block"/>: the last block runs to the last row.</summary>
    public (int First, int End) RowsOf(int block) => (block * BlockRows, block == Blocks - 1 ? Rows : (block + 1) * BlockRows);
}
