/**
 * Rule options (`[level, options]` in config `rules` and `environments.<name>.rules`), checked when
 * the rules are loaded: a wrong type is a config error naming the key, not a crash inside the rule,
 * and a misspelt key is not silently ignored.
 */
import { compileSchema, describeError, isPlainObject } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { closest, configName, configuredRules, settingParts } from './levels.js';
import type { OptionsSchema, Rule } from './types.js';

/** What a type is called in a message: one value, then several. */
const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['a string', 'strings'],
  number: ['a number', 'numbers'],
  integer: ['an integer', 'integers'],
  boolean: ['true or false', 'booleans'],
  array: ['an array', 'arrays'],
  object: ['an object', 'objects'],
};

/** The keywords checked here; a schema with any other goes to ajv. */
const OWN_KEYWORDS = new Set(['type', 'items', 'properties', 'additionalProperties', 'enum', 'description', 'default']);

function checkedHere(schema: OptionsSchema): boolean {
  return (
    Object.keys(schema).every((k) => OWN_KEYWORDS.has(k)) &&
    (schema.type === undefined || schema.type in TYPE_NAMES) &&
    (schema.additionalProperties === undefined || typeof schema.additionalProperties === 'boolean') &&
    (schema.items === undefined || (isPlainObject(schema.items) && checkedHere(schema.items))) &&
    Object.values(schema.properties ?? {}).every(checkedHere)
  );
}

function matches(value: unknown, schema: OptionsSchema): boolean {
  if (schema.enum && !schema.enum.includes(value)) return false;
  switch (schema.type) {
    case undefined:
      return true;
    case 'array':
      return Array.isArray(value) && (!schema.items || value.every((item) => matches(item, schema.items!)));
    case 'object':
      return isPlainObject(value) && firstProblem(value, schema) === undefined;
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === schema.type;
  }
}

/** "an array of strings", "one of "a", "b"" */
function expected(schema: OptionsSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const items = schema.type === 'array' && schema.items?.type && !schema.items.enum ? TYPE_NAMES[schema.items.type]?.[1] : undefined;
  return items ? `an array of ${items}` : (TYPE_NAMES[schema.type ?? '']?.[0] ?? 'valid');
}

function unknownOption(key: string, schema: OptionsSchema): string {
  const known = Object.keys(schema.properties ?? {});
  const hint = closest(key, known);
  if (hint) return `unknown option "${key}" — did you mean "${hint}"?`;
  return `unknown option "${key}" — ${known.length ? `the options are ${known.join(', ')}` : 'the rule takes no options'}.`;
}

/** The first option that is unknown or does not match its schema, worded; undefined when all are fine. */
function firstProblem(options: Record<string, unknown>, schema: OptionsSchema): string | undefined {
  for (const [key, value] of Object.entries(options)) {
    const property = schema.properties?.[key];
    if (!property) {
      if (schema.additionalProperties === false) return unknownOption(key, schema);
    } else if (!matches(value, property)) return `option "${key}" must be ${expected(property)}`;
  }
  return undefined;
}

async function ajvProblem(options: Record<string, unknown>, schema: OptionsSchema): Promise<string | undefined> {
  const validate = await compileSchema(schema);
  if (validate(options)) return undefined;
  const error = validate.errors![0]!;
  if (error.keyword === 'additionalProperties' && error.instancePath === '') return unknownOption(String(error.params.additionalProperty), schema);
  return describeError({ ...error, instancePath: `/options${error.instancePath}` });
}

/**
 * Checks the options the config gives each rule against its `meta.optionsSchema` (a rule without one
 * takes the keys of its `defaultOptions`, of any type). Unknown rule ids are left to resolveRules.
 */
export async function checkRuleOptions(rules: Rule[], config: ResolvedConfig): Promise<void> {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  for (const { where, id, setting } of configuredRules(config)) {
    const options = settingParts(setting)[1];
    const meta = byId.get(id)?.meta;
    if (!meta || !options || !Object.keys(options).length) continue;
    const schema = meta.optionsSchema ?? { additionalProperties: false, properties: Object.fromEntries(Object.keys(meta.defaultOptions ?? {}).map((k) => [k, {}])) };
    const problem = checkedHere(schema) ? firstProblem(options, schema) : await ajvProblem(options, schema);
    if (problem) throw new ConfigError(`Invalid config in ${configName(config)}: ${where}: ${problem}${problem.startsWith('unknown') ? '' : ` — see \`aibos rules ${id}\`.`}`);
  }
}
