// `npm start`: the quick start, built from the spec rather than written per operation. It starts
// the emulator in this process, lists every item of the first resource through the real client
// (AK/SK signing, concurrent pagination), takes one through its life from the spec's example
// (created twice: the second create finds the first; shown, updated), makes an item of each
// resource that references it (a replication policy towards it), runs what the spec says can be
// followed (`x-follow`) and follows it to its end, shows what the run did, and deletes everything
// again: the referenced item only once nothing references it.
import { createSwrClient, SwrApiError, type SwrClient } from '../index.js';
import { startEmulator } from '../emulator/index.js';
import { MODELS, type ResourceModel } from '../spec/resources.js';
import { OPERATIONS } from '../spec/table.js';
import { resolve } from '../spec/validate.js';
import { DOCS_FILE } from './docs.js';
import { keyValue, masked, table, type Shape } from './output.js';
import type { Io } from './usage.js';

type Method = (...args: unknown[]) => Promise<Record<string, unknown>>;
type Item = Record<string, unknown>;

const shapeOf = (model: ResourceModel): Shape => ({
  schema: model.item,
  secrets: model.secrets,
  noun: model.info.name,
});

/** Sets a value at a dotted path, making the objects on the way. */
function setPath(item: Item, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = item;
  for (const key of keys.slice(0, -1)) at = (at[key] = { ...(at[key] as Item) }) as Item;
  at[keys[keys.length - 1]!] = value;
}

/** A create body from a model's first example: its unique fields made the demo's, its references pointed at `made`. */
function bodyFor(model: ResourceModel, made: Map<string, unknown>): Item {
  const body = structuredClone(model.info.examples[0] as Item);
  for (const field of model.info.unique ?? []) body[field] = `demo-${String(body[field])}`;
  for (const ref of model.info.references ?? []) {
    const [top] = ref.field.split('.');
    if (made.has(ref.resource) && (body[top!] !== undefined || !ref.field.includes('.')))
      setPath(body, ref.field, made.get(ref.resource));
  }
  return body;
}

/** The first optional text field of a create body with no rule of its own (a description), to show an update with. */
function optionalText(model: ResourceModel): string | undefined {
  const body = resolve(model.create!.body!.schema);
  return Object.entries(body.properties ?? {}).find(([name, field]) => {
    const s = resolve(field);
    const rules = [s.pattern, s.format, s.enum, s.minLength, s.maxLength].some((r) => r !== undefined);
    return (
      s.type === 'string' &&
      !rules &&
      !(body.required ?? []).includes(name) &&
      !(model.info.unique ?? []).includes(name)
    );
  })?.[0];
}

/** What every step of the demo shares. */
interface Demo {
  io: Io;
  out: (line?: string) => void;
  color: boolean;
  call: (name: string) => Method;
  instance: string;
  emu: Awaited<ReturnType<typeof startEmulator>>;
  /** The IDs of the items the demo made, by resource, to point references at. */
  made: Map<string, unknown>;
}

/** Runs the demo; returns the exit code. */
export async function runDemo(io: Io): Promise<number> {
  const [first, ...others] = [...MODELS.values()].filter((m) => m.create && m.info.examples.length > 0);
  if (!first) throw new Error('the spec declares no resource with a create example');
  const count = 240;
  const emu = await startEmulator({
    items: { [first.info.name]: count },
    latencyMs: { min: 5, max: 15 },
    replication: { durationMs: 1500 },
  });
  try {
    const swr = createSwrClient({ endpoint: emu.url, projectId: emu.projectId, auth: emu.credentials });
    const demo: Demo = {
      io,
      out: (line = '') => io.stdout.write(`${line}\n`),
      color: Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env),
      call: (name) => (swr as unknown as Record<string, Method>)[name]!,
      instance: emu.instanceId,
      emu,
      made: new Map(),
    };
    demo.out(
      `Emulator on ${emu.url} (project ${emu.projectId}, instance ${emu.instanceId}, ${count} ${first.list.pagination.items})`,
    );
    await listEverything(demo, first);
    const id = await throughItsLife(demo, first);
    const referencing = await makeReferencing(demo, others);
    await followARun(demo);
    await deleteEverything(demo, first, id, referencing);
    demo.out(`API docs (offline): ${DOCS_FILE}`);
    demo.out('  serve them with `npm run docs` (or `npx swr-registries docs`)');
    demo.out('Next: `npx swr-registries emulator` and `npx swr-registries --help`.');
    return 0;
  } finally {
    await emu.close();
  }
}

/** Every item of the first resource, through the real client: AK/SK signing, concurrent pages. */
async function listEverything(demo: Demo, first: ResourceModel): Promise<void> {
  const { out, emu } = demo;
  out(
    `Listing every ${first.info.name} with AK/SK signing and concurrent pagination (page size 50, concurrency 4)...\n`,
  );
  const t0 = performance.now();
  const { tieFreeOrder } = first.list.pagination;
  const all = await demo.call(first.list.walkers!.all)(demo.instance, tieFreeOrder ?? {}, {
    pageSize: 50,
    concurrency: 4,
  });
  const ms = performance.now() - t0;
  const items = all.items as Item[];
  const shape = shapeOf(first);
  demo.io.stdout.write(
    table(
      shape,
      items.slice(0, 15).map((i) => masked(shape, i)),
      { color: demo.color },
    ),
  );
  out(`... ${items.length - 15} more\n`);
  out(
    `${items.length} of ${String(all.total)} in ${String(all.pages)} pages, ${ms.toFixed(0)} ms; duplicates dropped: ${String(all.duplicatesDropped)}; ${emu.stats.requests} signed requests, at most ${emu.stats.maxInFlight} at once.\n`,
  );
}

/** One item from the spec's example: created twice (the second finds the first), shown, updated. Returns its ID. */
async function throughItsLife(demo: Demo, first: ResourceModel): Promise<unknown> {
  const { out, call, instance } = demo;
  const noun = first.info.name;
  const body = bodyFor(first, demo.made);
  const created = await call(first.create!.name)(instance, body);
  const again = await call(first.create!.name)(instance, body);
  const id = created[first.info.id];
  demo.made.set(noun, id);
  out(`A ${noun} from the spec's example, through the client:`);
  out(
    `  create ${String(body[first.info.unique?.[0] ?? first.info.id])}: id ${String(id)} (${String(created.outcome)}); the same create again: id ${String(again[first.info.id])} (${String(again.outcome)})`,
  );
  const shown = await call(first.show!.name)(instance, id);
  const { requestId: _r, attempts: _a, differences: _d, ...answer } = shown;
  out(`  get ${String(id)}:`);
  out(keyValue(masked(shapeOf(first), answer), '    ').trimEnd());
  const text = optionalText(first);
  if (first.update && text) {
    await call(first.update.name)(instance, id, { ...body, [text]: `${String(body[text])} (updated by the demo)` });
    const now = (await call(first.show!.name)(instance, id))[text];
    out(`  update ${String(id)}: ${text} is now ${JSON.stringify(now)}`);
  }
  out();
  return id;
}

/** An item of each resource that references what the demo made, from its example. */
async function makeReferencing(demo: Demo, others: readonly ResourceModel[]) {
  const made: Array<{ model: ResourceModel; id: unknown }> = [];
  for (const model of others) {
    const references = (model.info.references ?? []).filter((r) => demo.made.has(r.resource));
    if (references.length === 0 || model.info.behaviour) continue;
    const item = await demo.call(model.create!.name)(demo.instance, bodyFor(model, demo.made));
    demo.made.set(model.info.name, item[model.info.id]);
    made.push({ model, id: item[model.info.id] });
    const named = [...new Set(references.map((r) => `${r.resource} ${String(demo.made.get(r.resource))}`))].join(', ');
    demo.out(
      `A ${model.info.name} that references ${named}: id ${String(item[model.info.id])} (${String(item.outcome)})`,
    );
  }
  return made;
}

/** The run the spec says can be followed (`x-follow`), followed to its end; then what it did. */
async function followARun(demo: Demo): Promise<void> {
  const byFollow = OPERATIONS.find((op) => op.follow);
  const runModel = byFollow && [...MODELS.values()].find((m) => m.create === byFollow);
  const reference = runModel?.info.references?.[0];
  if (!byFollow || !runModel || !reference || !demo.made.has(reference.resource)) return;
  const follow = byFollow.follow!;
  demo.out(`Running ${reference.resource} ${String(demo.made.get(reference.resource))} and following it to its end:`);
  const result = (await demo.call(follow.method)(
    demo.instance,
    { [reference.field]: demo.made.get(reference.resource) },
    {
      intervalMs: 200,
      onProgress: (row: Item) =>
        demo.out(
          `  ${String(row[follow.status])}: ${(follow.progress ?? []).map((f) => `${f} ${String(row[f])}`).join(', ')}`,
        ),
    },
  )) as unknown as { row: Item; polls: number };
  const runId = result.row[runModel.info.id];
  demo.out(
    `  ${runModel.info.name} ${String(runId)}: ${String(result.row[follow.status])} after ${result.polls} polls`,
  );
  const produced = [...MODELS.values()].find((m) => m.info.produced && m.scope.length === 1);
  if (produced?.list.walkers) {
    const tasks = await demo.call(produced.list.walkers.all)(demo.instance, runId);
    const shown = table(shapeOf(produced), tasks.items as Item[], { color: demo.color });
    demo.io.stdout.write(`${shown.trimEnd().replace(/^/gm, '  ')}\n`);
  }
  demo.out();
}

/** Everything deleted again: the referenced item only once nothing references it (Harbor's 412). */
async function deleteEverything(
  demo: Demo,
  first: ResourceModel,
  id: unknown,
  referencing: ReadonlyArray<{ model: ResourceModel; id: unknown }>,
): Promise<void> {
  if (!first.remove) return;
  const { call, instance } = demo;
  const noun = first.info.name;
  const refused = await call(first.remove.name)(instance, id).catch((error: unknown) => error);
  if (refused instanceof SwrApiError)
    demo.out(
      `delete ${noun} ${String(id)} while it is referenced: ${refused.status} ${refused.kind} (${refused.errorMsg ?? ''})`,
    );
  for (const { model, id: other } of [...referencing].reverse()) {
    const deleted = await call(model.remove!.name)(instance, other);
    demo.out(`delete ${model.info.name} ${String(other)}: ${String(deleted.outcome)}`);
  }
  const deleted = await call(first.remove.name)(instance, id);
  const gone = await call(first.show!.name)(instance, id).catch((error: unknown) => error);
  const now = gone instanceof SwrApiError ? `${gone.status} ${gone.kind}` : 'still there?';
  demo.out(`delete ${noun} ${String(id)}: ${String(deleted.outcome)}; get it now: ${now}`);
  demo.out();
}
