#!/usr/bin/env bash
# Installs the Debian packages gongkai needs (listed in the files given, default deploy/apt-packages.txt) when they are missing.
# Runs apt-get as root, or through sudo when available.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ $# -gt 0 ] || set -- deploy/apt-packages.txt
for list in "$@"; do
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="$(echo "$pkg" | xargs)"
    [ -z "$pkg" ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < "$list"
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "正在安装系统软件包 / installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "需要 root 权限安装: ${missing[*]} / run as root or install them by hand" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
