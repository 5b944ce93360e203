// Formats registries for a terminal or a pipe. Every format masks access_secret.
import type { Registry } from '../../generated/schema.js';

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

const TABLE_COLUMNS = ['id', 'name', 'type', 'url', 'status', 'insecure', 'created_at'] as const;
const CSV_COLUMNS = [
  'id',
  'name',
  'type',
  'url',
  'status',
  'insecure',
  'created_at',
  'updated_at',
  'description',
  'region_id',
  'instance_id',
  'credential_type',
  'access_key',
] as const;

/** A copy safe to print: the password is blanked whatever the server sent. */
export function masked(registry: Registry): Registry {
  const secret = registry.credential?.access_secret;
  if (!registry.credential || secret === undefined) return registry;
  return { ...registry, credential: { ...registry.credential, access_secret: secret === '' ? '' : '******' } };
}

function cell(registry: Registry, column: (typeof CSV_COLUMNS)[number]): string {
  if (column === 'credential_type') return String(registry.credential?.type ?? '');
  if (column === 'access_key') return String(registry.credential?.access_key ?? '');
  const value = registry[column];
  return value === undefined || value === null ? '' : String(value);
}

/** One JSON object per line. */
export function ndjsonLines(registries: readonly Registry[]): string {
  return registries.map((r) => `${JSON.stringify(masked(r))}\n`).join('');
}

/** The API's own shape, pretty-printed. */
export function jsonDocument(total: number, registries: readonly Registry[]): string {
  return `${JSON.stringify({ total, registries: registries.map(masked) }, null, 2)}\n`;
}

/** The CSV header line (RFC 4180), written once before the rows so CSV can stream. */
export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/** CSV rows; a cell with a comma, a quote or a line break is quoted (RFC 4180). */
export function csvRows(registries: readonly Registry[]): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return registries.map((r) => `${CSV_COLUMNS.map((c) => quote(cell(r, c))).join(',')}\r\n`).join('');
}

/** Aligned columns with a header; colour only when asked (a TTY without NO_COLOR). */
export function table(registries: readonly Registry[], options: { color: boolean }): string {
  const rows = registries.map((r) => TABLE_COLUMNS.map((c) => cell(r, c).replace(/[\r\n\t]/g, ' ')));
  const widths = TABLE_COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[22m` : s);
  const status = (s: string, padded: string) =>
    !options.color
      ? padded
      : s === 'healthy'
        ? `\x1b[32m${padded}\x1b[39m`
        : s === 'unhealthy'
          ? `\x1b[31m${padded}\x1b[39m`
          : padded;
  const line = (values: readonly string[], header = false) =>
    values
      .map((v, i) => {
        const padded = i === 0 && !header ? v.padStart(widths[i]!) : v.padEnd(widths[i]!);
        return header ? bold(padded) : TABLE_COLUMNS[i] === 'status' ? status(v, padded) : padded;
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
