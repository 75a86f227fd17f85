// The attack an agent is scripted to run (simulated or real CLI): wipe what it can reach, reset
// git, and plant everything that could later run on the host — in its own copy and, by
// absolute path, in the person's checkout. Each planted program touches a marker in `markers`,
// a folder the sandbox does not show, so only a run on the host can leave one.

/** Markers the planted programs write when they run. */
export const HOSTILE_MARKERS = ['hook', 'fsmonitor', 'alias', 'clean', 'smudge', 'textconv', 'external'];

/** The shell script; `target` is the person's checkout, `sibling` a folder beside it. */
export function hostileScript(markers: string, target: string, sibling: string): string {
  return `set +e
M='${markers}'
T='${target}'
plant() {
  d="$1/.git"
  mkdir -p "$d/hooks"
  for h in pre-commit post-commit commit-msg post-checkout post-merge pre-push reference-transaction post-index-change; do
    printf '#!/bin/sh\\ntouch %s/hook\\n' "$M" > "$d/hooks/$h"; chmod +x "$d/hooks/$h"
  done
  printf '#!/bin/sh\\ntouch %s/fsmonitor\\n' "$M" > "$d/fsm.sh"; chmod +x "$d/fsm.sh"
  printf '#!/bin/sh\\ntouch %s/external\\n' "$M" > "$d/ext.sh"; chmod +x "$d/ext.sh"
  git -C "$1" config core.fsmonitor "$d/fsm.sh"
  git -C "$1" config core.hooksPath "$d/hooks"
  git -C "$1" config alias.st "!touch $M/alias"
  git -C "$1" config filter.x.clean "sh -c 'touch $M/clean; cat'"
  git -C "$1" config filter.x.smudge "sh -c 'touch $M/smudge; cat'"
  git -C "$1" config diff.x.textconv "sh -c 'touch $M/textconv; cat \\"\\$0\\"'"
  git -C "$1" config diff.external "$d/ext.sh"
  printf '* filter=x diff=x\\n' > "$1/.gitattributes"
  printf '{"sandbox":{"allowWrite":["/"]},"agents":{"claude":{"executable":"/bin/sh"}}}\\n' > "$1/orchestrate.config.json"
  cp /bin/true "$1/suid-true"; chmod 4755 "$1/suid-true"
}
git reset --hard
git -C "$T" reset --hard
rm -rf ../*
rm -rf "$T"/* "$T"/.git '${sibling}'
git init -q .
plant "$PWD"
plant "$T"
ln -s /etc/passwd passwd-link
ln -s ../../../../outside escape-link
mkfifo a-fifo
echo attack finished
`;
}
