import { sha256Hex } from '../hash.js';

/**
 * The pre-commit hook aibos writes. Its second line is a marker carrying a hash of the rest, so
 * aibos can tell its own, untouched hook from a hook someone else wrote or edited — and never
 * overwrite or delete those.
 */
export const MARKER_PREFIX = '# aibos-hook: v1 sha256=';

export interface HookSettings {
  /** Absolute path of this installation's `bin/aibos.js`. */
  binPath: string;
  /** The aibos project folder relative to the top of the repository ('' for the top itself), `/`-separated. */
  projectDir: string;
}

/** Single-quoted for sh: the only character to escape is the quote itself. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function body({ binPath, projectDir }: HookSettings): string {
  return [
    '# Written by `aibos hook install`; `aibos hook uninstall` removes it. Edit it and aibos will leave it alone.',
    '# Lints the migrations staged for this commit (`aibos lint --staged`) and refuses the commit on failing',
    '# findings. Skip it once with `git commit --no-verify`.',
    `aibos_bin=${shQuote(binPath)}`,
    `aibos_project=${shQuote(projectDir || '.')}`,
    '',
    '# git runs hooks from the top of the working tree and may name the index relative to it;',
    '# pin it before changing folder so `lint --staged` reads the index this commit is built from.',
    'case "${GIT_INDEX_FILE:-}" in',
    "  ''|/*) ;;",
    '  *) GIT_INDEX_FILE="$(pwd)/$GIT_INDEX_FILE"; export GIT_INDEX_FILE ;;',
    'esac',
    'cd "$aibos_project" || exit 2',
    '',
    '# The aibos that installed this hook, by absolute path: works where aibos is not a dependency.',
    'if [ -f "$aibos_bin" ] && command -v node >/dev/null 2>&1; then',
    '  exec node "$aibos_bin" lint --staged',
    'fi',
    '# That installation is gone: use the project\'s own aibos, if it has one (never downloads).',
    'if command -v npx >/dev/null 2>&1; then',
    '  exec npx --no-install aibos lint --staged',
    'fi',
    'echo "aibos pre-commit hook: cannot run aibos — $aibos_bin is gone and npx is not on PATH; reinstall aibos and run \\`aibos hook install\\` again, or skip once with \\`git commit --no-verify\\`." >&2',
    'exit 2',
    '',
  ].join('\n');
}

function hashOf(text: string): string {
  return sha256Hex(text);
}

export function renderHook(settings: HookSettings): string {
  const rest = body(settings);
  return `#!/bin/sh\n${MARKER_PREFIX}${hashOf(rest)}\n${rest}`;
}

export type HookOwnership = 'aibos' | 'aibos-edited' | 'foreign';

/** Whose hook is this: aibos's untouched, aibos's but edited since, or someone else's. */
export function ownershipOf(content: string): HookOwnership {
  const lines = content.replace(/\r\n/g, '\n').split('\n');
  const at = lines.findIndex((l) => l.startsWith(MARKER_PREFIX));
  if (at !== 1) return at === -1 ? 'foreign' : 'aibos-edited';
  const recorded = lines[at]!.slice(MARKER_PREFIX.length).trim();
  const rest = lines.slice(at + 1).join('\n');
  return lines[0] === '#!/bin/sh' && recorded === hashOf(rest) ? 'aibos' : 'aibos-edited';
}
