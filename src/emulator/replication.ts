// The behaviour no spec can state: a replication execution's progress. Running a policy
// (ExecuteInstanceReplicationPolicy, the create of the `replication` resource) makes an execution
// that starts `InProgress`, with a task per repository its filters select from the catalogue and
// a sub-task per tag; tasks start and end over `durationMs`, each failing at `failureRate`, and
// the execution ends `Succeed`, or `Failed` when a task failed. Stopping it (its update) ends every
// unfinished task, and the execution, `Stopped`. Its counts always add up: total = succeed +
// failed + stopped + in_progress (pending tasks count as in progress).
//
// Progress is read from the clock, not pushed by timers: an execution, its tasks and sub-tasks
// are brought up to date whenever a request reaches the instance, so a test's fake clock drives it.
// As Harbor does (guesses, labelled in the spec): a disabled policy is refused 412.
import { swrError, type Answer } from './errors.js';
import { select, type CatalogueRepository } from './catalogue.js';
import { MODELS, type ResourceModel } from '../spec/resources.js';
import { valueAt } from './query.js';
import { bodyOf, dangling, isAnswer, itemId, stored, type ResourceContext, type ResourceRequest } from './resources.js';
import { timestamp } from './seed.js';
import type { InstanceRef, Item } from './store.js';

export interface ReplicationOptions {
  /** How long an execution takes from start to end (default 2 000 ms). */
  durationMs?: number;
  /** The share of tasks that fail, 0 to 1 (default 0). */
  failureRate?: number;
}

/** When a task (or sub-task) runs, and how it ends. */
interface Slot {
  id: number;
  startAt: number;
  endAt: number;
  fails: boolean;
}

interface Plan {
  ref: InstanceRef;
  execution: number;
  tasks: Array<Slot & { subtasks: Slot[] }>;
  stoppedAt?: number;
  done: boolean;
}

/** A behaviour of a resource: what the emulator does where the spec cannot say. */
export interface Behaviour {
  create?(context: ResourceContext, model: ResourceModel, request: ResourceRequest): Answer;
  update?(context: ResourceContext, model: ResourceModel, request: ResourceRequest): Answer;
  /** Brings what changes with time up to date, before a request reads the instance. */
  refresh?(context: ResourceContext): void;
  /** Seeds `count` items that ran before the emulator started. */
  seed?(context: ResourceContext, model: ResourceModel, count: number): void;
}

/** The resources an execution produces, below its own ID: its tasks, and their sub-tasks. */
function producedBy(model: ResourceModel) {
  const idParameter = /\{([^}]+)\}$/.exec(model.info.item ?? '')?.[1];
  const below = [...MODELS.values()].filter((m) => m.info.produced && m.scope[0] === idParameter);
  return { tasks: below.find((m) => m.scope.length === 1)!, subtasks: below.find((m) => m.scope.length === 2)! };
}

const scopeKey = (...ids: number[]) => JSON.stringify(ids);
const statusAt = (slot: Slot, now: number, stoppedAt: number | undefined): string => {
  if (stoppedAt !== undefined && stoppedAt < slot.endAt) return 'Stopped';
  if (now < slot.startAt) return 'Pending';
  if (now < slot.endAt) return 'InProgress';
  return slot.fails ? 'Failed' : 'Succeed';
};

/** The counts of a new execution: nothing run yet. */
const NO_COUNTS = { total: 0, failed: 0, succeed: 0, in_progress: 0, stopped: 0 };

/** The word a task's status adds to its execution's counts. */
const countOf = (status: string) =>
  status === 'Succeed' ? 'succeed' : status === 'Failed' ? 'failed' : status === 'Stopped' ? 'stopped' : 'in_progress';

/** A slot's times as its item shows them at `now`: empty before it starts, its end once it has ended. */
function timesOf(slot: Slot, status: string, stop: number | undefined) {
  const ended = status !== 'Pending' && status !== 'InProgress';
  return {
    start_time: status === 'Pending' ? '' : timestamp(Math.min(slot.startAt, stop ?? slot.startAt), 0),
    end_time: ended ? timestamp(Math.min(slot.endAt, stop ?? slot.endAt), 0) : '',
  };
}

/** The replication behaviour of the executions' model, with its catalogue and seeded generator. */
class Replication implements Behaviour {
  readonly #plans = new Map<string, Plan>();
  readonly #duration: number;
  readonly #failureRate: number;
  readonly #policy: NonNullable<ResourceModel['info']['references']>[number];

  constructor(
    private readonly model: ResourceModel,
    private readonly catalogue: readonly CatalogueRepository[],
    private readonly random: () => number,
    options: ReplicationOptions,
  ) {
    this.#duration = options.durationMs ?? 2000;
    this.#failureRate = options.failureRate ?? 0;
    this.#policy = model.info.references![0]!;
  }

  create(context: ResourceContext, _model: ResourceModel, request: ResourceRequest): Answer {
    const { model } = this;
    const body = bodyOf(request.op, request.body);
    if (isAnswer(body)) return body;
    const refused = dangling(context, model, body);
    if (refused) return refused;
    const policyId = valueAt(body, this.#policy.field);
    const policy = context.store.item(context.ref, this.#policy.resource, policyId as number)!;
    if (policy.enabled !== true)
      return swrError(412, 'SVCSTG.SWR.4120001', `the ${this.#policy.resource} ${String(policyId)} is disabled`);
    const trigger = (policy.trigger as { type?: string } | undefined)?.type ?? 'manual';
    const fields = { ...body, status: 'InProgress', status_text: '', ...NO_COUNTS, trigger };
    const execution = context.store.insert(context.ref, model.info.name, stored(model, fields, undefined, context.now));
    this.#apply(context, this.#start(context, execution, policy), context.now());
    return { status: request.op.response.status, body: { [model.info.id]: execution[model.info.id] } };
  }

  update(context: ResourceContext, _model: ResourceModel, request: ResourceRequest): Answer {
    const id = itemId(this.model, request.op, request.params);
    if (isAnswer(id)) return id;
    if (!context.store.item(context.ref, this.model.info.name, id))
      return swrError(404, 'SVCSTG.SWR.4040003', `Execution ${id} not found`);
    const plan = this.#plans.get(planKey(context.ref, id));
    if (plan && !plan.done) {
      plan.stoppedAt = context.now();
      this.#apply(context, plan, plan.stoppedAt);
    }
    return { status: request.op.response.status, body: {}, text: '' };
  }

  refresh(context: ResourceContext): void {
    if (this.#plans.size === 0) return;
    const now = context.now();
    for (const plan of this.#plans.values()) {
      const elsewhere = plan.ref.projectId !== context.ref.projectId || plan.ref.instanceId !== context.ref.instanceId;
      if (!plan.done && !elsewhere) this.#apply(context, plan, now);
    }
  }

  seed(context: ResourceContext, _model: ResourceModel, count: number): void {
    const owners = context.store.items(context.ref, this.#policy.resource) ?? [];
    if (owners.length === 0) return;
    const owner = owners[0]![MODELS.get(this.#policy.resource)!.info.id];
    const started = context.now() - count * 60_000;
    for (let i = 0; i < count; i++) {
      const at = timestamp(started + i * 60_000, 0);
      context.store.insert(context.ref, this.model.info.name, {
        [this.#policy.field]: owner,
        status: 'Succeed',
        status_text: '',
        ...NO_COUNTS,
        trigger: 'manual',
        created_at: at,
        updated_at: at,
      });
    }
  }

  /** Writes the state of a plan at `now` into its execution, tasks and sub-tasks. */
  #apply(context: ResourceContext, plan: Plan, now: number): void {
    const { store, ref } = context;
    const { tasks: taskModel } = producedBy(this.model);
    const stop = plan.stoppedAt;
    const counts = { succeed: 0, failed: 0, stopped: 0, in_progress: 0 };
    const scope = scopeKey(plan.execution);
    for (const task of plan.tasks) {
      const status = statusAt(task, now, stop);
      counts[countOf(status)] += 1;
      const item = store.item(ref, taskModel.info.name, task.id, scope);
      if (item && item.status !== status) {
        const changed = { ...item, status, StatusRevision: Math.floor(now / 1000), ...timesOf(task, status, stop) };
        store.replace(ref, taskModel.info.name, changed, scope);
      }
      this.#applySubtasks(context, plan, task, now);
    }
    const status =
      counts.in_progress > 0 ? 'InProgress' : counts.stopped > 0 ? 'Stopped' : counts.failed > 0 ? 'Failed' : 'Succeed';
    const execution = store.item(ref, this.model.info.name, plan.execution);
    const changed = (Object.keys(counts) as Array<keyof typeof counts>).some((k) => execution?.[k] !== counts[k]);
    if (execution && (execution.status !== status || changed)) {
      store.replace(ref, this.model.info.name, {
        ...execution,
        ...counts,
        total: plan.tasks.length,
        status,
        status_text: status === 'Failed' ? `${counts.failed} of ${plan.tasks.length} tasks failed` : '',
        updated_at: timestamp(Math.min(now, stop ?? now), 0),
      });
    }
    plan.done = status !== 'InProgress';
  }

  /** Writes the state of a task's sub-tasks at `now`. */
  #applySubtasks(context: ResourceContext, plan: Plan, task: Plan['tasks'][number], now: number): void {
    const { store, ref } = context;
    const { subtasks: subtaskModel } = producedBy(this.model);
    const scope = scopeKey(plan.execution, task.id);
    for (const sub of task.subtasks) {
      const item = store.item(ref, subtaskModel.info.name, sub.id, scope);
      const status = statusAt(sub, now, plan.stoppedAt);
      if (!item || item.status === status) continue;
      const text = status === 'Failed' ? 'failed to copy the blob: connection reset by peer' : '';
      store.replace(
        ref,
        subtaskModel.info.name,
        { ...item, status, status_text: text, ...timesOf(sub, status, plan.stoppedAt) },
        scope,
      );
    }
  }

  /** The plan of a new execution: a task per repository its policy selects, their times and outcomes drawn. */
  #start(context: ResourceContext, execution: Item, policy: Item): Plan {
    const id = execution[this.model.info.id] as number;
    const now = context.now();
    const selected = select(this.catalogue, (policy.filters as Array<{ type: string; value: string }>) ?? []);
    const plan: Plan = { ref: context.ref, execution: id, tasks: [], done: false };
    const to = { host: this.#destinationHost(context, policy), namespace: String(policy.dest_namespace ?? '') };
    selected.forEach((repository, i) => {
      const startAt = now + (i / Math.max(1, selected.length)) * this.#duration * 0.5;
      plan.tasks.push(this.#startTask(context, id, i, repository, to, startAt, startAt + this.#duration * 0.5));
    });
    this.#plans.set(planKey(context.ref, id), plan);
    return plan;
  }

  /** The host images go to: the destination registry's, or the instance itself for a pull. */
  #destinationHost(context: ResourceContext, policy: Item): string {
    const destination = (policy.dest_registry as { id?: number } | undefined)?.id;
    const registries = MODELS.get(this.#policy.resource)!.info.references?.find((r) => r.field === 'dest_registry.id');
    const target =
      destination && registries ? context.store.item(context.ref, registries.resource, destination)?.url : undefined;
    return typeof target === 'string' ? new URL(target).host : 'this-instance';
  }

  /** One repository's task and a sub-task per tag, stored Pending; its slot and its sub-tasks' slots. */
  #startTask(
    context: ResourceContext,
    execution: number,
    index: number,
    repository: CatalogueRepository,
    to: { host: string; namespace: string },
    startAt: number,
    endAt: number,
  ): Plan['tasks'][number] {
    const { store, ref } = context;
    const { tasks: taskModel, subtasks: subtaskModel } = producedBy(this.model);
    const jobId = `job-${execution}-${index}`;
    const tags = repository.tags.map((t) => t.tag).join(',');
    const path = `${repository.namespace}/${repository.repository}`;
    const pending = { status: 'Pending', start_time: '', end_time: '' };
    const task = store.insert(
      ref,
      taskModel.info.name,
      {
        execution_id: execution,
        resource_type: 'image',
        src_resource: `${path}:[${tags}]`,
        dst_resource: `${to.host}/${to.namespace || repository.namespace}/${repository.repository}:[${tags}]`,
        operation: 'copy',
        job_id: jobId,
        StatusRevision: 0,
        ...pending,
      },
      scopeKey(execution),
    );
    const fails = this.random() < this.#failureRate;
    const step = (endAt - startAt) / repository.tags.length;
    const subtasks = repository.tags.map((tag, j) => {
      const fields = { job_id: jobId, namespace: repository.namespace, repository: repository.repository };
      const sub = store.insert(
        ref,
        subtaskModel.info.name,
        { ...fields, tag: tag.tag, digest: tag.digest, status_text: '', ...pending },
        scopeKey(execution, task.id as number),
      );
      const last = j === repository.tags.length - 1;
      return {
        id: sub.id as number,
        startAt: startAt + j * step,
        endAt: startAt + (j + 1) * step,
        fails: fails && last,
      };
    });
    return { id: task.id as number, startAt, endAt, fails, subtasks };
  }
}

const planKey = (ref: InstanceRef, id: number) => `${ref.projectId}\u0000${ref.instanceId}\u0000${id}`;

/** Creates the replication behaviour of the executions' model, with its catalogue and seeded generator. */
export function createReplication(
  model: ResourceModel,
  catalogue: readonly CatalogueRepository[],
  random: () => number,
  options: ReplicationOptions = {},
): Behaviour {
  return new Replication(model, catalogue, random, options);
}
