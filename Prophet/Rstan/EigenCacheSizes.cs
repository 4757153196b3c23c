using System.Runtime.Intrinsics.X86;

namespace Forecast.Prophet.Rstan;

/// <summary>
/// The L1 data cache size Eigen 3.3.9 reads from CPUID (Eigen/src/Core/util/Memory.h queryCacheSizes: Intel leaf 4
/// "deterministic cache parameters", AMD leaf 0x80000005 ECX[31:24] KB), which sets the depth blocking of its matrix
/// products (<see cref="EigenKernels.DepthBlock"/>) and so the rounding of rstan's long sums. Where the query gives
/// nothing (not x86, very old CPUs that only have Intel leaf 2) Eigen's default for x86-64 is used: 32 KB
/// (products/GeneralBlockPanelKernel.h defaultL1CacheSize). rstan on the same machine uses the same value.
/// </summary>
internal static class EigenCacheSizes
{
    private const int DefaultL1Bytes = 32 * 1024;

    private static readonly Lazy<int> L1 = new(QueryL1);

    public static int L1DataBytes => L1.Value;

    private static int QueryL1()
    {
        if (!X86Base.IsSupported)
        {
            return DefaultL1Bytes;
        }

        var (_, vendor1, vendor3, vendor2) = X86Base.CpuId(0, 0);
        var l1 = 0;
        var amd = (vendor1 == 0x68747541 && vendor2 == 0x69746e65 && vendor3 == 0x444d4163)
            || (vendor1 == 0x69444d41 && vendor2 == 0x74656273 && vendor3 == 0x21726574);
        if (amd)
        {
            var (_, _, ecx, _) = X86Base.CpuId(unchecked((int)0x80000005), 0);
            l1 = (ecx >> 24) * 1024;
        }
        else
        {
            // queryCacheSizes_intel_direct (Eigen takes "max_std_funcs" from EBX, a vendor-string word, so it always
            // chooses this leaf-4 walk over the leaf-2 table): walk until a null cache type, at most 16 entries.
            for (var cacheId = 0; cacheId < 16; cacheId++)
            {
                var (eax, ebx, ecx, _) = X86Base.CpuId(4, cacheId);
                var cacheType = eax & 0x0F;
                if (cacheType == 0)
                {
                    break;
                }

                if ((cacheType == 1 || cacheType == 3) && ((eax & 0xE0) >> 5) == 1)
                {
                    var ways = (int)(((uint)ebx & 0xFFC00000) >> 22);
                    var partitions = (ebx & 0x003FF000) >> 12;
                    var lineSize = ebx & 0x00000FFF;
                    l1 = (ways + 1) * (partitions + 1) * (lineSize + 1) * (ecx + 1);
                }
            }
        }

        return l1 > 0 ? l1 : DefaultL1Bytes;
    }
}
