#!/usr/bin/env bash
# Installs notelint for the GitHub Action: downloads the release binary built for this runner
# (by .github/workflows/release.yml), verifies its SHA-256 checksum, and falls back to
# `cargo install` from the action's own source when there is no such release, the download
# fails or the checksum does not match.
#
# usage: scripts/action-install.sh ROOT        installs ROOT/bin/notelint (notelint.exe on Windows)
#
# Environment (all optional):
#   NOTELINT_VERSION       the release to fetch (default: the version in the action's Cargo.toml)
#   NOTELINT_RELEASE_URL   where the release files are (default: the action repository's
#                          GitHub release v$NOTELINT_VERSION)
#   NOTELINT_FALLBACK      "cargo" (default) builds from source when the download fails; "none"
#                          fails instead (for tests and for pipelines that must not build)
#   RUNNER_OS, RUNNER_ARCH set by GitHub: Linux/macOS/Windows, X64/ARM64
set -euo pipefail

root=${1:?usage: action-install.sh ROOT}
source_dir=$(cd "$(dirname "$0")/.." && pwd)

note() { echo "notelint install: $*" >&2; }

fallback() {
  note "$1"
  if [ "${NOTELINT_FALLBACK:-cargo}" = none ]; then
    note "no fallback allowed (NOTELINT_FALLBACK=none)"
    exit 1
  fi
  note "building from source with cargo install instead"
  cargo install --locked --path "$source_dir" --root "$root"
  exit 0
}

case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-musl ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fallback "no release binary for ${RUNNER_OS:-$(uname -s)} ${RUNNER_ARCH:-$(uname -m)}" ;;
esac

version=${NOTELINT_VERSION:-$(sed -n 's/^version = "\(.*\)"/\1/p' "$source_dir/Cargo.toml" | head -n 1)}
repository=${GITHUB_ACTION_REPOSITORY:-notelint/notelint}
base=${NOTELINT_RELEASE_URL:-https://github.com/$repository/releases/download/v$version}
archive=notelint-$target.tar.gz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

download() {
  curl --fail --silent --show-error --location --retry 3 --proto '=https,http' \
    --output "$work/$1" "$base/$1"
}
download "$archive" || fallback "could not download $base/$archive"
download "$archive.sha256" || fallback "could not download $base/$archive.sha256"

expected=$(cut -d ' ' -f 1 <"$work/$archive.sha256")
if command -v sha256sum >/dev/null; then
  actual=$(sha256sum "$work/$archive" | cut -d ' ' -f 1)
else
  actual=$(shasum -a 256 "$work/$archive" | cut -d ' ' -f 1)
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  fallback "checksum mismatch for $archive (expected ${expected:-nothing}, got $actual)"
fi

mkdir -p "$work/unpacked" "$root/bin"
tar -xzf "$work/$archive" -C "$work/unpacked" || fallback "could not unpack $archive"
binary=notelint
[ "$target" = x86_64-pc-windows-msvc ] && binary=notelint.exe
[ -f "$work/unpacked/$binary" ] || fallback "$archive holds no $binary"
install -m 755 "$work/unpacked/$binary" "$root/bin/$binary"
note "installed notelint $version ($target) from $base, checksum verified"
