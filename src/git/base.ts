import path from 'node:path';
import type { BaseSnapshot } from '../lint/types.js';
import { checksumOf, isSqlFileName, toRelPath } from '../migrations/files.js';
import { fromGitPath, git, readBlobs, resolveCommit, splitNul, toPathspec, type GitRepo } from './repo.js';

/**
 * The migration files under `targets` as they were at `ref` (relative path -> checksum and name),
 * for `migration-checksum` to report every one edited, renamed or deleted since.
 */
export async function readBaseSnapshot(repo: GitRepo, ref: string, targets: string[]): Promise<BaseSnapshot & { commit: string }> {
  const commit = await resolveCommit(repo, ref, '--base');
  const records = splitNul(await git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...targets.map((t) => toPathspec(repo, t))]));
  const blobs: { object: string; abs: string }[] = [];
  for (const record of records) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (m && isSqlFileName(m[2]!)) blobs.push({ object: m[1]!, abs: fromGitPath(repo, m[2]!) });
  }
  const texts = await readBlobs(repo, blobs.map((b) => b.object));
  const files: BaseSnapshot['files'] = new Map();
  blobs.forEach((b, i) => files.set(toRelPath(b.abs, repo.cwd), { checksum: checksumOf(texts[i]!), name: path.basename(b.abs) }));
  return { ref, commit, files };
}
