#!/usr/bin/env bash
# Installs whichever of the given Debian packages are missing.
# As root: apt-get update && apt-get install -y. Otherwise through sudo when it works without a
# password prompt on a non-interactive run, or prompting on a terminal; failing that, prints the
# exact command to run and exits non-zero.
set -euo pipefail

missing=()
for pkg in "$@"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

line="apt-get update && apt-get install -y ${missing[*]}"
echo "interp: installing system packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [[ -t 0 ]]; }; then
  sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "interp: missing system packages and no way to install them as this user. Run as root:" >&2
  echo "  $line" >&2
  exit 1
fi
