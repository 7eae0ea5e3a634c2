#!/usr/bin/env bash
# Podman and the two local base images the container test builds on (no Docker engine and no image
# registry on these machines; see shared notes "Containers"). Fast when everything is there.
# Fails loudly when the runtime cannot start a container: the container test must never be skipped.
#
#   localhost/debian:bookworm          mmdebstrap minbase + ca-certificates (the machine's apt sources)
#   localhost/node:20-bookworm-slim    the above + this machine's node binary and npm, user `node` (1000)
#                                      like the official node:20-bookworm-slim the Dockerfile defaults to
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'provision-containers: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

DEBIAN_IMAGE=localhost/debian:bookworm
NODE_IMAGE=localhost/node:20-bookworm-slim
podman_() { podman --runtime runc "$@"; }

need_apt=()
for tool in podman buildah mmdebstrap runc newuidmap; do
  command -v "$tool" >/dev/null 2>&1 || need_apt+=("$tool")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing podman buildah mmdebstrap runc uidmap (missing: ${need_apt[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends podman buildah mmdebstrap runc uidmap >/dev/null
fi

# podman's default ulimits are refused in this sandbox; an existing config must already say so.
conf=/etc/containers/containers.conf
if [ ! -f "$conf" ]; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n' >"$conf"
elif ! grep -q '^default_ulimits *= *\[\]' "$conf"; then
  die "$conf exists without 'default_ulimits = []' under [containers]; add it (podman's default ulimits are refused here)"
fi

if ! podman_ image exists "$DEBIAN_IMAGE"; then
  say "making $DEBIAN_IMAGE with mmdebstrap (about a minute)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$tmp/rootfs.tar"
  podman_ import --quiet "$tmp/rootfs.tar" "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$tmp"
  trap - EXIT
fi

if ! podman_ image exists "$NODE_IMAGE"; then
  say "making $NODE_IMAGE from this machine's node $(node --version)"
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  cp "$(readlink -f "$(command -v node)")" "$ctx/node"
  cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ctx/npm"
  cat >"$ctx/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && echo 'node:x:1000:' >>/etc/group \\
 && echo 'node:x:1000:1000::/home/node:/bin/bash' >>/etc/passwd \\
 && mkdir -p /home/node && chown 1000:1000 /home/node
CMD ["node"]
EOF
  podman_ build --quiet --network host -t "$NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  trap - EXIT
fi

# The proof that the runtime works: start a container, not just ask podman for its version.
out=$(podman_ run --rm --network host "$NODE_IMAGE" node -e 'process.stdout.write(process.version)' 2>&1) \
  || die "podman cannot start a container (runtime runc): $out"
[ "$out" = "$(node --version)" ] || die "$NODE_IMAGE runs node $out, expected $(node --version)"
say "ready ($NODE_IMAGE runs node $out)"
