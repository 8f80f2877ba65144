import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The aibos package's own folder (works from `src/` under vitest and from `dist/src/`). */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'schema'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('aibos: cannot find its own package folder');
    dir = parent;
  }
  root = dir;
  return dir;
}

export const VERSION = '0.1.0';
