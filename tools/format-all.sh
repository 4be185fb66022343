#!/usr/bin/env bash
# Formats every file `npm run check` covers (biome.json: src, test, bench, tools, bin, the root's
# .ts and .json) and then runs that check, the first step of `npm test`.
#
# Run it once, after every branch that was open when the formatter came in has been merged: run
# earlier, it turns each of those branches' edits into conflicts with nearly every line around them.
# Layout only: the formatter keeps the syntax tree, so `--commit` makes a commit with nothing but
# the reformat and lists it in .git-blame-ignore-revs, which `git blame` and GitHub then skip.
#
#   tools/format-all.sh            format, check, show what changed (nothing committed)
#   tools/format-all.sh --commit   the same, then commit the reformat and the blame-ignore entry
set -euo pipefail
cd "$(dirname "$0")/.."

commit=false
case "${1:-}" in
  --commit) commit=true ;;
  '') ;;
  *) echo "usage: tools/format-all.sh [--commit]" >&2; exit 2 ;;
esac

biome=node_modules/.bin/biome
[ -x "$biome" ] || { echo "no $biome: run npm ci first" >&2; exit 1; }
if $commit && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "the work tree has uncommitted changes: commit or stash them, so that the reformat commit holds only the reformat" >&2
  exit 1
fi

# Until nothing changes: Biome 2.6.9 lays a few method chains out differently once the object passed
# inside them has been broken over lines (src/ingest/app.ts, src/cycle/holidays.ts,
# src/workers/normalize/persist.ts on 2026-12-06), which the second pass settles.
for pass in 1 2 3 4; do
  "$biome" format --max-diagnostics=0 >/dev/null 2>&1 && break
  echo "format pass $pass"
  "$biome" format --write --max-diagnostics=0 >/dev/null 2>&1 || true
done
echo "reformatted: $(git diff --shortstat)"

# Lint findings are not layout, so they are not fixed here: a file merged with a new finding stops
# the check below with its file and line. `npx biome lint --write` applies the fixes Biome calls
# safe (review them); the rest want a hand, or a `// biome-ignore <rule>: <reason>` when meant.
if ! "$biome" ci --error-on-warnings --max-diagnostics=50; then
  echo "format-all: the files are formatted, but the check still fails on the lint findings above" >&2
  exit 1
fi

if $commit; then
  author=(-c "user.name=$(git config user.name || echo tonghop)" -c "user.email=$(git config user.email || echo dev@tonghop.local)")
  git "${author[@]}" commit -q -a -m "Formatted by Biome (tools/format-all.sh): layout only, no change to the syntax tree"
  printf '# %s\n%s\n' "Formatted by Biome (tools/format-all.sh)" "$(git rev-parse HEAD)" >> .git-blame-ignore-revs
  git add .git-blame-ignore-revs
  git "${author[@]}" commit -q -m "git blame skips the Biome reformat (.git-blame-ignore-revs)"
  git log --oneline -2
fi
