import { configNames, displayKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogColumn, CatalogTable } from '../src/catalog/model.js';

interface Options {
  /** Array columns that are fine: `tags`, `documents.tags` or `finance.documents.tags`. */
  allowArrayColumns: string[];
}

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'character varying', 'citext']);
/** Text columns whose name says they hold a delimited list. */
const LIST_NAME = /(^|_)(list|csv|ids|tags)$|^tags$/;
/** `phone1`, `phone_2`, `address_line_3`: a base name and a small ordinal. */
const NUMBERED = /^(.*?[a-z])_?(\d{1,2})$/;
const MAX_ORDINAL = 20;

/**
 * A repeating group numbers its members in a run (`phone1, phone2`; `line_2, line_3`); names that merely
 * end in different numbers (`ipv4, ipv6`) are different attributes.
 */
function consecutive(members: CatalogColumn[]): boolean {
  const ordinals = [...new Set(members.map((c) => Number(NUMBERED.exec(c.name)![2])))].sort((a, b) => a - b);
  return ordinals.length >= 2 && ordinals[ordinals.length - 1]! - ordinals[0]! === ordinals.length - 1;
}

export default createRule<Options>({
  meta: {
    id: 'normal-form-1nf',
    level: 'shadow',
    category: 'governance',
    summary: 'Repeating groups (phone1, phone2…), array columns or comma-list text columns (*_list, tags text).',
    defaultOptions: { allowArrayColumns: [] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { allowArrayColumns: { type: 'array', items: { type: 'string' } } } },
  },
  create(context) {
    const allowed = configNames(context.options.allowArrayColumns);
    const isAllowed = (t: CatalogTable, c: string) => allowed.has(c) || allowed.has(`${t.name}.${c}`) || allowed.has(`${t.key}.${c}`);
    const mine = (c: CatalogColumn) => c.origin.file === context.file.relPath;
    return {
      'file:end'() {
        if (context.file.role !== 'up') return;
        for (const table of context.tablesTouchedInFile()) {
          // A partition repeats its parent's columns; the parent is checked.
          if (table.persistence === 'temp' || table.partitionOf) continue;
          const name = displayKey(table.key);
          const groups = new Map<string, CatalogColumn[]>();
          for (const column of table.columns.values()) {
            const m = NUMBERED.exec(column.name);
            if (m && Number(m[2]) <= MAX_ORDINAL) {
              const list = groups.get(m[1]!) ?? [];
              list.push(column);
              groups.set(m[1]!, list);
            }
            if (!mine(column)) continue;
            const isArray = column.isArray || column.type.startsWith('_');
            if (isArray && !isAllowed(table, column.name)) {
              context.report({
                offset: column.origin.offset,
                message: `${name}.${column.name} is an array: its elements cannot be referenced, constrained or indexed like rows`,
                help: `move the values to a child table (${table.name}_${column.name}: ${table.name}_id, value), or allow it: "normal-form-1nf": ["shadow", { "allowArrayColumns": ["${table.name}.${column.name}"] }]`,
              });
            } else if (!isArray && TEXT_TYPES.has(column.type) && LIST_NAME.test(column.name)) {
              context.report({
                offset: column.origin.offset,
                message: `${name}.${column.name} is text named like a list: a delimited list in one column breaks first normal form`,
                help: `store one value per row in a child table (${table.name}_${column.name}), or use a text[] listed in allowArrayColumns`,
              });
            }
          }
          for (const [base, members] of groups) {
            if (members.length < 2 || !members.some(mine) || !consecutive(members)) continue;
            const first = members.find(mine)!;
            context.report({
              offset: first.origin.offset,
              message: `${name} repeats ${base} as ${members.map((m) => m.name).join(', ')}: a repeating group`,
              help: `move them to a child table (${table.name}_${base.replace(/_$/, '')}s with a position column) so a row can have any number`,
            });
          }
        }
      },
    };
  },
});
