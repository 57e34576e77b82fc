#!/usr/bin/env bash
# The main job on the bundled example workspace, with a throwaway Taskwarrior database:
# set up (packages, npm, build), sync, change both sides, sync again, and open Neovim on it
# when there is a terminal (headless otherwise: the same syncs, printed).
# Your ~/.task, ~/.taskrc and Neovim config are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

need=()
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v task >/dev/null 2>&1 || need+=(taskwarrior)
command -v git >/dev/null 2>&1 || need+=(git)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Please install: ${need[*]} (Debian: sudo apt-get install ${need[*]})" >&2
    exit 2
  fi
fi
if [ ! -d node_modules ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi
if [ ! -f dist/cli.cjs ] || [ ! -f dist/host.cjs ] || [ -n "$(find parser graph sync rplugin cli index.ts -newer dist/cli.cjs -name '*.ts' 2>/dev/null | head -n 1)" ]; then
  echo "== building"
  node scripts/build.mjs --no-types
fi

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/planager-example.XXXXXX")
mkdir -p "$sandbox/taskdata"
printf 'data.location=%s\nconfirmation=off\n' "$sandbox/taskdata" > "$sandbox/taskrc"
export TASKRC="$sandbox/taskrc" TASKDATA="$sandbox/taskdata"
ws="$sandbox/workspace"
cp -r examples/workspace "$ws"
planager() { node "$repo/dist/cli.cjs" "$@"; }
t() { task rc.verbose=nothing rc.confirmation=off "$@"; }

echo "== a throwaway Taskwarrior in $sandbox (TASKRC and TASKDATA point there)"
echo "== the tasks written in the notes"
planager tasks "$ws/work.norg"
echo
echo "== first sync: every task goes to Taskwarrior; the notes only gain id comments"
planager sync --workspace "$ws"
t rc.report.next.columns=id,project,priority,due,description rc.report.next.labels=ID,Project,Pri,Due,Description next 2>/dev/null || true
echo
echo "== outside Planager: finish 'Write the changelog', add a task to project home.Garden"
uuid=$(t 'description:Write the changelog' _uuids | head -n 1)
t "$uuid" done >/dev/null
t add 'Water the seedlings' project:home.Garden priority:H >/dev/null
echo "== in the notes: tick 'Buy nails' and 'Borrow a hammer'"
sed -i 's/-- ( ) Buy nails/-- (x) Buy nails/; s/-- ( ) Borrow a hammer/-- (x) Borrow a hammer/' "$ws/home.norg"
echo "== second sync: both sides meet; parents follow their children"
planager sync --workspace "$ws"
echo
echo "-- home.norg now:"
sed 's/ %#[0-9a-f]*%//' "$ws/home.norg"
echo "-- work.norg, the release:"
sed -n '/Planager release/,/Record/p' "$ws/work.norg" | sed 's/ %#[0-9a-f]*%//'
echo
echo "== a third sync changes nothing and starts no task process:"
planager sync --workspace "$ws"
echo "== the git backup of notes and tasks:"
planager backups --workspace "$ws"

if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
  cat > "$sandbox/init.lua" <<LUA
vim.opt.runtimepath:prepend('$repo')
require('planager').setup({ workspaces = { '$ws' } })
vim.o.statusline = '%f %m%=%{v:lua.require("planager").statusline()} '
LUA
  echo
  echo "== opening Neovim on the example (your config is not loaded)."
  echo "   Try: tick a task and :w (it reaches Taskwarrior), :Planager history on a task,"
  echo "   or in another terminal: TASKRC=$TASKRC TASKDATA=$TASKDATA task <id> done, then :PlanagerSync"
  nvim -u "$sandbox/init.lua" -i NONE "$ws/work.norg"
  # The example is done once Neovim closes: nothing of it is worth keeping.
  rm -rf "$sandbox"
  echo "== removed $sandbox"
else
  echo
  echo "== no terminal: Neovim not opened. The same workspace in Neovim:"
  echo "   TASKRC=$TASKRC TASKDATA=$TASKDATA nvim --cmd 'set rtp^=$repo' -c \"lua require('planager').setup{workspaces={'$ws'}}\" $ws/work.norg"
  # Kept for that command; the temp folder is the only thing the example leaves behind.
  echo "   (the example's files stay in $sandbox for this; remove them with: rm -rf $sandbox)"
fi
