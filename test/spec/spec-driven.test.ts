// The spec drives everything: in a copy of the project, spec-only edits plus `npm run generate`
// and a build change what the client sends and refuses, what the emulator accepts, answers and
// masks, what the CLI offers, and the types, with no file in src/ touched. One edit (at least) per
// parameter location and per schema keyword, a breaking edit, a new and a removed response field,
// spread over the operations; one generate and one build for all of them.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { copyProject } from '../../scripts/copy-project.mjs';
import { createSwrClient, SwrValidationError } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'swr-spec-driven-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const REGISTRIES = 'spec/paths/v2_{project_id}_instances_{instance_id}_registries.yaml';
const REGISTRY = 'spec/paths/v2_{project_id}_instances_{instance_id}_registries_{registry_id}.yaml';
const POLICIES = 'spec/paths/v2_{project_id}_instances_{instance_id}_replication_policies.yaml';
const SCHEMAS = 'spec/components/schemas';
const PARAMETERS = 'spec/components/parameters';

/** A digest of every file under src/, to show that no edit reached it. */
function srcDigest(dir: string): string {
  const files = execFileSync('git', ['ls-files', 'src'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest('hex');
}

/** Edits a YAML file of the copy's spec through a function of its parsed content. */
function editYaml(file: string, change: (doc: any) => void): void {
  const path = join(work, file);
  const doc = parse(readFileSync(path, 'utf8'));
  const before = JSON.stringify(doc);
  change(doc);
  expect(JSON.stringify(doc), file).not.toBe(before);
  writeFileSync(path, stringify(doc, { lineWidth: 0 }));
}
const writeYaml = (file: string, doc: unknown) => writeFileSync(join(work, file), stringify(doc, { lineWidth: 0 }));

function run(command: string, args: string[]) {
  const r = spawnSync(process.execPath, [command, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The spec-only edits, each named by what it tries. */
function editSpec(): void {
  // Parameters: a query filter on a list (a new file), a bound and an enum value of shared ones.
  writeYaml(`${PARAMETERS}/status.yaml`, {
    name: 'status',
    in: 'query',
    required: false,
    description: 'Registry health, matched exactly.',
    schema: { type: 'string', enum: ['healthy', 'unhealthy'] },
    'x-filter': { field: 'status', match: 'equals' },
  });
  editYaml(REGISTRIES, (d) => d.get.parameters.push({ $ref: '../components/parameters/status.yaml' }));
  editYaml(`${PARAMETERS}/limit.yaml`, (d) => (d.schema.maximum = 500));
  editYaml(`${PARAMETERS}/order_column.yaml`, (d) => d.schema.enum.push('description'));
  // A header parameter on one operation; a query parameter on a delete; a path-level header
  // parameter on a collection (so on its list and its create); a bound on a path parameter.
  editYaml(REGISTRY, (d) => {
    d.get.parameters = [
      {
        name: 'X-Language',
        in: 'header',
        required: false,
        description: 'Language of messages.',
        schema: { type: 'string', enum: ['en-us', 'zh-cn'] },
      },
    ];
    d.delete.parameters = [
      {
        name: 'force',
        in: 'query',
        required: false,
        description: 'Delete even if in use.',
        schema: { type: 'boolean' },
      },
    ];
  });
  editYaml(POLICIES, (d) =>
    d.parameters.push({
      name: 'X-Trace-Id',
      in: 'header',
      required: true,
      description: 'A trace id.',
      schema: { type: 'string', maxLength: 8 },
    }),
  );
  editYaml(`${PARAMETERS}/registry_id.yaml`, (d) => (d.schema.maximum = 999999));
  // Object keywords: maxProperties, minProperties, propertyNames, and format ipv4 on the values.
  editYaml(`${SCHEMAS}/DnsConf.yaml`, (d) => {
    d.properties.hosts.maxProperties = 2;
    d.properties.hosts.minProperties = 1;
    d.properties.hosts.propertyNames = { pattern: '^[a-z0-9.-]+$' };
    d.properties.hosts.additionalProperties = { type: 'string', format: 'ipv4' };
  });
  // Registry create: not, const, readOnly, a length with a pattern, anyOf values in a new map
  // that answers carry too (with an example value to seed from), a write-only secret.
  editYaml(`${SCHEMAS}/CreateRegistryRequestBody.yaml`, (d) => {
    d.properties.description.not = { const: 'forbidden' };
    d.properties.kind = { type: 'string', const: 'registry', description: 'Always registry.' };
    d.properties.created_at = { type: 'string', readOnly: true, description: 'Set by the service.' };
    d.properties.alias = { type: 'string', maxLength: 8, pattern: '^[a-z]+$', description: 'A short name.' };
    d.properties.labels = {
      type: 'object',
      description: 'Labels.',
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    };
  });
  editYaml(`${SCHEMAS}/Credential.yaml`, (d) => {
    d.properties.session_token = {
      type: 'string',
      writeOnly: true,
      'x-cli-env': 'SWR_SESSION_TOKEN',
      description: 'A second secret.',
    };
  });
  editYaml('spec/components/examples/CreateHarborRegistry.yaml', (d) => (d.value.labels = { team: 'dr', tier: 1 }));
  // Answers: a new field (labels), a removed one (credential: its secret must still never come back).
  editYaml(`${SCHEMAS}/Registry.yaml`, (d) => {
    d.properties.labels = { type: 'object', description: 'Labels.', additionalProperties: true };
    delete d.properties.credential;
  });
  // Policy create: multipleOf with exclusive bounds, minItems/maxItems/uniqueItems, if/then,
  // dependentRequired; a breaking edit (a field becomes required).
  editYaml(`${SCHEMAS}/CreateReplicationPolicyRequestBody.yaml`, (d) => {
    d.properties.priority = {
      type: 'integer',
      multipleOf: 5,
      exclusiveMinimum: 0,
      exclusiveMaximum: 100,
      description: 'Priority.',
    };
    Object.assign(d.properties.filters, { minItems: 1, maxItems: 2, uniqueItems: true });
    d.allOf = [
      {
        if: { required: ['override'], properties: { override: { const: true } } },
        then: { required: ['dest_namespace'] },
      },
    ];
    d.dependentRequired = { dest_namespace: ['override'] };
    d.required.push('description');
  });
  // Every policy example keeps to the new rules: described, and with a namespace when it overrides.
  editYaml('spec/components/examples/CreatePullReplicationPolicy.yaml', (d) => {
    d.value.description ??= 'Described.';
    d.value.dest_namespace ??= '';
  });
  // A breaking edit: a schema renamed, so the old name is removed.
  renameSync(join(work, SCHEMAS, 'TriggerSetting.yaml'), join(work, SCHEMAS, 'TriggerSchedule.yaml'));
  editYaml(`${SCHEMAS}/TriggerSchedule.yaml`, (d) => (d.title = 'TriggerSchedule'));
  editYaml(`${SCHEMAS}/TriggerConfig.yaml`, (d) => (d.properties.trigger_settings.$ref = './TriggerSchedule.yaml'));
}

// In the copy, after the build: the client, the emulator and the CLI of the edited spec, in one
// process; what they did is printed as JSON for the assertions below.
const PROBE = `
import { createSwrClient, SwrValidationError } from './dist/index.js';
import { startEmulator } from './dist/emulator/index.js';
import { main } from './dist/cli/main.js';
const emu = await startEmulator({ items: { registry: 700 } });
const sent = [];
const swr = createSwrClient({ endpoint: emu.url, projectId: emu.projectId, auth: { token: emu.token },
  logger: (e) => e.type === 'attempt' && sent.push(e) });
const base = emu.url + '/v2/' + emu.projectId + '/instances/' + emu.instanceId;
const raw = (path, init = {}) => fetch(base + path, { ...init, headers: { 'X-Auth-Token': emu.token, ...init.headers } });
const refused = async (f) => { try { await f(); return 'sent'; } catch (e) { return e instanceof SwrValidationError ? e.problems.map((p) => p.path + ' ' + p.rule) : 'other: ' + e.message; } };
async function cli(args) {
  let stdout = '', stderr = '';
  const io = { stdout: { write: (t) => ((stdout += t), true) }, stderr: { write: (t) => ((stderr += t), true) },
    env: { SWR_ENDPOINT: emu.url, HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId, SWR_AUTH_TOKEN: emu.token, SWR_INSTANCE_ID: emu.instanceId } };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
const truth = emu.store.items(emu, 'registry');
const out = {};
const secret = 'SEKRET-in-the-body-0001';
const harbor = (name, extra = {}) => ({ name, type: 'swr-pro', url: 'https://' + name + '.example.com', insecure: false,
  credential: { type: 'basic', access_key: 'robot', access_secret: secret, session_token: 'SESSION-token-0002' },
  dns_conf: { hosts: { 'a.example.com': '192.0.2.1' } }, ...extra });

// Query, bound, enum (list).
const page = await swr.listRegistries(emu.instanceId, { status: 'healthy', order_column: 'description', order_type: 'asc', offset: 0, limit: 500 });
out.list = { query: sent.at(-1).path, count: page.registries.length, healthy: truth.filter((r) => r.status === 'healthy').length,
  allHealthy: page.registries.every((r) => r.status === 'healthy'),
  sorted: page.registries.map((r) => r.description ?? '').every((d, i, ds) => i === 0 || ds[i - 1] <= d),
  rawCount: (await (await raw('/registries?limit=500&offset=0&status=unhealthy')).json()).registries.length,
  rawBad: (await raw('/registries?status=sick')).status,
  unhealthy: truth.filter((r) => r.status === 'unhealthy').length,
  walked: (await swr.listAllRegistries(emu.instanceId, { status: 'unhealthy' }, { pageSize: 500 })).registries.length };

// A header on get: sent, checked, read by the emulator, allowed by its CORS.
const id = truth[0].id;
await swr.getRegistry(emu.instanceId, id, { 'X-Language': 'zh-cn' });
out.header = { sent: sent.at(-1).headers['x-language'],
  refused: await refused(() => swr.getRegistry(emu.instanceId, id, { 'X-Language': 'fr' })),
  rawBad: (await raw('/registries/' + id, { headers: { 'X-Language': 'fr' } })).status,
  cors: (await fetch(base + '/registries/' + id, { method: 'OPTIONS', headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-language' } })).headers.get('access-control-allow-headers') };
// A query parameter on delete; a path-level header on a collection; a bound on a path parameter.
const doomed = truth[1].id;
await swr.deleteRegistry(emu.instanceId, doomed, { force: true });
out.deleteQuery = { path: sent.at(-1).path, gone: emu.store.item(emu, 'registry', doomed) === undefined,
  rawBad: (await raw('/registries/' + truth[2].id + '?force=maybe', { method: 'DELETE' })).status };
out.pathHeader = { missing: await refused(() => swr.listPolicies(emu.instanceId)),
  tooLong: await refused(() => swr.listPolicies(emu.instanceId, { 'X-Trace-Id': 'far-too-long' })),
  ok: (await swr.listPolicies(emu.instanceId, { 'X-Trace-Id': 't1' })).total, sent: sent.at(-1).headers['x-trace-id'],
  rawMissing: (await raw('/replication/policies')).status };
out.pathBound = { refused: await refused(() => swr.getRegistry(emu.instanceId, 1000000)), raw: (await raw('/registries/1000000')).status };

// Body keywords: each one refused by the client naming the field, and by the emulator (400).
const bad = {
  maxProperties: harbor('mp', { dns_conf: { hosts: { 'a.x': '192.0.2.1', 'b.x': '192.0.2.2', 'c.x': '192.0.2.3' } } }),
  minProperties: harbor('np', { dns_conf: { hosts: {} } }),
  propertyNames: harbor('pn', { dns_conf: { hosts: { 'UPPER.x': '192.0.2.1' } } }),
  format: harbor('fm', { dns_conf: { hosts: { 'a.x': '300.1.1.1' } } }),
  not: harbor('nt', { description: 'forbidden' }),
  const: harbor('ct', { kind: 'other' }),
  readOnly: harbor('ro', { created_at: '2020-01-01T00:00:00Z' }),
  pattern: harbor('pt', { alias: 'ABC' }),
  anyOf: harbor('ao', { labels: { a: true } }),
};
out.keywords = {};
for (const [keyword, body] of Object.entries(bad)) {
  const answer = await raw('/registries', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  out.keywords[keyword] = { client: await refused(() => swr.createRegistry(emu.instanceId, body)), emulator: answer.status, message: (await answer.json()).error_msg };
}
const policy = (extra = {}) => ({ name: 'p' + Math.random().toString(36).slice(2, 8), description: 'd', dest_registry: { id: truth[3].id }, dest_namespace: '',
  filters: [{ type: 'name', value: 'library/**' }], repo_scope_mode: 'regular', trigger: { type: 'manual' }, override: false, enabled: true, ...extra });
const policyBad = {
  multipleOf: policy({ priority: 7 }), exclusiveMaximum: policy({ priority: 100 }), exclusiveMinimum: policy({ priority: 0 }),
  maxItems: policy({ filters: [{ type: 'name', value: 'a' }, { type: 'tag', value: 'b' }, { type: 'tag', value: 'c' }] }),
  minItems: policy({ filters: [] }),
  uniqueItems: policy({ filters: [{ type: 'name', value: 'a' }, { type: 'name', value: 'a' }] }),
  ifThen: (({ dest_namespace, ...rest }) => rest)(policy({ override: true })),
  dependentRequired: (({ override, ...rest }) => ({ ...rest, dest_namespace: 'x' }))(policy()),
  required: (({ description, ...rest }) => rest)(policy()),
};
for (const [keyword, body] of Object.entries(policyBad)) {
  const answer = await raw('/replication/policies', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', 'X-Trace-Id': 't' } });
  out.keywords[keyword] = { client: await refused(() => swr.createPolicy(emu.instanceId, body, { 'X-Trace-Id': 't' })), emulator: answer.status, message: (await answer.json()).error_msg };
}
const made = await swr.createPolicy(emu.instanceId, policy({ priority: 5 }), { 'X-Trace-Id': 't' });
out.policyMade = made.outcome;

// A new answer field seeded from the example; a removed one whose secret never comes back.
const created = await swr.createRegistry(emu.instanceId, harbor('with-labels', { labels: { team: 'x', n: 2 } }));
const shown = await swr.getRegistry(emu.instanceId, created.id);
const rawShown = await (await raw('/registries/' + created.id)).text();
out.answers = { labels: shown.labels, seededLabels: truth.filter((r) => r.labels).length,
  rawHasSecret: rawShown.includes(secret) || rawShown.includes('SESSION-token-0002'), differences: shown.differences.map((d) => d.field) };
const get = await cli(['registry', 'get', String(created.id), '-o', 'json']);
out.cliGet = { code: get.code, hasSecret: (get.stdout + get.stderr).includes(secret) || (get.stdout + get.stderr).includes('SESSION-token-0002'), labels: JSON.parse(get.stdout || '{}').labels };

// The CLI: the flags of every new parameter and field, and their rules, from the spec.
out.cli = {
  getHelp: (await cli(['registry', 'get', '--help'])).stdout,
  deleteHelp: (await cli(['registry', 'delete', '--help'])).stdout,
  policyListHelp: (await cli(['policy', 'list', '--help'])).stdout,
  createHelp: (await cli(['registry', 'create', '--help'])).stdout,
  badHeader: await cli(['registry', 'get', String(id), '--x-language', 'fr']),
  missingTrace: await cli(['policy', 'list']),
  traced: await cli(['policy', 'list', '--x-trace-id', 't2', '-o', 'json']),
  badHosts: await cli(['registry', 'create', '--name', 'c1', '--type', 'swr-pro', '--url', 'https://c1.example.com', '--insecure', 'false',
    '--credential-access-key', 'ak', '--dns-conf-hosts', 'a.x=999.1.1.1', '--dns-conf-hosts', 'b.x=192.0.2.2', '--dns-conf-hosts', 'c.x=192.0.2.3']),
};
console.log(JSON.stringify(out));
await emu.close();
`;

// The types of the edited spec, as a consumer's code sees them (compiled with tsc, not run).
const CONSUMER = `
import type { MethodBody, MethodParams, MethodResult, Registry, TriggerSchedule } from './dist/index.js';
const labels: Registry['labels'] = { a: 1 };
const priority: MethodBody<'createPolicy'>['priority'] = 5;
const header: MethodParams<'getRegistry'>['X-Language'] = 'zh-cn';
const trace: MethodParams<'listPolicies'>['X-Trace-Id'] = 't';
const force: MethodParams<'deleteRegistry'>['force'] = true;
const schedule: TriggerSchedule = { cron: '0 0 0 * * *' };
// @ts-expect-error: the header's enum
const wrong: MethodParams<'getRegistry'>['X-Language'] = 'fr';
// No longer a field of answers: only the catch-all of additionalProperties (unknown) remains.
const gone: MethodResult<'getRegistry'>['credential'] = 5;
export { labels, priority, header, trace, force, schedule, wrong, gone };
`;

let before: string;
let out: any;
beforeAll(() => {
  copyProject(root, work);
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  before = srcDigest(work);
  editSpec();
  for (const step of ['scripts/generate.mjs', 'scripts/build.mjs']) {
    const r = run(step, step.includes('generate') ? ['--skip-docs'] : []);
    expect(r.code, `${step}: ${r.stderr}`).toBe(0);
  }
  writeFileSync(join(work, 'probe.mjs'), PROBE);
  const r = run('probe.mjs', []);
  expect(r.code, r.stderr).toBe(0);
  out = JSON.parse(r.stdout);
}, 180_000);

describe('spec-only edits', () => {
  it('touch no file in src/, and src/ builds (a breaking edit is not a compile error)', () => {
    expect(srcDigest(work)).toBe(before);
    expect(srcDigest(work)).toBe(srcDigest(root));
  });

  it('are refused by the unedited project, as a control', async () => {
    const swr = createSwrClient({ endpoint: 'http://127.0.0.1:9', projectId: 'p', auth: { token: 't' } });
    for (const query of [{ status: 'healthy' }, { limit: 500, offset: 0 }, { order_column: 'description' }]) {
      await expect(swr.listRegistries('i', query as never)).rejects.toBeInstanceOf(SwrValidationError);
    }
    await expect(swr.getRegistry('i', 1, { 'X-Language': 'en-us' } as never)).rejects.toBeInstanceOf(
      SwrValidationError,
    );
  });

  it('a query parameter, a bound and an enum value: sent, filtering, paging and sorting in client and emulator', () => {
    const { list } = out;
    expect(list.query).toMatch(/[?&]status=healthy(&|$)/);
    expect(list.query).toMatch(/[?&]limit=500(&|$)/);
    expect(list.query).toMatch(/[?&]order_column=description(&|$)/);
    expect(list.count).toBe(Math.min(500, list.healthy));
    expect(list.allHealthy).toBe(true);
    expect(list.sorted).toBe(true);
    expect(list.rawCount).toBe(Math.min(500, list.unhealthy));
    expect(list.rawBad).toBe(400);
    expect(list.walked).toBe(list.unhealthy);
  });

  it('a header parameter: sent, checked by the client, read and checked by the emulator, allowed by its CORS', () => {
    expect(out.header.sent).toBe('zh-cn');
    expect(out.header.refused).toEqual(['X-Language must be one of en-us, zh-cn']);
    expect(out.header.rawBad).toBe(400);
    expect(out.header.cors.toLowerCase()).toContain('x-language');
  });

  it('a query parameter on a delete, a path-level header on a collection, a bound on a path parameter', () => {
    expect(out.deleteQuery.path).toMatch(/\?force=true$/);
    expect(out.deleteQuery.gone).toBe(true);
    expect(out.deleteQuery.rawBad).toBe(400);
    expect(out.pathHeader.missing).toEqual(['X-Trace-Id is required']);
    expect(out.pathHeader.tooLong).toEqual(['X-Trace-Id must be a string of at most 8 characters']);
    expect(out.pathHeader.sent).toBe('t1');
    expect(out.pathHeader.rawMissing).toBe(400);
    expect(out.pathBound.refused).toEqual(['registry_id must be an integer from 1 to 999999']);
    expect(out.pathBound.raw).toBe(400);
  });

  it.each([
    ['maxProperties', 'dns_conf.hosts', /must have 1 to 2 entries/],
    ['minProperties', 'dns_conf.hosts', /must have 1 to 2 entries/],
    ['propertyNames', 'dns_conf.hosts.UPPER.x', /is not an allowed name: must match/],
    ['format', 'dns_conf.hosts.a.x', /must be an IPv4 address/],
    ['not', 'description', /must not be "forbidden"/],
    ['const', 'kind', /must be registry/],
    ['readOnly', 'created_at', /is set by the service and cannot be sent/],
    ['pattern', 'alias', /must match \^\[a-z\]\+\$/],
    ['anyOf', 'labels.a', /must be an integer|must be a string/],
    ['multipleOf', 'priority', /must be a multiple of 5/],
    ['exclusiveMaximum', 'priority', /less than 100/],
    ['exclusiveMinimum', 'priority', /greater than 0/],
    ['maxItems', 'filters', /must have 1 to 2 items/],
    ['minItems', 'filters', /must have 1 to 2 items/],
    ['uniqueItems', 'filters', /must not hold the same item twice/],
    ['ifThen', 'dest_namespace', /is required when override is true/],
    ['dependentRequired', 'dest_namespace', /must be used together with override/],
    ['required', 'description', /is required/],
  ])('%s: refused by the client naming %s in the words of the rule, and by the emulator', (keyword, field, words) => {
    const found = out.keywords[keyword];
    expect(Array.isArray(found.client), `${keyword}: ${JSON.stringify(found)}`).toBe(true);
    const problem = (found.client as string[]).find((p) => p.startsWith(`${field} `));
    expect(problem, `${keyword}: ${JSON.stringify(found.client)}`).toMatch(words);
    expect(found.emulator).toBe(400);
    expect(found.message).toContain(field);
  });

  it('a length with a pattern: a value that breaks only the pattern is told the pattern', () => {
    expect(out.keywords.pattern.client).toEqual(['alias must match ^[a-z]+$']);
  });

  it('a new answer field is seeded from the example and answered; a removed one never answers its secret', () => {
    expect(out.policyMade).toBe('created');
    expect(out.answers.labels).toEqual({ team: 'x', n: 2 });
    expect(out.answers.seededLabels).toBeGreaterThan(0);
    expect(out.answers.rawHasSecret).toBe(false);
    expect(out.cliGet).toMatchObject({ code: 0, hasSecret: false, labels: { team: 'x', n: 2 } });
  });

  it('reach the CLI: flags and rules of each new parameter, problems named by flag', () => {
    expect(out.cli.getHelp).toMatch(/--x-language VALUE\s+Language of messages: en-us \| zh-cn/);
    expect(out.cli.deleteHelp).toMatch(/--force\b/);
    expect(out.cli.policyListHelp).toMatch(/--x-trace-id TEXT\s+A trace id/);
    expect(out.cli.createHelp).toMatch(/--alias TEXT\s+A short name/);
    expect(out.cli.createHelp).toMatch(/\$SWR_SESSION_TOKEN/);
    expect(out.cli.createHelp).toMatch(/--kind (TEXT|VALUE)\s+Always registry/);
    expect(out.cli.badHeader.code).toBe(2);
    expect(out.cli.badHeader.stderr).toMatch(/--x-language:? must be one of en-us, zh-cn/);
    expect(out.cli.missingTrace.code).toBe(2);
    expect(out.cli.missingTrace.stderr).toMatch(/--x-trace-id:? is required/);
    expect(out.cli.traced.code).toBe(0);
    expect(out.cli.badHosts.code).toBe(2);
    expect(out.cli.badHosts.stderr).toMatch(/--dns-conf-hosts:? must have 1 to 2 entries/);
    expect(out.cli.badHosts.stderr).toMatch(/--dns-conf-hosts a\.x must be an IPv4 address|dns-conf-hosts.*IPv4/);
  });

  it('reach the types: new parameters and fields typed, a removed field and an enum enforced', () => {
    writeFileSync(join(work, 'consumer.ts'), CONSUMER);
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        'consumer.ts',
      ],
      { cwd: work, encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('spec:diff calls the breaking edits major', () => {
    const r = spawnSync(
      process.execPath,
      ['scripts/spec-diff.mjs', '--base', join(root, 'generated/openapi.yaml'), '--revision', 'generated/openapi.yaml'],
      { cwd: work, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/breaking change: bump the major version/);
  });
});

describe('a keyword the validator does not honour', () => {
  it('fails generation, naming the keyword and its JSON pointer', async () => {
    const table = '../../scripts/runtime-table.mjs';
    const { buildTable } = (await import(table)) as { buildTable: (spec: unknown) => unknown };
    const spec = JSON.parse(readFileSync(join(root, 'generated/openapi.json'), 'utf8'));
    spec.components.schemas.DnsConf.properties.hosts.contains = { type: 'string' };
    expect(() => buildTable(spec)).toThrow(
      'the keyword "contains" at #/components/schemas/DnsConf/properties/hosts/contains is not honoured by the validator',
    );
    const formats = JSON.parse(readFileSync(join(root, 'generated/openapi.json'), 'utf8'));
    formats.components.schemas.Registry.properties.url.format = 'hostname';
    expect(() => buildTable(formats)).toThrow(
      'the format "hostname" at #/components/schemas/Registry/properties/url/format is not checked by the validator',
    );
  });

  it('fails generation for a request secret that names no variable for the CLI, and only then', async () => {
    const table = '../../scripts/runtime-table.mjs';
    const { buildTable } = (await import(table)) as { buildTable: (spec: unknown) => unknown };
    const spec = JSON.parse(readFileSync(join(root, 'generated/openapi.json'), 'utf8'));
    const credential = spec.components.schemas.Credential.properties;
    credential.token = { type: 'string', writeOnly: true };
    expect(() => buildTable(spec)).toThrow(
      'the secret at #/components/schemas/Credential/properties/token names no x-cli-env (the variable the CLI reads it from)',
    );
    credential.token['x-cli-env'] = 'SWR_REGISTRY_TOKEN';
    expect(() => buildTable(spec)).not.toThrow();
    // An answer's secret is never read from the environment: it needs no variable.
    expect(spec.components.schemas.RegistryCredential.properties.access_secret['x-cli-env']).toBeUndefined();
  });
});
