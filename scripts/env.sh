# Sourced by the scripts: tools installed by scripts/setup come first on PATH (wasm-opt from
# npm's binaryen before any other: Debian's binaryen 108 breaks release builds; see README.md).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# A step's title, with the seconds since the script started (where a long run spends its time).
step() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$*" "$SECONDS"; }
