#!/usr/bin/env bash
# setup.sh: from a fresh Debian 12 machine to a real comparison. Installs the Debian packages (idempotent),
# builds everything (Release) into build/, provisions the benchmark environments, then runs the main job.
#   ./setup.sh               everything, then `pyston-bench compare python3.8 pyston` (default benchmarks)
#   ./setup.sh --no-compare  everything but the comparison (CI uses this before ./run-tests.sh)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
compare=1
for arg in "$@"; do
  case "$arg" in
    --no-compare) compare=0 ;;
    *) echo "usage: ./setup.sh [--no-compare]" >&2; exit 2 ;;
  esac
done
step() { printf '\n== %s\n' "$*"; }

step "Debian packages"
mapfile -t packages < <(grep -v -E '^\s*(#|$)' scripts/packages.txt)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all ${#packages[@]} packages present"
fi

step "CPython 3.8 (the JIT's host and the baseline)"
py38=""
# pyenv's shims are skipped: they answer for whichever version is selected, not necessarily 3.8.
for candidate in $(type -ap python3.8 | grep -v /shims/) "${PYENV_ROOT:-/root/.pyenv}"/versions/3.8*/bin/python3.8; do
  if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 8)' 2>/dev/null; then
    py38=$candidate
    break
  fi
done
if [ -z "$py38" ]; then
  echo "error: python3.8 not found on PATH or in /root/.pyenv/versions/3.8*/bin" >&2
  echo "hint: install CPython 3.8 with shared libpython (e.g. pyenv: PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install 3.8.18)" >&2
  exit 2
fi
echo "$py38 ($("$py38" -c 'import platform; print(platform.python_version())'))"

step "Build (Release) into build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPB_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
ls build/bin

step "Benchmark environments"
interpreters=(python3.8 pyston)
build/bin/pyston-bench provision "${interpreters[@]}"

if [ $compare -eq 1 ]; then
  step "pyston-bench compare ${interpreters[*]}"
  build/bin/pyston-bench compare "${interpreters[@]}"
fi
