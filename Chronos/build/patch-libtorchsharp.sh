#!/usr/bin/env bash
# Puts a loadable libLibTorchSharp.so into OUT_DIR for the build output of every project that references Chronos.
#
#   patch-libtorchsharp.sh SOURCE_SO OUT_DIR [auto|always|never]
#
# TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++) for exactly one symbol,
# std::ios_base_library_init(). Debian 12 ships GLIBCXX_3.4.30, so the loader refuses the library. Where the host's
# libstdc++ lacks that version ("auto"), the copy (never the NuGet cache) is patched:
#   1. a tiny shim library defines the function (native/ios_base_library_init_shim.cpp);
#   2. patchelf clears the version of that symbol and adds the shim as a needed library (found through the
#      library's own RUNPATH $ORIGIN, i.e. next to it in the output folder);
#   3. the now unused GLIBCXX_3.4.32 requirement is marked weak (native/weaken_version_need.c), which glibc accepts.
# The patched library also loads on hosts that do have GLIBCXX_3.4.32. Where nothing is needed, the file is copied.
set -euo pipefail

source_so=${1:?usage: patch-libtorchsharp.sh SOURCE_SO OUT_DIR [auto|always|never]}
out_dir=${2:?usage: patch-libtorchsharp.sh SOURCE_SO OUT_DIR [auto|always|never]}
mode=${3:-auto}
here=$(cd "$(dirname "$0")" && pwd)
symbol=_ZSt21ios_base_library_initv   # std::ios_base_library_init()
version=GLIBCXX_3.4.32
shim=libstdcxx-ios-base-init-shim.so

fail() { echo "patch-libtorchsharp.sh: error: $*" >&2; exit 1; }

[ -f "$source_so" ] || fail "$source_so not found; restore the TorchSharp package (dotnet restore)."

host_libstdcxx() {
  local path
  path=$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true) \
          | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
  [ -n "$path" ] || path=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
  echo "$path"
}

case "$mode" in
  always) patch=yes ;;
  never) patch=no ;;
  auto)
    libstdcxx=$(host_libstdcxx)
    if [ -f "$libstdcxx" ] && grep -qa "$version" "$libstdcxx"; then patch=no; else patch=yes; fi ;;
  *) fail "unknown mode '$mode' (ChronosPatchLibTorchSharp must be auto, always or never)" ;;
esac

rm -rf "$out_dir"
mkdir -p "$out_dir"
if [ "$patch" = no ]; then
  cp -p "$source_so" "$out_dir/libLibTorchSharp.so"
  echo "patch-libtorchsharp.sh: host libstdc++ has $version; libLibTorchSharp.so copied unchanged"
  exit 0
fi

for tool in g++ gcc patchelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    message="'$tool' is required to make libLibTorchSharp.so loadable on this host (its libstdc++ lacks $version). Install it: apt-get install -y g++ patchelf, then rebuild"
    # In auto mode a missing tool must not break the build of projects that only reference Chronos (the Trainer's
    # default job runs no Chronos model): leave the library out, so that using Chronos throws
    # TorchNativeLoadException naming this fix, and so that the next build retries (no output = target not up to date).
    [ "$mode" = auto ] || fail "$message"
    echo "patch-libtorchsharp.sh: warning: $message. Chronos models cannot run until then."
    exit 0
  fi
done

tools_dir="$out_dir/../torchsharp-native-tools"
mkdir -p "$tools_dir"
g++ -shared -fPIC -O2 -Wall -Werror -o "$out_dir/$shim" "$here/native/ios_base_library_init_shim.cpp"
gcc -O2 -Wall -Wextra -Werror -o "$tools_dir/weaken_version_need" "$here/native/weaken_version_need.c"

work="$out_dir/libLibTorchSharp.so.partial"
cp "$source_so" "$work"
chmod u+w "$work"
patchelf --clear-symbol-version "$symbol" "$work"
patchelf --add-needed "$shim" "$work"
"$tools_dir/weaken_version_need" "$work" "$version"
mv "$work" "$out_dir/libLibTorchSharp.so"
echo "patch-libtorchsharp.sh: host libstdc++ lacks $version; patched libLibTorchSharp.so with $shim"
