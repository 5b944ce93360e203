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

/** Creates the replication behaviour of the executions' model, with its catalogue and seeded generator. */
export function createReplication(
  model: ResourceModel,
  catalogue: readonly CatalogueRepository[],
  random: () => number,
  options: ReplicationOptions = {},
): Behaviour {
  const plans = new Map<string, Plan>();
  const duration = options.durationMs ?? 2000;
  const failureRate = options.failureRate ?? 0;
  const key = (ref: InstanceRef, id: number) => `${ref.projectId}\u0000${ref.instanceId}\u0000${id}`;
  const policyReference = model.info.references![0]!;
  const policyModel = () => MODELS.get(policyReference.resource)!;

  /** Writes the state of a plan at `now` into its execution, tasks and sub-tasks. */
  function apply(context: ResourceContext, model: ResourceModel, plan: Plan, now: number) {
    const { store, ref } = context;
    const { tasks: taskModel, subtasks: subtaskModel } = producedBy(model);
    const stop = plan.stoppedAt;
    const counts = { succeed: 0, failed: 0, stopped: 0, in_progress: 0 };
    const time = (at: number) => timestamp(at, 0);
    for (const task of plan.tasks) {
      const status = statusAt(task, now, stop);
      counts[
        status === 'Succeed'
          ? 'succeed'
          : status === 'Failed'
            ? 'failed'
            : status === 'Stopped'
              ? 'stopped'
              : 'in_progress'
      ] += 1;
      const scope = scopeKey(plan.execution);
      const item = store.item(ref, taskModel.info.name, task.id, scope);
      const ended = status !== 'Pending' && status !== 'InProgress';
      if (item && item.status !== status) {
        store.replace(
          ref,
          taskModel.info.name,
          {
            ...item,
            status,
            StatusRevision: Math.floor(now / 1000),
            start_time: status === 'Pending' ? '' : time(Math.min(task.startAt, stop ?? task.startAt)),
            end_time: ended ? time(Math.min(task.endAt, stop ?? task.endAt)) : '',
          },
          scope,
        );
      }
      for (const sub of task.subtasks) {
        const subScope = scopeKey(plan.execution, task.id);
        const subItem = store.item(ref, subtaskModel.info.name, sub.id, subScope);
        const subStatus = statusAt(sub, now, stop);
        if (subItem && subItem.status !== subStatus) {
          const subEnded = subStatus !== 'Pending' && subStatus !== 'InProgress';
          store.replace(
            ref,
            subtaskModel.info.name,
            {
              ...subItem,
              status: subStatus,
              status_text: subStatus === 'Failed' ? 'failed to copy the blob: connection reset by peer' : '',
              start_time: subStatus === 'Pending' ? '' : time(Math.min(sub.startAt, stop ?? sub.startAt)),
              end_time: subEnded ? time(Math.min(sub.endAt, stop ?? sub.endAt)) : '',
            },
            subScope,
          );
        }
      }
    }
    const status =
      counts.in_progress > 0 ? 'InProgress' : counts.stopped > 0 ? 'Stopped' : counts.failed > 0 ? 'Failed' : 'Succeed';
    const execution = store.item(ref, model.info.name, plan.execution);
    if (
      execution &&
      (execution.status !== status ||
        execution.in_progress !== counts.in_progress ||
        execution.succeed !== counts.succeed ||
        execution.failed !== counts.failed)
    ) {
      store.replace(ref, model.info.name, {
        ...execution,
        ...counts,
        total: plan.tasks.length,
        status,
        status_text: status === 'Failed' ? `${counts.failed} of ${plan.tasks.length} tasks failed` : '',
        updated_at: time(Math.min(now, stop ?? now)),
      });
    }
    plan.done = status !== 'InProgress';
  }

  /** The plan of a new execution: its tasks and sub-tasks stored, their times and outcomes drawn. */
  function start(context: ResourceContext, model: ResourceModel, execution: Item, policy: Item): Plan {
    const { store, ref } = context;
    const { tasks: taskModel, subtasks: subtaskModel } = producedBy(model);
    const id = execution[model.info.id] as number;
    const now = context.now();
    const selected = select(catalogue, (policy.filters as Array<{ type: string; value: string }>) ?? []);
    // The host images go to: the destination registry's URL, or the instance itself for a pull.
    const destination = (policy.dest_registry as { id?: number } | undefined)?.id;
    const registries = MODELS.get(policyModel().info.name)!.info.references?.find(
      (r) => r.field === 'dest_registry.id',
    );
    const target = destination && registries ? store.item(ref, registries.resource, destination)?.url : undefined;
    const host = typeof target === 'string' ? new URL(target).host : 'this-instance';
    const namespace = String(policy.dest_namespace ?? '');
    const plan: Plan = { ref, execution: id, tasks: [], done: false };
    selected.forEach((repository, i) => {
      const startAt = now + (i / Math.max(1, selected.length)) * duration * 0.5;
      const endAt = startAt + duration * 0.5;
      const jobId = `job-${id}-${i}`;
      const tags = repository.tags.map((t) => t.tag).join(',');
      const path = `${repository.namespace}/${repository.repository}`;
      const task = store.insert(
        ref,
        taskModel.info.name,
        {
          execution_id: id,
          resource_type: 'image',
          src_resource: `${path}:[${tags}]`,
          dst_resource: `${host}/${namespace || repository.namespace}/${repository.repository}:[${tags}]`,
          operation: 'copy',
          job_id: jobId,
          status: 'Pending',
          StatusRevision: 0,
          start_time: '',
          end_time: '',
        },
        scopeKey(id),
      );
      const fails = random() < failureRate;
      const step = (endAt - startAt) / repository.tags.length;
      const subtasks = repository.tags.map((tag, j) => {
        const sub = store.insert(
          ref,
          subtaskModel.info.name,
          {
            job_id: jobId,
            namespace: repository.namespace,
            repository: repository.repository,
            tag: tag.tag,
            digest: tag.digest,
            status: 'Pending',
            status_text: '',
            start_time: '',
            end_time: '',
          },
          scopeKey(id, task.id as number),
        );
        return {
          id: sub.id as number,
          startAt: startAt + j * step,
          endAt: startAt + (j + 1) * step,
          fails: fails && j === repository.tags.length - 1,
        };
      });
      plan.tasks.push({ id: task.id as number, startAt, endAt, fails, subtasks });
    });
    plans.set(key(ref, id), plan);
    return plan;
  }

  return {
    create(context, _model, request) {
      const body = bodyOf(request.op, request.body);
      if (isAnswer(body)) return body;
      const refused = dangling(context, model, body);
      if (refused) return refused;
      const policyId = valueAt(body, policyReference.field);
      const policy = context.store.item(context.ref, policyReference.resource, policyId as number)!;
      if (policy.enabled !== true)
        return swrError(412, 'SVCSTG.SWR.4120001', `the ${policyReference.resource} ${String(policyId)} is disabled`);
      const trigger = (policy.trigger as { type?: string } | undefined)?.type ?? 'manual';
      const fields = {
        ...body,
        status: 'InProgress',
        status_text: '',
        total: 0,
        failed: 0,
        succeed: 0,
        in_progress: 0,
        stopped: 0,
        trigger,
      };
      const execution = context.store.insert(
        context.ref,
        model.info.name,
        stored(model, fields, undefined, context.now),
      );
      apply(context, model, start(context, model, execution, policy), context.now());
      return { status: request.op.response.status, body: { [model.info.id]: execution[model.info.id] } };
    },

    update(context, _model, request) {
      const id = itemId(model, request.op, request.params);
      if (isAnswer(id)) return id;
      if (!context.store.item(context.ref, model.info.name, id))
        return swrError(404, 'SVCSTG.SWR.4040003', `Execution ${id} not found`);
      const plan = plans.get(key(context.ref, id));
      if (plan && !plan.done) {
        plan.stoppedAt = context.now();
        apply(context, model, plan, plan.stoppedAt);
      }
      return { status: request.op.response.status, body: {}, text: '' };
    },

    refresh(context) {
      if (plans.size === 0) return;
      const now = context.now();
      for (const plan of plans.values()) {
        if (plan.done || plan.ref.projectId !== context.ref.projectId || plan.ref.instanceId !== context.ref.instanceId)
          continue;
        apply(context, model, plan, now);
      }
    },

    seed(context, _model, count) {
      const owners = context.store.items(context.ref, policyReference.resource) ?? [];
      if (owners.length === 0) return;
      const owner = owners[0]![policyModel().info.id];
      const started = context.now() - count * 60_000;
      for (let i = 0; i < count; i++) {
        const at = timestamp(started + i * 60_000, 0);
        context.store.insert(context.ref, model.info.name, {
          [policyReference.field]: owner,
          status: 'Succeed',
          status_text: '',
          total: 0,
          failed: 0,
          succeed: 0,
          in_progress: 0,
          stopped: 0,
          trigger: 'manual',
          created_at: at,
          updated_at: at,
        });
      }
    },
  };
}
