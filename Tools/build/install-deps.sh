#!/bin/sh
# Installs everything Plait's build and tests need on Debian 12, with apt-get.
# Does nothing when all of it is already installed.  Run as root (or with
# sudo available).
set -eu

PACKAGES="
build-essential
autoconf
pkg-config
libmimalloc-dev
libffi-dev
zlib1g-dev
libssl-dev
libreadline-dev
libpython3.11-stdlib
libpython3.11-testsuite
python3.11
clang
libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all build dependencies are installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "install-deps: need root to install:$missing" >&2
        exit 1
    fi
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
