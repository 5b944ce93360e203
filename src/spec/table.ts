// The runtime table (generated/operations.js), read: the operations with their parameters, body
// and answer schemas, and the few questions every reader of it asks (which parameters live where,
// which names one item, what a list's items look like).
import {
  operations,
  type JsonSchema,
  type OperationInfo,
  type PaginationInfo,
  type ParameterInfo,
} from '../../generated/operations.js';
import { resolve } from './validate.js';

export type { JsonSchema, OperationInfo, PaginationInfo, ParameterInfo };
export { operations };
export type OperationId = keyof typeof operations;
/** One operation of the table. */
export type Operation = OperationInfo;
/** A list operation: one with offset paging. */
export type ListOperation = Operation & { pagination: PaginationInfo };

/** Every operation of the spec, in the spec's order. */
export const OPERATIONS: readonly Operation[] = Object.values(operations);

/** The operation of an operationId (one the spec's extensions name). */
export function operation(id: string): Operation {
  const found = (operations as Record<string, Operation>)[id];
  if (!found) throw new Error(`the runtime table has no operation ${id}`);
  return found;
}

/** The parameters of an operation that live in one place (`path`, `query` or `header`). */
export function parametersIn(op: Operation, where: ParameterInfo['in']): readonly ParameterInfo[] {
  return op.parameters.filter((p) => p.in === where);
}

/** Whether an operation takes query or header parameters (its methods then take a params object). */
export const takesParams = (op: Operation): boolean => op.parameters.some((p) => p.in === 'query' || p.in === 'header');

/** The path parameter that names one item (`registry_id`): the last of the path, when the path ends in it. */
export function itemParameter(op: Operation): ParameterInfo | undefined {
  const last = /\{([^}]+)\}$/.exec(op.path)?.[1];
  return last === undefined ? undefined : parametersIn(op, 'path').find((p) => p.name === last);
}

/** The schema of one listed item: the array that `x-pagination.items` names in the response. */
export function itemSchema(op: ListOperation): JsonSchema {
  const items = resolve(op.response.schema!).properties?.[op.pagination.items];
  return resolve(resolve(items!).items!);
}

/** Whether an operation lists with offset paging. */
export const isList = (op: Operation): op is ListOperation => op.pagination !== undefined;
