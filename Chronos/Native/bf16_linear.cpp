// bfloat16 linear-layer products on AVX512_BF16 (vdpbf16ps), for Chronos' opt-in bfloat16 path (Kernels/Bf16Kernels.cs).
//
// Why native code: .NET 10 has no intrinsic for vdpbf16ps, which multiplies pairs of bfloat16 values and adds both
// products to a float32 accumulator: 32 multiply-adds per instruction against 16 for a float32 FMA, at the same rate
// (measured here: 229 against 115 GFLOP/s per core in a register-only loop, and 191-212 against 95-104 GFLOP/s per core
// for Chronos-Bolt's product shapes with per-panel packing). Built by the project's own build with g++
// (build/Forecast.Chronos.Bf16.targets); where it is missing or the CPU lacks AVX512_BF16 the weights are widened for the float32 kernels (C#).
//
// Arithmetic, as torch.autocast on CPU (oneDNN's bfloat16 products): the float32 input rows are rounded to bfloat16
// (round to nearest even), weights are bfloat16, every product of two bfloat16 values is exact in float32 and is added
// to a float32 accumulator. y[r, n] = sum_k x[r, k] * w[n, k] (+ bias[n], then max(0, .) when asked), float32 out.
//
// Layout: a panel of 32 output features holds, for each pair of input features (2i, 2i+1), 32 32-bit words
// (w[n, 2i] in the low half, w[n, 2i+1] in the high half); one x pair is broadcast to all lanes, so one vdpbf16ps adds
// x[2i]*w[n,2i] + x[2i+1]*w[n,2i+1] for 16 output features. Ten rows keep 20 accumulators in registers while the panel
// streams from the L2 cache, as the float32 kernel (PanelKernels.TenRows) does.
#include <immintrin.h>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr long Width = 32;   // output features per panel
constexpr long FewRowLimit = 48;   // up to this many rows the weights are read in place (FewRows), as KernelBackend.DotRowLimit

// Two float32 values rounded to bfloat16 (nearest even, as torch's conversion), low then high half of one word.
inline uint32_t PairOf(float low, float high)
{
    __m128 v = _mm_set_ps(0.0f, 0.0f, high, low);
    __m128bh h = _mm_cvtneps_pbh(v);
    uint32_t result;
    std::memcpy(&result, &h, sizeof result);
    return result;
}

// One row of k float32 values -> ceil(k / 2) bfloat16 pairs (the last one zero-padded when k is odd).
void ConvertRow(const float* x, long k, uint32_t* pairs)
{
    long i = 0;
    for (; i + 32 <= k; i += 32)
    {
        // cvtne2ps2bf16(b, a) puts a's 16 values in the low 256 bits, b's in the high 256 bits, element order kept:
        // the 32 bfloat16 values x[i..i+31] in memory order, i.e. 16 pairs.
        __m512 a = _mm512_loadu_ps(x + i);
        __m512 b = _mm512_loadu_ps(x + i + 16);
        __m512bh h = _mm512_cvtne2ps_pbh(b, a);
        _mm512_storeu_si512(pairs + i / 2, (__m512i)h);
    }
    for (; i + 1 < k; i += 2)
        pairs[i / 2] = PairOf(x[i], x[i + 1]);
    if (i < k)
        pairs[i / 2] = PairOf(x[i], 0.0f);
}

// Words i .. i+15 of 16 rows (each `stride` words apart) -> 16 lines of 16 words (line m holds word i+m of every row),
// stored `lineStride` words apart: a 16 x 16 transpose of 32-bit words in registers (unpack by 32 and 64 bits, then
// 128-bit lanes twice).
inline void Transpose16(const uint32_t* rows, long stride, uint32_t* lines, long lineStride)
{
    __m512i t[16], u[16];
    for (int j = 0; j < 16; j += 2)
    {
        const __m512i a = _mm512_loadu_si512(rows + j * stride);
        const __m512i b = _mm512_loadu_si512(rows + (j + 1) * stride);
        t[j] = _mm512_unpacklo_epi32(a, b);         // per 128-bit lane: a0 b0 a1 b1
        t[j + 1] = _mm512_unpackhi_epi32(a, b);     // a2 b2 a3 b3
    }
    for (int j = 0; j < 16; j += 4)
    {
        u[j] = _mm512_unpacklo_epi64(t[j], t[j + 2]);          // rows j..j+3, word 4L of lane L
        u[j + 1] = _mm512_unpackhi_epi64(t[j], t[j + 2]);      // word 4L+1
        u[j + 2] = _mm512_unpacklo_epi64(t[j + 1], t[j + 3]);  // word 4L+2
        u[j + 3] = _mm512_unpackhi_epi64(t[j + 1], t[j + 3]);  // word 4L+3
    }
    for (int m = 0; m < 4; m++)
    {
        // u[m], u[4+m], u[8+m], u[12+m]: lane L holds word 4L+m of rows 0-3, 4-7, 8-11, 12-15.
        const __m512i even0 = _mm512_shuffle_i32x4(u[m], u[4 + m], 0x88);
        const __m512i even1 = _mm512_shuffle_i32x4(u[8 + m], u[12 + m], 0x88);
        const __m512i odd0 = _mm512_shuffle_i32x4(u[m], u[4 + m], 0xdd);
        const __m512i odd1 = _mm512_shuffle_i32x4(u[8 + m], u[12 + m], 0xdd);
        _mm512_storeu_si512(lines + m * lineStride, _mm512_shuffle_i32x4(even0, even1, 0x88));
        _mm512_storeu_si512(lines + (8 + m) * lineStride, _mm512_shuffle_i32x4(even0, even1, 0xdd));
        _mm512_storeu_si512(lines + (4 + m) * lineStride, _mm512_shuffle_i32x4(odd0, odd1, 0x88));
        _mm512_storeu_si512(lines + (12 + m) * lineStride, _mm512_shuffle_i32x4(odd0, odd1, 0xdd));
    }
}

// Panel `panel` of w (outFeatures x inFeatures bfloat16, row-major) -> pairCount x 32 words, zero beyond the last
// output feature (and in the high half of the last pair when inFeatures is odd). Whole panels of an even width (every
// linear layer of the models) go 16 x 16 words at a time through registers: word by word the strided stores took 9 % of
// a one-thread bfloat16 Chronos-Bolt call.
void PackPanel(const uint16_t* w, long outFeatures, long inFeatures, long panel, uint32_t* destination)
{
    const long pairCount = (inFeatures + 1) / 2;
    const long first = panel * Width;
    const long features = outFeatures - first < Width ? outFeatures - first : Width;
    if (features < Width || inFeatures % 2 != 0)
        std::memset(destination, 0, sizeof(uint32_t) * pairCount * Width);
    const long fullPairs = inFeatures / 2;
    long done = 0;
    if (features == Width && inFeatures % 2 == 0 && reinterpret_cast<uintptr_t>(w) % 4 == 0)
    {
        const uint32_t* rows = reinterpret_cast<const uint32_t*>(w + first * inFeatures);
        for (; done + 16 <= fullPairs; done += 16)
        {
            Transpose16(rows + done, fullPairs, destination + done * Width, Width);
            Transpose16(rows + 16 * fullPairs + done, fullPairs, destination + done * Width + 16, Width);
        }
    }
    for (long j = 0; j < features; j++)
    {
        const uint16_t* row = w + (first + j) * inFeatures;
        uint32_t* column = destination + j;
        if (reinterpret_cast<uintptr_t>(row) % 4 == 0)
        {
            const uint32_t* pairs = reinterpret_cast<const uint32_t*>(row);
            for (long i = done; i < fullPairs; i++)
                column[i * Width] = pairs[i];
        }
        else
            for (long i = done; i < fullPairs; i++)
                column[i * Width] = uint32_t(row[2 * i]) | (uint32_t(row[2 * i + 1]) << 16);
        if (inFeatures % 2 != 0)
            column[fullPairs * Width] = row[inFeatures - 1];
    }
}

// y[r, 0..31] = sum over pairs of x pair r times panel, for R rows (rows of x `xStride` words apart, of y `yStride`).
template <int R>
void Rows(const uint32_t* x, long xStride, long pairCount, const uint32_t* panel, float* y, long yStride)
{
    __m512 a[R], b[R];
#pragma GCC unroll 10
    for (int r = 0; r < R; r++)
    {
        a[r] = _mm512_setzero_ps();
        b[r] = _mm512_setzero_ps();
    }
    for (long i = 0; i < pairCount; i++, panel += Width)
    {
        const __m512bh left = (__m512bh)_mm512_loadu_si512(panel);
        const __m512bh right = (__m512bh)_mm512_loadu_si512(panel + 16);
#pragma GCC unroll 10
        for (int r = 0; r < R; r++)
        {
            const __m512bh v = (__m512bh)_mm512_set1_epi32(static_cast<int>(x[r * xStride + i]));
            a[r] = _mm512_dpbf16_ps(a[r], v, left);
            b[r] = _mm512_dpbf16_ps(b[r], v, right);
        }
    }
#pragma GCC unroll 10
    for (int r = 0; r < R; r++)
    {
        _mm512_storeu_ps(y + r * yStride, a[r]);
        _mm512_storeu_ps(y + r * yStride + 16, b[r]);
    }
}

// Bias and relu on `width` outputs of one row, while they are still in the L1 cache.
void Epilogue(float* y, long width, const float* bias, bool relu)
{
    long j = 0;
    const __m512 zero = _mm512_setzero_ps();
    for (; j + 16 <= width; j += 16)
    {
        __m512 v = _mm512_loadu_ps(y + j);
        if (bias != nullptr)
            v = _mm512_add_ps(v, _mm512_loadu_ps(bias + j));
        if (relu)
            v = _mm512_max_ps(zero, v);     // the second operand when either is NaN: NaN stays NaN, as torch.relu
        _mm512_storeu_ps(y + j, v);
    }
    for (; j < width; j++)
    {
        float v = y[j] + (bias != nullptr ? bias[j] : 0.0f);
        y[j] = relu && v < 0.0f ? 0.0f : v;
    }
}

// Few rows (a decoder step, one series): packing a panel would cost more than multiplying with it, so the weights are
// read in place, as pairs of their rows: y[r, n] for four rows and four output features at a time, 16 accumulators of
// 16 lanes, each a sum over its lane's pairs, then summed across lanes. Needs an even inFeatures (whole pairs per row).
void FewRows(const uint32_t* x, long rows, long pairCount, const uint16_t* w, long firstFeature, long endFeature,
    float* y, long yStride, const float* bias, bool relu)
{
    const long tail = pairCount % 16;
    const __mmask16 tailMask = static_cast<__mmask16>((1u << tail) - 1u);
    for (long n0 = firstFeature; n0 < endFeature; n0 += 4)
    {
        const long features = endFeature - n0 < 4 ? endFeature - n0 : 4;
        const uint32_t* wr[4];
#pragma GCC unroll 4
        for (long j = 0; j < 4; j++)
            wr[j] = reinterpret_cast<const uint32_t*>(w) + (n0 + (j < features ? j : 0)) * pairCount;
        for (long r0 = 0; r0 < rows; r0 += 4)
        {
            const long count = rows - r0 < 4 ? rows - r0 : 4;
            const uint32_t* xr[4];
#pragma GCC unroll 4
            for (long i = 0; i < 4; i++)
                xr[i] = x + (r0 + (i < count ? i : 0)) * pairCount;
            __m512 acc[4][4];
#pragma GCC unroll 4
            for (int i = 0; i < 4; i++)
#pragma GCC unroll 4
                for (int j = 0; j < 4; j++)
                    acc[i][j] = _mm512_setzero_ps();
            long p = 0;
            for (; p + 16 <= pairCount; p += 16)
            {
                __m512bh wv[4], xv[4];
#pragma GCC unroll 4
                for (int j = 0; j < 4; j++)
                    wv[j] = (__m512bh)_mm512_loadu_si512(wr[j] + p);
#pragma GCC unroll 4
                for (int i = 0; i < 4; i++)
                    xv[i] = (__m512bh)_mm512_loadu_si512(xr[i] + p);
#pragma GCC unroll 4
                for (int i = 0; i < 4; i++)
#pragma GCC unroll 4
                    for (int j = 0; j < 4; j++)
                        acc[i][j] = _mm512_dpbf16_ps(acc[i][j], xv[i], wv[j]);
            }
            if (tail != 0)
            {
                __m512bh wv[4], xv[4];
#pragma GCC unroll 4
                for (int j = 0; j < 4; j++)
                    wv[j] = (__m512bh)_mm512_maskz_loadu_epi32(tailMask, wr[j] + p);
#pragma GCC unroll 4
                for (int i = 0; i < 4; i++)
                    xv[i] = (__m512bh)_mm512_maskz_loadu_epi32(tailMask, xr[i] + p);
#pragma GCC unroll 4
                for (int i = 0; i < 4; i++)
#pragma GCC unroll 4
                    for (int j = 0; j < 4; j++)
                        acc[i][j] = _mm512_dpbf16_ps(acc[i][j], xv[i], wv[j]);
            }
            for (long i = 0; i < count; i++)
                for (long j = 0; j < features; j++)
                {
                    float v = _mm512_reduce_add_ps(acc[i][j]);
                    if (bias != nullptr)
                        v += bias[n0 + j];
                    y[(r0 + i) * yStride + n0 + j] = relu && v < 0.0f ? 0.0f : v;
                }
        }
    }
}

// Per-thread buffers: the call's input rows as pairs and one packed panel (reused from call to call).
thread_local std::vector<uint32_t> inputPairs;
thread_local std::vector<uint32_t> panelWords;

}  // namespace

extern "C" {

// 1 when the CPU runs AVX512F and AVX512_BF16 (the kernels' instructions), else 0.
__attribute__((visibility("default"))) int chronos_bf16_supported()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bf16") ? 1 : 0;
}

// y = x * w^T (+ bias) (then relu) for output panels firstPanel .. endPanel-1 (32 output features each): x float32
// rows x inFeatures, contiguous; w bfloat16 outFeatures x inFeatures, contiguous; y float32 rows x outFeatures;
// bias float32 outFeatures or null. Threads may call it at once for disjoint panel ranges of the same product, or all
// for the same range with one shared counter `nextPanel` (starting at 0): each then takes the range's panels one at a
// time as it comes free (on a shared machine the two threads rarely run at the same speed, and with fixed halves the
// faster one waits for the other). A panel's outputs are the same sums whichever thread computes them.
__attribute__((visibility("default"))) void chronos_bf16_linear(const float* x, long rows, const uint16_t* w,
    long outFeatures, long inFeatures, float* y, const float* bias, int relu, long firstPanel, long endPanel, int* nextPanel)
{
    const long pairCount = (inFeatures + 1) / 2;
    if (static_cast<long>(inputPairs.size()) < rows * pairCount)
        inputPairs.resize(rows * pairCount);
    if (static_cast<long>(panelWords.size()) < pairCount * Width)
        panelWords.resize(pairCount * Width);
    uint32_t* pairs = inputPairs.data();
    uint32_t* panel = panelWords.data();
    // Every thread rounds all rows itself (rows x k conversions against rows x k x 32 x panels multiply-adds): no
    // second hand-over between threads.
    for (long r = 0; r < rows; r++)
        ConvertRow(x + r * inFeatures, inFeatures, pairs + r * pairCount);
    auto next = [&](long p) {
        return nextPanel == nullptr ? p + 1 : firstPanel + __atomic_fetch_add(nextPanel, 1, __ATOMIC_RELAXED);
    };
    const long start = nextPanel == nullptr ? firstPanel : next(0);
    if (rows <= FewRowLimit && inFeatures % 2 == 0)
    {
        for (long p = start; p < endPanel; p = next(p))
        {
            const long endFeature = (p + 1) * Width < outFeatures ? (p + 1) * Width : outFeatures;
            FewRows(pairs, rows, pairCount, w, p * Width, endFeature, y, outFeatures, bias, relu != 0);
        }
        return;
    }
    alignas(64) float scratch[10 * Width];
    for (long p = start; p < endPanel; p = next(p))
    {
        PackPanel(w, outFeatures, inFeatures, p, panel);
        const long column = p * Width;
        const long width = outFeatures - column < Width ? outFeatures - column : Width;
        const bool full = width == Width;
        for (long row = 0; row < rows;)
        {
            const long count = rows - row >= 10 ? 10 : rows - row >= 4 ? 4 : 1;
            float* destination = full ? y + row * outFeatures + column : scratch;
            const long stride = full ? outFeatures : Width;
            const uint32_t* input = pairs + row * pairCount;
            if (count == 10)
                Rows<10>(input, pairCount, pairCount, panel, destination, stride);
            else if (count == 4)
                Rows<4>(input, pairCount, pairCount, panel, destination, stride);
            else
                Rows<1>(input, pairCount, pairCount, panel, destination, stride);
            for (long r = 0; r < count; r++)
            {
                if (bias != nullptr || relu)
                    Epilogue(destination + r * stride, width, bias != nullptr ? bias + column : nullptr, relu != 0);
                if (!full)
                    std::memcpy(y + (row + r) * outFeatures + column, scratch + r * Width, sizeof(float) * width);
            }
            row += count;
        }
    }
}

}  // extern "C"
