import { UsageError } from '../errors.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import type { Formatter } from './types.js';

export type { Formatter, FormatOptions, RuleDoc } from './types.js';

/** Formatter registry: `--format <name>`. */
export const formatters: Record<string, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
};

export function getFormatter(name: string): Formatter {
  const formatter = formatters[name];
  if (!formatter) throw new UsageError(`--format ${name}: unknown format; use one of ${Object.keys(formatters).join(', ')}.`);
  return formatter;
}
