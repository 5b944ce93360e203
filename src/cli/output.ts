// How results reach stdout, one set of writers for every command and format. Items of any
// resource print from their schema: the table shows its `x-summary-fields`, CSV every field that
// is not a secret (nested ones flattened: `credential.access_key`), the key/value view of one item
// every field (nested objects indented), JSON and NDJSON the item itself. Every secret, by the
// request's marks and the answer's alike, is masked whatever value it holds; every text from a
// server is escaped before a terminal or a spreadsheet sees it.
import { resolve, type JsonSchema } from '../spec/validate.js';
import { csvText, visible } from './terminal.js';
import type { Io } from './usage.js';

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** What is printed in place of a secret that holds anything. */
export const MASK = '******';

/** How to print the items of one kind: their schema, their secrets, and what they are called. */
export interface Shape {
  schema: JsonSchema;
  /** Dotted paths of the secret fields. */
  secrets: readonly string[];
  /** `registry`, `policy`... */
  noun: string;
}

type Record_ = Record<string, unknown>;

/** Dotted paths of the scalar fields of a schema, in its order, secrets left out. */
function fieldPaths(schema: JsonSchema, secrets: readonly string[], prefix = ''): string[] {
  const s = resolve(schema);
  const own = Object.entries(s.properties ?? {});
  const parts = (s.allOf ?? []).flatMap((part) => fieldPaths(part, secrets, prefix));
  return [
    ...parts,
    ...own.flatMap(([name, field]) => {
      const path = `${prefix}${name}`;
      if (secrets.includes(path)) return [];
      const f = resolve(field);
      return f.properties ? fieldPaths(f, secrets, `${path}.`) : [path];
    }),
  ];
}

const at = (value: unknown, path: string): unknown => {
  let current = value;
  for (const key of path.split('.')) current = (current as Record_ | null | undefined)?.[key];
  return current;
};

/** A copy safe to print: every secret masked, whatever it holds (a string, an array, an object). */
export function masked<T>(shape: Shape, item: T): T {
  if (item === null || typeof item !== 'object') return item;
  let copy: Record_ | undefined;
  for (const path of shape.secrets) {
    const value = at(item, path);
    if (value === undefined || value === '' || value === null) continue;
    copy ??= structuredClone(item) as Record_;
    const keys = path.split('.');
    let target = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as Record_;
    target[keys[keys.length - 1]!] = MASK;
  }
  return (copy ?? item) as T;
}

/** The text of one cell: the field at a dotted path, empty when missing; objects as JSON. */
function cell(item: unknown, column: string): string {
  const value = at(item, column);
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const ANSI = { green: 32, red: 31, yellow: 33 } as const;

/** The colour of each value of a column, from its schema's `x-cli-colours`. */
function colours(schema: JsonSchema, column: string): Record<string, string> {
  let s: JsonSchema | undefined = schema;
  for (const key of column.split('.')) s = s && resolve(s).properties?.[key];
  return (s && resolve(s)['x-cli-colours']) ?? {};
}

/** The table's columns: the schema's summary fields, or every field. */
export const tableColumns = (shape: Shape): string[] => {
  const s = resolve(shape.schema);
  return [...(s['x-summary-fields'] ?? fieldPaths(s, shape.secrets))];
};

/** CSV's columns: every field that is not a secret. */
export const csvColumns = (shape: Shape): string[] => fieldPaths(shape.schema, shape.secrets);

/** Aligned columns with a header; colour only when asked (a TTY without NO_COLOR). */
export function table(shape: Shape, items: readonly unknown[], options: { color: boolean }): string {
  const columns = tableColumns(shape);
  const paint = columns.map((c) => colours(shape.schema, c));
  const rows = items.map((item) => columns.map((c) => visible(cell(item, c))));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[22m` : s);
  const line = (values: readonly string[], header = false) =>
    values
      .map((v, i) => {
        const padded = i === 0 && !header ? v.padStart(widths[i]!) : v.padEnd(widths[i]!);
        if (header) return bold(padded);
        const code = ANSI[paint[i]![v] as keyof typeof ANSI];
        return options.color && code ? `\x1b[${code}m${padded}\x1b[39m` : padded;
      })
      .join('  ')
      .trimEnd();
  return `${[
    line(
      columns.map((c) => c.toUpperCase()),
      true,
    ),
    ...rows.map((r) => line(r)),
  ].join('\n')}\n`;
}

/** One item as readable `key: value` lines, nested objects indented, every field shown. */
export function keyValue(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return `${visible(String(value))}\n`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n';
    return `\n${value
      .map((item) => `${indent}- ${keyValue(item, `${indent}  `).replace(/^\n/, '').trimStart()}`)
      .join('')}`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}\n';
  const width = Math.max(...entries.map(([k]) => visible(k).length));
  const lines = entries.map(([k, v]) => {
    const key = `${indent}${visible(k)}:`;
    if (v !== null && typeof v === 'object' && Object.keys(v).length > 0)
      return `${key}\n${keyValue(v, `${indent}  `).replace(/^\n/, '')}`;
    const text = v === '' ? '""' : keyValue(v, indent).trimEnd();
    return `${key.padEnd(indent.length + width + 1)} ${text}\n`;
  });
  return lines.join('');
}

/** CSV lines (RFC 4180): control characters escaped, formula-leading cells neutralised, commas and quotes quoted. */
function csvLine(cells: readonly string[]): string {
  return `${cells
    .map((c) => csvText(c))
    .map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
    .join(',')}\r\n`;
}

const color = (io: Io) => Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env);

/** Writes a list of items in a format. `header` says whether this is the first batch (CSV's header, the table's count). */
export function writeItems(
  io: Io,
  format: Format,
  shape: Shape,
  items: readonly unknown[],
  options: { header: boolean; total?: number | undefined; key?: string },
): void {
  const safe = items.map((item) => masked(shape, item));
  if (format === 'json')
    io.stdout.write(`${JSON.stringify({ total: options.total, [options.key ?? 'items']: safe }, null, 2)}\n`);
  else if (format === 'ndjson') io.stdout.write(safe.map((i) => `${JSON.stringify(i)}\n`).join(''));
  else if (format === 'csv') {
    const columns = csvColumns(shape);
    io.stdout.write(
      (options.header ? csvLine(columns) : '') + safe.map((i) => csvLine(columns.map((c) => cell(i, c)))).join(''),
    );
  } else {
    io.stdout.write(table(shape, safe, { color: color(io) }));
    if (options.header)
      io.stderr.write(`${items.length} of ${options.total ?? 'an unknown number of'} ${options.key ?? 'items'}\n`);
  }
}

/** Writes one item: every field as key/value on a terminal (the table format), or as its own JSON, NDJSON or CSV. */
export function writeItem(io: Io, format: Format, shape: Shape, item: unknown): void {
  const safe = masked(shape, item);
  if (format === 'json') io.stdout.write(`${JSON.stringify(safe, null, 2)}\n`);
  else if (format === 'table') io.stdout.write(keyValue(safe));
  else writeItems(io, format, shape, [item], { header: true, total: 1 });
}

/**
 * Writes what a change did (`{ id, outcome }`): a sentence on a terminal, the record in every
 * other format, through the same writers as items (CSV escaped and neutralised like any cell).
 */
export function writeOutcome(io: Io, format: Format, record: Record_, sentence: string): void {
  if (format === 'json') io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  else if (format === 'ndjson') io.stdout.write(`${JSON.stringify(record)}\n`);
  else if (format === 'csv') {
    const columns = Object.keys(record);
    io.stdout.write(csvLine(columns) + csvLine(columns.map((c) => cell(record, c))));
  } else io.stdout.write(`${visible(sentence)}\n`);
}
