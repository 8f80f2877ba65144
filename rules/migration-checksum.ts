import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'migration-checksum',
    level: 'block',
    category: 'governance',
    summary: 'aibos.sum missing or out of date; with --base REF, an existing migration edited, renamed or deleted.',
  },
  create(context) {
    return {
      'run:end'() {
        const dir = context.migrationDir;
        if (dir) {
          const sumPath = `${dir.relPath}/aibos.sum`;
          if (!dir.sum) {
            if (dir.files.length)
              context.report({ file: sumPath, message: `${sumPath} is missing`, help: 'run `aibos sum` and commit the file: it pins every migration and makes two branches adding the same number conflict in git' });
          } else {
            const listed = new Map(dir.sum.entries.map((e) => [e.name, e.checksum]));
            const stale: string[] = [];
            for (const file of dir.files) {
              const checksum = listed.get(file.name);
              if (checksum === file.checksum) continue;
              stale.push(file.name);
              // With --base, a file that did not exist at the ref is new on this branch: only the sum is behind.
              const newSinceBase = context.base !== undefined && !context.base.files.has(file.relPath);
              context.report({
                file,
                message: !checksum
                  ? `${file.name} is not listed in aibos.sum — run \`aibos sum\``
                  : newSinceBase
                    ? `${file.name} changed since aibos.sum was written; it is new since ${context.base!.ref}, so run \`aibos sum\``
                    : `${file.name} changed since aibos.sum was written (sum ${checksum.slice(0, 12)}..., file ${file.checksum.slice(0, 12)}...) — run \`aibos sum\` if it is unapplied, revert the edit if not`,
                help: checksum ? 'if the file is new and unapplied, run `aibos sum`; an applied migration must never change: revert it and add a new migration instead' : 'run `aibos sum` and commit aibos.sum with the new file',
              });
            }
            const present = new Set(dir.files.map((f) => f.name));
            for (const name of listed.keys()) {
              if (present.has(name)) continue;
              stale.push(name);
              context.report({ file: sumPath, message: `aibos.sum lists ${name}, which is not in ${dir.relPath} — restore it, or run \`aibos sum\` if it was never applied`, help: 'restore the file if it was applied anywhere; otherwise run `aibos sum`' });
            }
            if (!stale.length && !dir.sum.headerOk)
              context.report({ file: sumPath, message: `${sumPath} was edited by hand (its first line does not hash the list) — run \`aibos sum\``, help: 'run `aibos sum` to rewrite it' });
          }
        }
        const base = context.base;
        if (!base) return;
        const now = new Map(context.migrations.files.map((f) => [f.relPath, f]));
        const byChecksum = new Map(context.migrations.files.map((f) => [f.checksum, f]));
        for (const [relPath, old] of base.files) {
          const file = now.get(relPath);
          if (file) {
            if (file.checksum !== old.checksum)
              context.report({
                file,
                message: `${file.name} existed at ${base.ref} and was edited (was ${old.checksum.slice(0, 12)}..., now ${file.checksum.slice(0, 12)}...)`,
                help: `migrations are append-only: revert the edit (\`git checkout ${base.ref} -- ${relPath}\`) and put the change in a new migration`,
              });
            continue;
          }
          const moved = byChecksum.get(old.checksum);
          if (moved && !base.files.has(moved.relPath))
            context.report({ file: moved, message: `${moved.name} is ${old.name} renamed since ${base.ref}`, help: `applied migrations are recorded by name: rename it back to ${old.name}` });
          else
            context.report({
              file: relPath,
              message: `${relPath} existed at ${base.ref} and was deleted`,
              help: `restore it (\`git checkout ${base.ref} -- ${relPath}\`); undo a migration with a new one, never by deleting history`,
            });
        }
      },
    };
  },
});
