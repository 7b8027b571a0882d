#!/usr/bin/env bash
# Installs the `openstack` CLI (python-openstackclient with the Octavia plugin, and openstacksdk for the
# documented Python one-liners) from Debian's packages, for the tests that drive the simulated OpenStack with
# the real client (tests/sim/openstack/). Idempotent: nothing to do when `openstack` is on PATH and has the
# `loadbalancer` commands.
#
#   bash scripts/install-openstack-cli.sh          # install if missing
#   OPENSTACK_CLI_SKIP=1 bash scripts/install-openstack-cli.sh   # do nothing (the CLI tests then fail, naming this script)
#
# Measured on a fresh Debian 12 machine (2 cores): see the figure printed at the end of a run.
set -euo pipefail

if [[ "${OPENSTACK_CLI_SKIP:-}" == "1" ]]; then
  echo "install-openstack-cli: skipped (OPENSTACK_CLI_SKIP=1)"
  exit 0
fi

# The Octavia plugin is a separate package: `openstack` alone is not enough for `loadbalancer list`. Check with
# the interpreter the `openstack` script runs under (the python3 on PATH may be another one, e.g. pyenv's).
have_cli() {
  local bin interp
  bin=$(command -v openstack 2>/dev/null) || return 1
  interp=$(head -1 "$bin" | sed -n 's/^#! *//p' | cut -d' ' -f1)
  [[ -n "$interp" ]] || return 0
  "$interp" -c 'import octaviaclient, openstack' >/dev/null 2>&1
}

if have_cli; then
  echo "install-openstack-cli: openstack is already installed ($(command -v openstack))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-openstack-cli: apt-get not found; install python3-openstackclient, python3-octaviaclient and" \
    "python3-openstacksdk (or pip install python-openstackclient python-octaviaclient openstacksdk) by hand" >&2
  exit 1
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-openstack-cli: not root and no sudo; run this script as root" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
  python3-openstackclient python3-octaviaclient python3-openstacksdk python3-neutronclient >/dev/null
end=$(date +%s)

if ! command -v openstack >/dev/null 2>&1; then
  echo "install-openstack-cli: the packages installed but openstack is not on PATH" >&2
  exit 1
fi
echo "install-openstack-cli: installed $(openstack --version 2>&1) in $((end - start)) s"
