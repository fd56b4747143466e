#!/bin/sh
# Installs Mesa's lavapipe (a CPU Vulkan driver) from Debian 12's backports suite, so that the
# `webgpu` npm package (Dawn) finds an adapter on a machine without a GPU. Idempotent.
#
# Debian 12's own Mesa 22.3 lavapipe is rejected by Dawn (it lacks
# shaderUniform*ArrayDynamicIndexing); Mesa 25 from bookworm-backports works.
# After this, pin the driver:  export VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json
# (with several Vulkan drivers visible, Dawn may pick another one, e.g. SwiftShader).
set -eu

ICD=/usr/share/vulkan/icd.d/lvp_icd.json
SOURCES=/etc/apt/sources.list.d/backports.sources

if [ -f "$ICD" ] && dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q 'bpo'; then
  echo "lavapipe already installed: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ! -f "$SOURCES" ]; then
  # Reuse the machine's own Debian mirror (the first URIs: line of debian.sources).
  awk '/^URIs:/ && !u {u=$2} END {printf "Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n", u}' \
    /etc/apt/sources.list.d/debian.sources | $SUDO tee "$SOURCES" >/dev/null
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1

if [ ! -f "$ICD" ]; then
  echo "install-lavapipe: $ICD is missing after the install" >&2
  exit 1
fi
echo "lavapipe installed: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers); export VK_ICD_FILENAMES=$ICD"
