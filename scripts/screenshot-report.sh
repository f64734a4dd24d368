#!/usr/bin/env bash
# Render an HTML report to a PNG with headless chromium, for people to look at:
#   scripts/screenshot-report.sh report.html [out.png]
# Make the page first, e.g. `crm reports performance --out report.html`. Chinese text needs a CJK font
# (Debian: fonts-wqy-microhei or fonts-noto-cjk); without one the characters show as boxes.
set -euo pipefail
html="${1:?usage: scripts/screenshot-report.sh REPORT.html [OUT.png]}"
png="${2:-${html%.*}.png}"
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
  echo "chromium is not installed: apt-get install -y chromium" >&2
  exit 1
fi
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "warning: no CJK font installed (apt-get install -y fonts-wqy-microhei); Chinese will show as boxes" >&2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
out="$(cd "$(dirname "$png")" && pwd)/$(basename "$png")"
"$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1200,900 --screenshot="$out" "file://$abs" 2>/dev/null
echo "$out"
