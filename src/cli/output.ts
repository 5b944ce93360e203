// Formats registries for a terminal or a pipe. Every format masks access_secret. The columns come
// from the spec's Registry schema: the table shows its `x-summary-fields`, CSV every field that
// is not a secret, nested objects flattened (`credential.access_key`). A missing field is an
// empty cell.
import { schemas } from '../../generated/operations.js';
import type { Registry } from '../../generated/schema.js';
import { maskSensitive, resolve, type JsonSchema } from '../validate.js';
import { csvText, visible } from './terminal.js';
import type { Io } from './usage.js';

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

const REGISTRY = schemas.Registry;

/** Dotted paths of the scalar, non-secret fields of a schema, in its order. */
function fieldPaths(schema: JsonSchema, prefix = ''): string[] {
  return Object.entries(resolve(schema).properties ?? {}).flatMap(([name, field]) => {
    const s = resolve(field);
    if (s['x-sensitive'] || s.writeOnly) return [];
    return s.properties ? fieldPaths(s, `${prefix}${name}.`) : [`${prefix}${name}`];
  });
}

const TABLE_COLUMNS = REGISTRY['x-summary-fields'] ?? fieldPaths(REGISTRY);
const CSV_COLUMNS = fieldPaths(REGISTRY);

/** A copy safe to print: the password is blanked whatever the server sent. */
export function masked(registry: Registry): Registry {
  return maskSensitive(REGISTRY, registry, (secret) => (secret === '' ? '' : '******'));
}

/** The text of one cell: the field at a dotted path, empty when missing. */
function cell(registry: Registry, column: string): string {
  let value: unknown = registry;
  for (const key of column.split('.')) value = (value as Record<string, unknown> | null | undefined)?.[key];
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One JSON object per line. */
export function ndjsonLines(registries: readonly Registry[]): string {
  return registries.map((r) => `${JSON.stringify(masked(r))}\n`).join('');
}

/** The API's own shape, pretty-printed. */
export function jsonDocument(total: number | undefined, registries: readonly Registry[]): string {
  return `${JSON.stringify({ total, registries: registries.map(masked) }, null, 2)}\n`;
}

/** The CSV header line (RFC 4180), written once before the rows so CSV can stream. */
export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/**
 * CSV rows: control characters written as visible escapes, formula-leading cells neutralised
 * (see terminal.ts), and a cell with a comma or a quote quoted (RFC 4180).
 */
export function csvRows(registries: readonly Registry[]): string {
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return registries.map((r) => `${CSV_COLUMNS.map((c) => quote(csvText(cell(r, c)))).join(',')}\r\n`).join('');
}

const ANSI = { green: 32, red: 31, yellow: 33 } as const;
/** Per table column, the colour of each value, from the schema's `x-cli-colours`. */
const COLOURS = TABLE_COLUMNS.map((column) => {
  let schema: JsonSchema | undefined = REGISTRY;
  for (const key of column.split('.')) schema = schema && resolve(schema).properties?.[key];
  return (schema && resolve(schema)['x-cli-colours']) ?? {};
});

/** Aligned columns with a header; colour only when asked (a TTY without NO_COLOR). */
export function table(registries: readonly Registry[], options: { color: boolean }): string {
  const rows = registries.map((r) => TABLE_COLUMNS.map((c) => visible(cell(r, c))));
  const widths = TABLE_COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const paint = (code: number | undefined, s: string) => (options.color && code ? `\x1b[${code}m${s}\x1b[39m` : s);
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[22m` : s);
  const line = (values: readonly string[], header = false) =>
    values
      .map((v, i) => {
        const padded = i === 0 && !header ? v.padStart(widths[i]!) : v.padEnd(widths[i]!);
        if (header) return bold(padded);
        const colour = COLOURS[i]![v];
        return paint(colour && ANSI[colour as keyof typeof ANSI], padded);
      })
      .join('  ')
      .trimEnd();
  return `${[
    line(
      TABLE_COLUMNS.map((c) => c.toUpperCase()),
      true,
    ),
    ...rows.map((r) => line(r)),
  ].join('\n')}\n`;
}

/** Writes registries in a format: a list's `total` goes with JSON, and with the table (to stderr). */
export function writeRegistries(
  show: { io: Io; output: Format },
  total: number | undefined,
  registries: readonly Registry[],
  options: { header: boolean },
): void {
  const { io, output } = show;
  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env);
  if (output === 'json') io.stdout.write(jsonDocument(total, registries));
  else if (output === 'ndjson') io.stdout.write(ndjsonLines(registries));
  else if (output === 'csv') io.stdout.write((options.header ? csvHeader() : '') + csvRows(registries));
  else {
    io.stdout.write(table(registries, { color }));
    io.stderr.write(`${registries.length} of ${total ?? 'an unknown number of'} registries\n`);
  }
}

/** Writes one registry: as the table, CSV and NDJSON show any registry, and as its own JSON object. */
export function writeRegistry(show: { io: Io; output: Format }, registry: Registry): void {
  const { io, output } = show;
  if (output === 'json') io.stdout.write(`${JSON.stringify(masked(registry), null, 2)}\n`);
  else if (output === 'table')
    io.stdout.write(table([registry], { color: Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env) }));
  else writeRegistries(show, 1, [registry], { header: true });
}
