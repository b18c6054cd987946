#!/usr/bin/env bash
# Build deploy/Dockerfile without a Docker daemon or a registry: for users (docs/install.md,
# step 1) and for the image and install tests (tests/image, tests/install). Run as root.
#
#   eval "$(bash .ci/image.sh)"          # build (or reuse layers) and export what podman needs
#   bash .ci/image.sh save FILE.tar      # the image as a docker-archive, for `ctr images import`,
#                                        # `kind load image-archive`, `minikube image load`...
#   bash .ci/image.sh clean              # remove the image store
#
# KUBEMEDIC_IMAGE_TAG names the image (default localhost/kubemedic:test).
#
# Nothing can be pulled from a registry here, so the base image is made locally:
# mmdebstrap (Debian bookworm minbase: python3 3.11, python3-venv, ca-certificates)
# imported with podman, and passed to the Dockerfile's PYTHON_IMAGE build ARG (the
# Dockerfile's own default stays the pinned python:3.12 slim image for real users).
# buildah builds with --isolation chroot; podman runs with runc (crun refuses this
# machine's cgroup v1 mode) and explicit nofile/nproc ulimits no higher than the
# host's. pip inside the build trusts the host's CA bundle (the machine reaches
# PyPI through a proxy with its own CA). Everything lives under $CACHE, outside
# the checkout, so a second build reuses the base and unchanged layers.
# Only the export lines go to stdout (so `eval` works); progress goes to stderr.
set -euo pipefail
CALLER_DIR="$PWD"  # `save FILE` is relative to where it was called
cd "$(dirname "$0")/.."

CACHE="${KUBEMEDIC_IMAGE_CACHE:-/var/tmp/kubemedic-image}"
IMAGE="${KUBEMEDIC_IMAGE_TAG:-localhost/kubemedic:test}"
SUITE=bookworm
PACKAGES="python3,python3-venv,ca-certificates"
BASE="localhost/kubemedic-base:$SUITE-$(printf '%s' "$SUITE $PACKAGES" | sha256sum | cut -c1-12)"
CA_BUNDLE="${KUBEMEDIC_IMAGE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

SCRIPT=image.sh
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_tools() {
    local missing=()
    command -v buildah >/dev/null 2>&1 || missing+=(buildah)
    command -v podman >/dev/null 2>&1 || missing+=(podman)
    command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
    command -v runc >/dev/null 2>&1 || missing+=(runc)
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "needs ${missing[*]} and there is no apt-get to install them"
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
}

limit() {  # the host's hard limit for `ulimit -$1`, capped at $2
    local value
    value="$(ulimit -H "-$1")"
    if [ "$value" = unlimited ] || [ "$value" -gt "$2" ]; then echo "$2"; else echo "$value"; fi
}

write_config() {
    mkdir -p "$CACHE/conf"
    local driver=overlay
    # overlay on top of overlay (a container's own root) does not mount: fall back to vfs
    if [ "$(stat -f -c %T "$CACHE")" = overlayfs ]; then driver=vfs; fi
    cat > "$CACHE/conf/storage.conf" <<EOF
[storage]
driver = "$driver"
runroot = "$CACHE/run"
graphroot = "$CACHE/storage"
EOF
    cat > "$CACHE/conf/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=$NPROC:$NPROC"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > "$CACHE/conf/pip.conf"
}

make_base() {
    if podman image exists "$BASE"; then
        say "reusing base image $BASE"
        return 0
    fi
    say "making base image $BASE (mmdebstrap $SUITE minbase: $PACKAGES)"
    local tarball="$CACHE/base-$SUITE.tar"
    mmdebstrap --quiet --variant=minbase --include="$PACKAGES" "$SUITE" "$tarball" >&2
    podman import --quiet "$tarball" "$BASE" >/dev/null
    rm -f "$tarball"
}

build() {
    [ "$(id -u)" = 0 ] || die "needs root (buildah --isolation chroot and mmdebstrap); run it in CI or as root"
    [ -r "$CA_BUNDLE" ] || die "no CA bundle at $CA_BUNDLE (set KUBEMEDIC_IMAGE_CA_BUNDLE)"
    install_tools
    NOFILE="$(limit n 65536)"
    NPROC="$(limit u 4096)"
    write_config
    export CONTAINERS_STORAGE_CONF="$CACHE/conf/storage.conf" CONTAINERS_CONF="$CACHE/conf/containers.conf"
    local started=$SECONDS
    make_base
    say "building $IMAGE from deploy/Dockerfile (buildah, chroot isolation)"
    buildah build --quiet --isolation chroot --network host --pull=never --layers \
        --ulimit "nofile=$NOFILE:$NOFILE" --ulimit "nproc=$NPROC:$NPROC" \
        --build-arg "PYTHON_IMAGE=$BASE" \
        --volume "$CA_BUNDLE:/etc/ssl/certs/ca-certificates.crt:ro" \
        --volume "$CACHE/conf/pip.conf:/etc/pip.conf:ro" \
        -f deploy/Dockerfile -t "$IMAGE" . >&2
    # layers of earlier builds that nothing uses any more (keeps a day's for the cache)
    podman image prune --force --filter until=24h >/dev/null 2>&1 || true
    say "built $IMAGE in $((SECONDS - started)) s"
    echo "export KUBEMEDIC_TEST_IMAGE=$IMAGE"
    echo "export CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF"
    echo "export CONTAINERS_CONF=$CONTAINERS_CONF"
}

save() {
    local file="${1:-}"
    [ -n "$file" ] || die "usage: $0 save FILE.tar"
    case "$file" in /*) ;; *) file="$CALLER_DIR/$file" ;; esac
    [ -f "$CACHE/conf/storage.conf" ] || die "no image store in $CACHE: build first (bash $0)"
    export CONTAINERS_STORAGE_CONF="$CACHE/conf/storage.conf" CONTAINERS_CONF="$CACHE/conf/containers.conf"
    podman image exists "$IMAGE" || die "no image $IMAGE in $CACHE: build it first (KUBEMEDIC_IMAGE_TAG=$IMAGE bash $0)"
    rm -f "$file"
    podman save --quiet --format docker-archive -o "$file" "$IMAGE"
    say "saved $IMAGE to $file ($(( $(stat -c %s "$file") / 1048576 )) MiB)"
}

clean() {
    if [ -f "$CACHE/conf/storage.conf" ]; then
        CONTAINERS_STORAGE_CONF="$CACHE/conf/storage.conf" podman system reset --force >/dev/null 2>&1 || true
    fi
    rm -rf "$CACHE"
    say "removed $CACHE"
}

case "${1:-build}" in
    build) build ;;
    save) save "${2:-}" ;;
    clean) clean ;;
    *) say "usage: $0 [build|save FILE.tar|clean]"; exit 2 ;;
esac
