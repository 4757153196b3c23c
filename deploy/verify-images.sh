#!/usr/bin/env bash
# Builds, pushes, pulls and runs the Forecast images offline (issue 7), with no Docker engine and no outside registry:
#
#   1. mmdebstrap builds a minimal Debian base (what a .NET app needs at run time) as a tarball;
#   2. umoci turns it into an OCI image;
#   3. Debian's docker-registry serves a registry on 127.0.0.1; skopeo pushes the base image to it;
#   4. `dotnet publish -t:PublishContainer` builds the Trainer (and Evaluator, Dashboard when present) on that base
#      and pushes to the same registry (DOTNET_CONTAINER_INSECURE_REGISTRIES: plain HTTP on 127.0.0.1);
#   5. skopeo pulls the Trainer image back, umoci unpacks it into a runtime bundle;
#   6. the image's own entrypoint, user and working directory run in a chroot (unshare --mount-proc: its own PID and
#      mount namespace, /proc and /dev) on the sample config shipped in the image; the run must commit, and every file
#      of its manifest must match its SHA-256.
#
#   deploy/verify-images.sh            (root; apt-get install mmdebstrap umoci skopeo docker-registry)
#
# Environment: DEBIAN_SUITE (bookworm), DEBIAN_MIRROR (http://deb.debian.org/debian), IMAGE_TAG (verify),
# FORECAST_IMAGE_WORK (a folder to keep; default a temporary one, deleted at the end), REGISTRY_PORT (a free one).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
tag=${IMAGE_TAG:-verify}
keep=${FORECAST_IMAGE_WORK:+yes}
work=${FORECAST_IMAGE_WORK:-$(mktemp -d /tmp/forecast-images.XXXXXX)}
mkdir -p "$work"
registry_pid=
started=$SECONDS

fail() { echo "verify-images.sh: error: $*" >&2; exit 1; }
step() { echo "== [$((SECONDS - started))s] $*"; }
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

for tool in mmdebstrap umoci skopeo docker-registry unshare chroot dotnet python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is missing; apt-get install -y mmdebstrap umoci skopeo docker-registry"
done
[ "$(id -u)" = 0 ] || fail "run as root (mmdebstrap, chroot and unshare need it)."

# 1. The base: minbase plus what .NET needs (ICU is not: the projects use InvariantGlobalization). Docs and locales
#    are left out to keep the layer small.
step "mmdebstrap $suite base"
mmdebstrap --variant=minbase --quiet \
  --include=ca-certificates,libssl3,zlib1g,libstdc++6,libgcc-s1,tzdata \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  "$suite" "$work/base.tar" "deb $mirror $suite main" </dev/null
ls -l "$work/base.tar" | awk '{ printf "   base layer: %.1f MB\n", $5 / 1e6 }'

# 2. OCI image from the tarball.
step "umoci: OCI image from the base tarball"
umoci init --layout "$work/oci"
umoci new --image "$work/oci:debian-base"
umoci raw add-layer --image "$work/oci:debian-base" "$work/base.tar"
umoci config --image "$work/oci:debian-base" --os linux --architecture amd64 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --author "forecast deploy/verify-images.sh" --history.comment "mmdebstrap $suite minbase"

# 3. A registry on 127.0.0.1 and the base pushed into it.
port=${REGISTRY_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
registry=127.0.0.1:$port
cat > "$work/registry.yml" <<YAML
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $work/registry } }
http: { addr: $registry }
YAML
step "docker-registry on $registry"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://$registry/v2/')" 2>/dev/null && break
  sleep 0.2
done
python3 -c "import urllib.request; urllib.request.urlopen('http://$registry/v2/')" || fail "the registry did not start: $(cat "$work/registry.log")"
base_image=$registry/forecast/debian-base:$suite
step "skopeo: push the base to $base_image"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:debian-base" "docker://$base_image"

# 4. Our images on that base. The base has no .NET, so the apps are self-contained (with the default base,
#    mcr.microsoft.com/dotnet/runtime:10.0, they need not be: see docs/deploy.md).
export DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for project in Trainer Evaluator Dashboard; do
  if [ ! -f "$repo/$project/$project.csproj" ]; then
    echo "   $project: not in this checkout, skipped"
    continue
  fi
  step "dotnet publish $project -t:PublishContainer (base $base_image)"
  dotnet publish "$repo/$project/$project.csproj" -c Release -r linux-x64 --self-contained true \
    -t:PublishContainer -p:ContainerBaseImage="$base_image" -p:ContainerRegistry="$registry" \
    -p:ContainerRepository="forecast/${project,,}" -p:ContainerImageTag="$tag" -p:ContainerUser=1654:1654 \
    -o "$work/publish/$project" -v:q -nologo -clp:NoSummary
done

# 5. Pull the Trainer image back and unpack it into a runtime bundle.
step "skopeo: pull forecast/trainer:$tag; umoci unpack"
skopeo copy --quiet --src-tls-verify=false "docker://$registry/forecast/trainer:$tag" "oci:$work/pulled:trainer"
skopeo inspect --tls-verify=false "docker://$registry/forecast/trainer:$tag" \
  | python3 -c 'import json,sys; i=json.load(sys.stdin); print("   image:", i["Name"], i["Digest"], len(i["Layers"]), "layers,", i["Os"] + "/" + i["Architecture"])'
umoci unpack --image "$work/pulled:trainer" "$work/bundle" >/dev/null
rootfs=$work/bundle/rootfs

# 6. Run it as the image says (entrypoint, user, working directory, environment from the bundle's config.json).
mapfile -t spec < <(python3 - "$work/bundle/config.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["process"]
print(p["user"]["uid"]); print(p["user"]["gid"]); print(p.get("cwd", "/"))
print("\x1f".join(p["args"])); print("\x1f".join(p.get("env", [])))
PY
)
uid=${spec[0]} gid=${spec[1]} cwd=${spec[2]}
IFS=$'\x1f' read -r -a entry <<<"${spec[3]}"
IFS=$'\x1f' read -r -a image_env <<<"${spec[4]}"
[ "$uid" != 0 ] && [ "$gid" != 0 ] || fail "the image runs as root (uid $uid, gid $gid); ContainerUser must name a non-root user and group."
echo "   user $uid:$gid, cwd $cwd, entrypoint ${entry[*]}"
mkdir -p "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
step "run the Trainer image on the shipped sample config (unshare --mount-proc + chroot)"
set +e
unshare --pid --fork --mount --mount-proc="$rootfs/proc" \
  bash -c 'root=$1; shift; mount --rbind /dev "$root/dev" && exec "$@"' _ "$rootfs" \
  chroot --userspec="$uid:$gid" "$rootfs" /usr/bin/env -i -C "$cwd" "${image_env[@]}" HOME=/tmp \
  "${entry[@]}" --config config/default-config.yaml --set run.output=/tmp/forecast-output \
  > "$work/trainer.log" 2>&1
code=$?
set -e
tail -n 5 "$work/trainer.log" | sed 's/^/   | /'
[ "$code" = 0 ] || { cat "$work/trainer.log"; fail "the Trainer exited with $code in the image."; }

python3 - "$rootfs/tmp/forecast-output" <<'PY'
import hashlib, json, pathlib, sys
runs = sorted(pathlib.Path(sys.argv[1], "runs").glob("*/manifest.json"))
if len(runs) != 1:
    sys.exit(f"expected one committed run under {sys.argv[1]}/runs, found {len(runs)}")
manifest = json.loads(runs[0].read_text())
bad = [f["path"] for f in manifest["files"]
       if hashlib.sha256((runs[0].parent / f["path"]).read_bytes()).hexdigest() != f["sha256"]]
if manifest["status"] != "committed" or bad:
    sys.exit(f"run {manifest['run_id']} is not whole: status {manifest['status']}, bad files {bad}")
needed = {"config.yaml", "metrics.yaml", "forecasts.csv", "forecasts.parquet", "evaluation/forecasts.csv"}
missing = needed - {f["path"] for f in manifest["files"]}
if missing:
    sys.exit(f"run {manifest['run_id']} lacks {sorted(missing)}")
print(f"   complete run {manifest['run_id']}: {len(manifest['files'])} files, every SHA-256 matches manifest.json")
PY
step "OK: images built on a local Debian base, pushed, pulled, and the Trainer image ran a complete run"
