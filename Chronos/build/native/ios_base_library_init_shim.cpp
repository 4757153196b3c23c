// Provides std::ios_base_library_init() for hosts whose libstdc++ predates GCC 13 (GLIBCXX_3.4.32).
//
// Why: TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++, whose <iostream> no longer
// places a static ios_base::Init object in every translation unit but instead references this one function so the
// library initialises the standard streams itself. Debian 12 ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30), which
// neither defines the function nor the version, so the dynamic loader refuses libLibTorchSharp.so.
// The build (Chronos/build/patch-libtorchsharp.sh) makes libLibTorchSharp.so need this library and look the symbol
// up without a version. The function does nothing: the static Init object below constructs std::cout and friends
// when this library is loaded, which is exactly the guarantee the GCC 13 function gives.
#include <ios>

namespace
{
    // Constructed at load time of the shim, before any code of libLibTorchSharp.so runs (it depends on the shim).
    const std::ios_base::Init standard_streams_initialiser;
}

namespace std
{
    // Mangled name _ZSt21ios_base_library_initv, as referenced by libLibTorchSharp.so.
    __attribute__((visibility("default"))) void ios_base_library_init() {}
}
