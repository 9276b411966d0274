#!/usr/bin/env bash
# Differential test of luahttp's pure-Lua modules (lua/) against LuaSocket 3.1.0.
# Each test/lua-modules/*.lua runs twice under native lua5.4: once on the system LuaSocket
# (/usr/share/lua/5.4 + the C cores), once with LUA_PATH pointing only at our lua/ folder
# (the C socket.core stays, our Lua files shadow the rest, and our mime/core.lua wins over
# the C mime.core because Lua's file searcher runs before the C one). The outputs must be
# identical. Usage: test/lua-modules/run.sh [name-filter]   (LUA=... to pick the binary)
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
lua=${LUA:-lua5.4}
sys=/usr/share/lua/5.4
filter=${1:-}
unset LUA_PATH_5_4 LUA_INIT LUA_INIT_5_4 LUA_CPATH_5_4

if ! command -v "$lua" >/dev/null; then echo "run.sh: $lua not found" >&2; exit 2; fi
if [ ! -f "$sys/ltn12.lua" ]; then echo "run.sh: LuaSocket not installed in $sys" >&2; exit 2; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
total=0
for test in "$here"/*.lua; do
  name=$(basename "$test" .lua)
  if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then continue; fi
  (cd "$here" && LUAMOD_IMPL=system LUAMOD_ROOT="$root" \
    LUA_PATH="$here/lib/?.lua;$sys/?.lua;$sys/?/init.lua" \
    "$lua" "$test" >"$work/$name.system" 2>&1)
  sys_rc=$?
  (cd "$here" && LUAMOD_IMPL=ours LUAMOD_ROOT="$root" \
    LUA_PATH="$here/lib/?.lua;$root/lua/?.lua;$root/lua/?/init.lua" \
    "$lua" "$test" >"$work/$name.ours" 2>&1)
  ours_rc=$?
  cases=$(sed -n 's/^CASES //p' "$work/$name.system" | tail -n 1)
  if [ "$sys_rc" -ne 0 ] || [ "$ours_rc" -ne 0 ]; then
    echo "FAIL $name: exit status system=$sys_rc ours=$ours_rc"
    tail -n 5 "$work/$name.system" "$work/$name.ours" | sed 's/^/    /'
    failed=1
  elif ! diff -u "$work/$name.system" "$work/$name.ours" >"$work/$name.diff"; then
    echo "FAIL $name: outputs differ ($(grep -c '^[-+][^-+]' "$work/$name.diff") lines)"
    head -n 40 "$work/$name.diff" | cut -c1-300 | sed "s/^/    /"
    failed=1
  else
    echo "ok   $name: ${cases:-?} cases identical"
    total=$((total + ${cases:-0}))
  fi
done
echo "total identical cases: $total"
exit $failed
