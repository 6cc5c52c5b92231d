#!/usr/bin/env bash
# Benchmark of page history on a generated wiki (issue: versions from git).
#   bench/history.sh [pages] [commits] [rounds]
# Measures, side by side and alternating:
#   - reading the history in process (twn check --timings, history cache
#     removed) against `git log --no-merges -M --name-status`;
#   - a warm rebuild with history (every old version cached) against a
#     build of the same pages without history.
set -euo pipefail
pages=${1:-10000}
commits=${2:-20000}
rounds=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=${TWN_BENCH_DIR:-/tmp/twn-bench}
history_site=$work/history-$pages-$commits
plain_site=$work/plain-$pages
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bins
twn=$here/target/release/twn
if [ ! -d "$history_site" ]; then
  mkdir -p "$work"
  "$here/target/release/twn-corpus" "$history_site" "$pages" --commits "$commits"
fi
rm -rf "$plain_site" && mkdir -p "$plain_site"
cp -r "$history_site/content" "$history_site/themes" "$history_site/twn.yaml" "$plain_site/"

seconds() { local start=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }
history_read() {
  rm -f "$history_site/.twn-cache/geschiedenis.json"
  "$twn" --root "$history_site" check --timings 2>&1 | awk '/git-geschiedenis lezen/ {print $(NF-1)}'
}

echo "warming up (first builds fill the caches)…"
"$twn" --root "$history_site" build >/dev/null 2>&1
"$twn" --root "$history_site" build >/dev/null 2>&1
"$twn" --root "$plain_site" build >/dev/null 2>&1
printf '%-6s %12s %12s %12s %14s %14s\n' ronde "git log" "twn leest" verhouding "zonder gesch." "met gesch."
for round in $(seq 1 "$rounds"); do
  git_log=$(cd "$history_site" && seconds git log --no-merges -M --name-status)
  read_time=$(history_read)
  "$twn" --root "$history_site" build >/dev/null 2>&1  # refill the history cache
  plain=$(seconds "$twn" --root "$plain_site" build)
  with_history=$(seconds "$twn" --root "$history_site" build)
  printf '%-6s %11.2fs %11.2fs %11.2fx %13.2fs %13.2fs (%.2fx)\n' "$round" "$git_log" "$read_time" \
    "$(ratio "$read_time" "$git_log")" "$plain" "$with_history" "$(ratio "$with_history" "$plain")"
done
