// The tolerant reader (src/request/read-answer.ts): which success bodies cannot be used at all,
// and how a usable one's differences from the spec are told, field by field.
import { describe, expect, it } from 'vitest';
import { differencesOf, unusableReason } from '../../src/request/read-answer.js';
import { operations } from '../../src/spec/table.js';

const LIST = operations.ListInstanceRegistries;
const SHOW = operations.ShowInstanceRegistry;
// Answers no body the spec describes.
const UPDATE = operations.UpdateInstanceRegistry;
const registry = (id: number) => ({ id, name: `r${id}`, type: 'swr-pro', url: 'https://r.example.com' });
const registries = (n: number) => Array.from({ length: n }, (_, i) => registry(i + 1));

describe('a success body that cannot be used', () => {
  it('is one that is not a JSON object, whatever it is instead', () => {
    for (const body of [null, 'text', 42, true, [], undefined])
      expect(unusableReason(SHOW, body)).toBe('the body is not a JSON object');
    expect(unusableReason(SHOW, {})).toBeUndefined();
    expect(unusableReason(SHOW, registry(1))).toBeUndefined();
  });

  it('is never one of an operation whose answer the spec does not describe', () => {
    for (const body of [undefined, 'text', [1]]) {
      expect(unusableReason(UPDATE, body)).toBeUndefined();
      expect(differencesOf(UPDATE, body)).toEqual([]);
    }
  });

  it('is a page with more items than its limit asked for; as many, or no number asked, is usable', () => {
    expect(unusableReason(LIST, { registries: registries(3) }, { limit: 2 })).toBe(
      '3 registries, more than the limit of 2',
    );
    expect(unusableReason(LIST, { registries: registries(2) }, { limit: 2 })).toBeUndefined();
    expect(unusableReason(LIST, { registries: registries(3) }, { limit: '2' })).toBeUndefined();
    expect(unusableReason(LIST, { registries: registries(3) })).toBeUndefined();
    // No items at all is a page Harbor-style answers may give: usable, and told as a difference if anything.
    expect(unusableReason(LIST, { total: 3 }, { limit: 2 })).toBeUndefined();
    expect(unusableReason(LIST, { registries: { 0: registry(1) } }, { limit: 2 })).toBe('`registries` is not an array');
  });
});

describe('the differences of a usable body', () => {
  it('say the JSON type that arrived (never the value), and "nothing" for a missing field', () => {
    const differences = differencesOf(SHOW, { id: null, name: ['secret-looking'], type: 'swr-pro', insecure: {} });
    const received = Object.fromEntries(differences.map((d) => [d.field, d.received]));
    expect(received).toEqual({ id: 'null', name: 'array', url: 'nothing', insecure: 'object' });
    expect(differences.find((d) => d.field === 'url')).toMatchObject({ kind: 'missing', count: 1 });
    expect(JSON.stringify(differences)).not.toContain('secret-looking');
  });

  it('fold array positions, two-digit ones too, and count each field once per answer', () => {
    const page = registries(12).map((r, i) => (i === 3 || i === 11 ? { ...r, insecure: 'no' } : r));
    expect(differencesOf(LIST, { total: 12, registries: page })).toEqual([
      { field: 'registries[].insecure', kind: 'type', rule: 'must be true or false', received: 'string', count: 2 },
    ]);
  });

  it('keep different kinds of one field apart', () => {
    const page = [
      { ...registry(1), type: 7 },
      { ...registry(2), type: 'other' },
    ];
    expect(differencesOf(LIST, { registries: page }).map((d) => [d.field, d.kind, d.count])).toEqual([
      ['registries[].type', 'type', 1],
      ['registries[].type', 'unknown_value', 1],
    ]);
  });
});
