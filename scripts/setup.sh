#!/usr/bin/env bash
# Installs what building, running and testing schemadesk needs on Debian or Ubuntu.
# Safe to run again; needs root or sudo for apt-get.
set -euo pipefail

packages=(
  build-essential pkg-config   # rusqlite's bundled SQLite is compiled with cc
  libvulkan1 mesa-vulkan-drivers  # lavapipe: the snapshot tests render with wgpu on the CPU
  libgl1 libegl1 libegl-mesa0 libgl1-mesa-dri libxkbcommon-x11-0 libx11-xcb1 libxcursor1 libxrandr2 libxi6  # the window (OpenGL, Mesa llvmpipe without a GPU)
  xvfb xauth                   # a headless display for screenshots
  dbus gnome-keyring           # a Secret Service for the OS keyring
  zenity                       # native file dialogs where no desktop portal runs
  strace git openssl           # tests: TLS certificates for the test server; a save is synced before it is reported; nextgen workspaces are git repositories
  dpkg-dev appstream desktop-file-utils  # packaging: build-deb.sh, metainfo and .desktop checks
  fonts-wqy-microhei           # a small CJK font: the GUI test that draws CJK titles through the system fallback fonts
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing: install it from https://rustup.rs (Rust 1.95 or newer), then run this again." >&2
  exit 1
fi
