#!/usr/bin/env bash
# Sets up a fresh machine for Tessera: system packages the tests need (Mesa's lavapipe CPU Vulkan
# driver for the WebGPU tests, Debian's Chromium for the browser tests), pnpm through corepack, the
# workspace's dependencies from the lockfile, and a build of every package. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 COREPACK_ENABLE_DOWNLOAD_PROMPT=0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ "${TESSERA_SKIP_SYSTEM:-0}" != "1" ]; then
  sh packages/backend-webgpu/scripts/install-lavapipe.sh
  if ! command -v chromium >/dev/null 2>&1; then
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
  fi
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "10.34.9" ]; then
  $SUDO corepack enable
fi
pnpm install --frozen-lockfile
pnpm build
