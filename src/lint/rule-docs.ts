import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot, VERSION } from '../paths.js';
import type { RuleDoc } from '../report/types.js';
import type { Rule } from './types.js';

/**
 * Where a published rule page can be read: the package's own `rules/<id>.md` as the registry
 * serves it, pinned to this version so the link matches the behaviour that produced the finding.
 */
export function ruleDocUri(id: string): string {
  return `https://unpkg.com/aibos@${VERSION}/rules/${id}.md`;
}

/** The docs of the given rules that ship with aibos (plugin rules without a page are left out). */
export function loadRuleDocs(rules: Pick<Rule, 'meta'>[]): Map<string, RuleDoc> {
  const docs = new Map<string, RuleDoc>();
  for (const { meta } of rules) {
    try {
      const markdown = readFileSync(path.join(packageRoot(), 'rules', `${meta.id}.md`), 'utf8');
      docs.set(meta.id, { markdown, uri: ruleDocUri(meta.id) });
    } catch {
      // No page: the formatter falls back to the rule's summary.
    }
  }
  return docs;
}
