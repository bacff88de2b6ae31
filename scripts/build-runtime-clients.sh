#!/usr/bin/env bash
# Builds the references `lambdakit invoke` is held against: for each Lambda Node.js runtime it
# emulates, that runtime's Node binary (the node-<os>-<arch> package from the npm registry) and
# AWS's runtime interface client (npm `aws-lambda-ric`, a native build) installed with it.
#
#   nodejs22.x  Node 22  aws-lambda-ric 3.x (the runtime of Lambda's nodejs22.x: callback handlers)
#   nodejs24.x  Node 24  aws-lambda-ric 4.x (the runtime of nodejs24.x and of Managed Instances)
#
# Everything goes to a cache outside the repository ($LAMBDAKIT_CACHE, default
# ~/.cache/lambdakit) and is built once. Writes $LAMBDAKIT_CACHE/runtime-clients.json, which the
# conformance suite (packages/cli/test/conformance.test.ts) and `--runtime-client aws` read.
# Needs make, g++, python3, cmake, autoconf, automake and libtool; with --install-build-tools it
# installs the missing ones from the OS packages (Debian/Ubuntu, as root). With --node-only it
# installs (or finds) the Node binaries only and prints one `runtime path` line per runtime (the
# benchmark runs on each).
set -euo pipefail

cache="${LAMBDAKIT_CACHE:-$HOME/.cache/lambdakit}"
manifest="$cache/runtime-clients.json"
# runtime, Node version, aws-lambda-ric version
runtimes=("nodejs22.x 22.23.3 3.3.0" "nodejs24.x 24.21.0 4.0.2")

say() { printf 'build-runtime-clients: %s\n' "$*" >&2; }

if [ "${1:-}" = "--install-build-tools" ]; then
  missing=()
  for tool in cmake:cmake autoreconf:autoconf aclocal:automake libtoolize:libtool make:make g++:g++; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || { say "missing ${missing[*]} and no apt-get to install them"; exit 1; }
    say "installing ${missing[*]} from the OS packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } \
      || { say "could not install ${missing[*]}"; exit 1; }
  fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) say "aws-lambda-ric builds on Linux only (this is $(uname -s) $(uname -m))"; exit 1 ;;
esac

# The Node binary of a version, from the npm registry, cached.
node_binary() {
  local version="$1" dir="$cache/node/$1"
  local bin="$dir/node_modules/node-$platform/bin/node"
  if [ ! -x "$bin" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node-$platform@$version" >/dev/null \
      || { say "could not install Node $version (node-$platform)"; return 1; }
  fi
  printf '%s\n' "$bin"
}

if [ "${1:-}" = "--node-only" ]; then
  for spec in "${runtimes[@]}"; do
    read -r runtime node_version _ <<<"$spec"
    printf '%s %s\n' "$runtime" "$(node_binary "$node_version")"
  done
  exit 0
fi

entries=()
for spec in "${runtimes[@]}"; do
  read -r runtime node_version ric_version <<<"$spec"
  node="$(node_binary "$node_version")"
  dir="$cache/ric/$runtime-$ric_version"
  ric="$dir/node_modules/aws-lambda-ric"
  if [ ! -f "$ric/rapid-client.node" ] && [ ! -f "$ric/dist/rapid-client.node" ] && [ ! -f "$ric/build/Release/rapid-client.node" ]; then
    for tool in cmake autoreconf make g++ python3; do
      command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing: run with --install-build-tools, or install it"; exit 1; }
    done
    say "building aws-lambda-ric $ric_version with Node $node_version (a few minutes, once)"
    rm -rf "$dir" && mkdir -p "$dir"
    log="$dir/build.log"
    if ! PATH="$(dirname "$node"):$PATH" npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock \
      --foreground-scripts "aws-lambda-ric@$ric_version" >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      say "building aws-lambda-ric $ric_version failed (log: $log)"
      exit 1
    fi
  fi
  entries+=("\"$runtime\": { \"node\": \"$node\", \"nodeVersion\": \"$node_version\", \"ric\": \"$ric\", \"ricVersion\": \"$ric_version\" }")
done

mkdir -p "$cache"
{
  printf '{\n'
  for i in "${!entries[@]}"; do
    printf '  %s%s\n' "${entries[$i]}" "$([ "$i" -lt $((${#entries[@]} - 1)) ] && echo ,)"
  done
  printf '}\n'
} >"$manifest"
say "ready: $manifest"
