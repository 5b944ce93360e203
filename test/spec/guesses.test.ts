// A guess never refuses. Every rule of the spec that no source documents is labelled (`x-guess`
// on a subschema, `x-guess-keywords` on a keyword), listed here, and broken by a request of its
// own: outside strict mode the client sends it (and warns once through the logger); in strict
// mode it refuses it before anything is sent. A new guess in the spec fails this test until it
// is listed with a request that breaks it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSwrClient, SwrValidationError, type SwrLogEvent } from '../../src/index.js';
import { startServer } from '../helpers/clients.js';
import { spec } from '../helpers/spec.js';

/** Every guess in the bundled spec: the pointer of its schema and the keyword (or `x-guess`). */
function guessesOf(node: unknown, pointer = '#', out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item, i) => guessesOf(item, `${pointer}/${i}`, out));
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  const schema = node as Record<string, unknown>;
  if (schema['x-guess'] !== undefined) out.push(`${pointer} x-guess`);
  for (const keyword of Object.keys((schema['x-guess-keywords'] as object | undefined) ?? {}))
    out.push(`${pointer} ${keyword}`);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-guess-keywords' || key === 'examples' || key === 'example') continue;
    guessesOf(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  }
  return out;
}

const harbor = {
  name: 'guessed',
  type: 'swr-pro',
  url: 'https://guessed.example.com',
  credential: { type: 'basic', access_key: 'robot', access_secret: 'guess-secret-0001' },
  dns_conf: { hosts: { 'guessed.example.com': '192.0.2.1' } },
  insecure: false,
};
const policy = {
  name: 'guessed',
  dest_registry: { id: 3 },
  filters: [{ type: 'name', value: 'library/**' }],
  repo_scope_mode: 'regular',
  trigger: { type: 'manual' },
  enabled: true,
};
const without = (o: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

type Call = [method: string, args: unknown[], field: string];
/** A request that breaks each guess (and nothing else), with the field the warning names. */
const BREAKING: Record<string, Call> = {
  '#/components/schemas/Credential additionalProperties': [
    'createRegistry',
    ['i', { ...harbor, credential: { ...harbor.credential, token: 'x' } }],
    'credential.token',
  ],
  '#/components/schemas/Credential/properties/access_key minLength': [
    'createRegistry',
    ['i', { ...harbor, credential: { ...harbor.credential, access_key: '' } }],
    'credential.access_key',
  ],
  '#/components/schemas/Credential/properties/access_secret minLength': [
    'createRegistry',
    ['i', { ...harbor, credential: { ...harbor.credential, access_secret: '' } }],
    'credential.access_secret',
  ],
  '#/components/schemas/CreateRegistryRequestBody additionalProperties': [
    'createRegistry',
    ['i', { ...harbor, labels: {} }],
    'labels',
  ],
  '#/components/schemas/CreateRegistryRequestBody/properties/name pattern': [
    'createRegistry',
    ['i', { ...harbor, name: 'has space' }],
    'name',
  ],
  '#/components/schemas/CreateRegistryRequestBody/properties/url pattern': [
    'createRegistry',
    ['i', { ...harbor, url: 'guessed.example.com:5000' }],
    'url',
  ],
  '#/components/schemas/CreateRegistryRequestBody/allOf/0/else/then x-guess': [
    'createRegistry',
    ['i', without(harbor, 'dns_conf')],
    'dns_conf',
  ],
  '#/components/schemas/ReplicationRegistry additionalProperties': [
    'createPolicy',
    ['i', { ...policy, dest_registry: { id: 3, name: 'x' } }],
    'dest_registry.name',
  ],
  '#/components/schemas/Filter additionalProperties': [
    'createPolicy',
    ['i', { ...policy, filters: [{ type: 'name', value: 'a', decoration: 'matches' }] }],
    'filters[0].decoration',
  ],
  '#/components/schemas/TriggerSetting additionalProperties': [
    'createPolicy',
    ['i', { ...policy, trigger: { type: 'scheduled', trigger_settings: { cron: '0 0 2 * * *', zone: 'UTC' } } }],
    'trigger.trigger_settings.zone',
  ],
  '#/components/schemas/TriggerConfig additionalProperties': [
    'createPolicy',
    ['i', { ...policy, trigger: { type: 'manual', enabled: true } }],
    'trigger.enabled',
  ],
  '#/components/schemas/TriggerConfig/allOf/0 x-guess': [
    'createPolicy',
    ['i', { ...policy, trigger: { type: 'scheduled' } }],
    'trigger.trigger_settings',
  ],
  '#/components/schemas/CreateReplicationPolicyRequestBody additionalProperties': [
    'createPolicy',
    ['i', { ...policy, priority: 1 }],
    'priority',
  ],
  '#/components/schemas/CreateReplicationPolicyRequestBody/properties/name pattern': [
    'createPolicy',
    ['i', { ...policy, name: 'has space' }],
    'name',
  ],
  '#/components/schemas/CreateReplicationExecutionRequestBody additionalProperties': [
    'executePolicy',
    ['i', { policy_id: 1, force: true }],
    'force',
  ],
  '#/components/parameters/registry_id/schema minimum': ['getRegistry', ['i', 0], 'registry_id'],
  '#/components/parameters/policy_id/schema minimum': ['getPolicy', ['i', 0], 'policy_id'],
  '#/components/parameters/execution_id/schema minimum': ['stopExecution', ['i', 0], 'execution_id'],
  '#/components/parameters/task_id/schema minimum': ['listSubtasks', ['i', 1, 0], 'task_id'],
};

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  // Whatever the guess, the service decides: here it takes everything.
  server = await startServer((req, res) => {
    const body = req.method === 'GET' ? '{"total":0,"sub_tasks":[]}' : req.method === 'POST' ? '{"id":9}' : '';
    const status = req.method === 'POST' ? 201 : 200;
    res.writeHead(status, body ? { 'Content-Type': 'application/json' } : {}).end(body);
  });
});
afterAll(() => server.close());

describe('guesses', () => {
  it('every guess in the spec is listed here with a request that breaks it', () => {
    expect(guessesOf(spec).sort()).toEqual(Object.keys(BREAKING).sort());
  });

  it('each guess says why it is one', () => {
    const read = (pointer: string) =>
      pointer
        .slice(2)
        .split('/')
        .reduce((at: any, key) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    for (const guess of Object.keys(BREAKING)) {
      const [pointer, keyword] = guess.split(' ') as [string, string];
      const schema = read(pointer);
      const why = keyword === 'x-guess' ? schema['x-guess'] : schema['x-guess-keywords'][keyword];
      expect(typeof why === 'string' && why.length > 20, guess).toBe(true);
    }
  });

  it.each(Object.entries(BREAKING))(
    '%s: sent outside strict mode, with a warning; refused in strict mode',
    async (_guess, [method, args, field]) => {
      const events: SwrLogEvent[] = [];
      const options = {
        endpoint: server.url,
        projectId: 'p',
        auth: { token: 't' },
        logger: (e: SwrLogEvent) => events.push(e),
      };
      const call = (strict: boolean) =>
        (createSwrClient({ ...options, strict }) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
          method
        ]!(...args);
      const before = server.requests;
      await expect(call(false)).resolves.toBeDefined();
      expect(server.requests).toBeGreaterThan(before);
      const warnings = events.filter((e) => e.type === 'warning');
      expect(warnings.map((w) => (w as { field: string }).field)).toContain(field);
      const sent = server.requests;
      const refused = await call(true).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SwrValidationError);
      expect((refused as SwrValidationError).problems.map((p) => p.path)).toContain(field);
      expect(server.requests).toBe(sent);
    },
  );
});
