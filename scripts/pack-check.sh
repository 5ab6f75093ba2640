#!/usr/bin/env bash
# The package as a stranger meets it: `npm pack`, the tarball's contents, publint and attw, then on Node 20
# and on Node 24 a fresh project that installs the tarball with the README's command and uses it: every
# subpath with import and require(), a consumer typechecked under nodenext and bundler, a thrown error's
# stack mapped to shipped source text, `npx ratelimit-contract mock` + `verify`, and the README's nock and
# vitest examples run by the project's own vitest. Everything lives in one /tmp directory, removed at exit,
# and the mock is stopped as the README says (its own process group, signalled as a group).
# Usage: bash scripts/pack-check.sh   (npm run pack-check; .ci/run runs it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/scripts/pack-check"
step() { printf '== [%3ss] %s\n' "$(($(date +%s) - PACK_CHECK_T0))" "$*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# track <label>: one fresh project on the node first on PATH; run by the main part below, in its own session.
track() {
  local label=$1
  local project="$PACK_CHECK_WORK/$label"
  mock_pgid=""
  # shellcheck disable=SC2317 # called by the trap
  stop_mock() { if [ -n "$mock_pgid" ]; then kill -TERM -- "-$mock_pgid" 2>/dev/null; fi; return 0; }
  trap stop_mock EXIT
  mkdir "$project"
  cd "$project"
  npm init -y >/dev/null

  step "$label: node $(node --version), npm install --save-dev <tarball> nock vitest, then <tarball> msw vitest (the README's commands)"
  npm install --save-dev "$PACK_CHECK_TARBALL" nock vitest --no-audit --no-fund >install.log 2>&1 || {
    cat install.log
    fail "$label: the documented install failed"
  }
  if grep -E 'install-scripts|EBADENGINE' install.log; then fail "$label: the install warned about install scripts or engines"; fi
  # MSW users install with the README's "With MSW" command; the msw subpath and example need it.
  npm install --save-dev "$PACK_CHECK_TARBALL" msw vitest --no-audit --no-fund >install-msw.log 2>&1 || {
    cat install-msw.log
    fail "$label: the documented MSW install failed"
  }
  if grep -E 'EBADENGINE' install-msw.log; then fail "$label: the MSW install warned about engines"; fi
  echo "installed: $(npm ls --depth 0 --parseable --long nock vitest msw | sed 's#.*:##' | tr '\n' ' ')"

  step "$label: every subpath with import and require()"
  cp "$here/import-every-subpath.mjs" "$here/stack-maps-to-source.mjs" "$here/consumer.mts" "$here"/tsconfig.*.json .
  node import-every-subpath.mjs | sed 's/^/  /'

  step "$label: a consumer typechecks under nodenext and bundler"
  # typescript and @types/node are installed once, in the folder above both projects, where both resolve them.
  local tsc="$PACK_CHECK_WORK/node_modules/typescript/bin/tsc"
  node "$tsc" -p tsconfig.nodenext.json
  node "$tsc" -p tsconfig.bundler.json
  echo "typescript $(node "$tsc" --version | sed 's/Version //'), @types/node $(node -p 'require("@types/node/package.json").version'): nodenext and bundler clean (skipLibCheck off)"

  step "$label: a thrown error's stack maps to shipped source text"
  node --enable-source-maps stack-maps-to-source.mjs

  step "$label: npx ratelimit-contract mock, then verify against it"
  # The README's CI recipe: npx runs the bin under npm and a shell that do not pass signals on, so the mock
  # gets its own process group, which is signalled as a whole.
  setsid npx ratelimit-contract mock --profile reconlayer --port 0 --quiet --control --ready-file mock-url >mock.log 2>&1 &
  mock_pgid=$!
  echo "$mock_pgid" >"$PACK_CHECK_WORK/$label.mock-pgid"
  for _ in $(seq 1 300); do
    [ -s mock-url ] && break
    kill -0 "$mock_pgid" 2>/dev/null || break
    sleep 0.1
  done
  [ -s mock-url ] || {
    cat mock.log
    fail "$label: the mock did not write its ready file"
  }
  local url
  url=$(cat mock-url)
  [ "$(cat mock.log)" = "listening $url" ] || fail "$label: --quiet printed more than the ready line: $(cat mock.log)"
  npx ratelimit-contract verify --profile reconlayer --target "$url" >verify.log 2>&1 || {
    cat verify.log
    fail "$label: verify failed against the mock"
  }
  grep -E 'passed' verify.log | tail -1 | sed 's/^/  /'
  kill -TERM -- "-$mock_pgid"
  wait "$mock_pgid" 2>/dev/null || true
  # Forget the group at once: a stale id must never be signalled later (ids are reused).
  mock_pgid=""
  rm -f "$PACK_CHECK_WORK/$label.mock-pgid"
  if curl -s -o /dev/null --max-time 2 "$url/health"; then fail "$label: the mock still answers after its group was signalled"; fi
  [ ! -e mock-url ] || fail "$label: the mock left its ready file behind"
  echo "stopped: $url refuses connections, the ready file is gone"

  step "$label: the README's examples (nock client tests, vitest conformance) under the project's vitest"
  mkdir test
  cp node_modules/ratelimit-contract/mocks/examples/*.test.ts test/
  npx vitest run --reporter=dot >vitest.log 2>&1 || {
    cat vitest.log
    fail "$label: the examples failed"
  }
  grep -E 'Test Files|Tests ' vitest.log | sed 's/\x1b\[[0-9;]*m//g; s/^ */  /'
}

if [ "${1:-}" = --track ]; then
  track "$2"
  exit 0
fi

export PACK_CHECK_T0 PACK_CHECK_WORK PACK_CHECK_TARBALL
PACK_CHECK_T0=$(date +%s)
PACK_CHECK_WORK=$(mktemp -d /tmp/rlc-pack-check.XXXXXX)
work=$PACK_CHECK_WORK
tracks=()
cleanup() {
  set +e
  for file in "$work"/*.mock-pgid; do [ -f "$file" ] && kill -TERM -- "-$(cat "$file")" 2>/dev/null; done
  for pid in "${tracks[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  wait
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The latest typescript and @types/node, as a stranger gets them, shared by both projects (one install, not two).
(cd "$work" && npm init -y >/dev/null && npm install --save-dev typescript @types/node --no-audit --no-fund >typescript.log 2>&1) &
typescript_install=$!

step "npm pack (prepack builds dist/)"
PACK_CHECK_TARBALL="$work/$(cd "$root" && npm pack --pack-destination "$work" --silent 2>/dev/null | tail -1)"
[ -f "$PACK_CHECK_TARBALL" ] || fail "npm pack wrote no tarball"
mkdir "$work/unpacked" && tar -xzf "$PACK_CHECK_TARBALL" -C "$work/unpacked"
echo "$(basename "$PACK_CHECK_TARBALL"): $(($(stat -c %s "$PACK_CHECK_TARBALL") / 1024)) KiB packed"

# Node 24 from the registry, as CI gets it (`npx -y -p node@24 -- …`): its bin folder goes first on PATH.
node24_bin=$(npx -y -p node@24 -- sh -c 'dirname "$(command -v node)"')
wait "$typescript_install" || {
  cat "$work/typescript.log"
  fail "installing typescript failed"
}
step "Node 20 and Node 24 projects, in parallel (their output follows when both are done)"
setsid bash "$0" --track node20 >"$work/node20.out" 2>&1 &
tracks+=($!)
PATH="$node24_bin:$PATH" setsid bash "$0" --track node24 >"$work/node24.out" 2>&1 &
tracks+=($!)

step "tarball contents"
node "$here/check-tarball.mjs" "$work/unpacked/package"

step "publint --strict"
"$root/node_modules/.bin/publint" run "$PACK_CHECK_TARBALL" --strict | tail -1

step "attw --profile esm-only (the YAML specs are data files, not modules: excluded)"
"$root/node_modules/.bin/attw" "$PACK_CHECK_TARBALL" --profile esm-only --exclude-entrypoints ./openapi/reconlayer.yaml ./openapi/authmatech.yaml --format ascii >"$work/attw.txt" ||
  {
    cat "$work/attw.txt"
    fail "attw found problems"
  }
echo "no problems"

failed=0
for label in node20 node24; do
  code=0
  wait "${tracks[0]}" || code=$?
  tracks=("${tracks[@]:1}")
  cat "$work/$label.out"
  [ "$code" = 0 ] || failed=1
done
[ "$failed" = 0 ] || fail "a project failed (above)"
step "OK: the tarball installs and works on Node 20 and on Node 24"
