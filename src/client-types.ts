// The client's types, derived from the generated method and walker tables (one entry per
// operation, named by its `x-method`, documented by its summary) and the generated `operations`
// of openapi-typescript. Nothing here names an operation, schema or field: a spec edit and
// `npm run generate` change every signature, and a homomorphic mapping keeps each method's docs.
import type { FollowTable, MethodTable, ResourceTable, WalkerTable } from '../generated/operations.js';
import type { operations as Operations } from '../generated/schema.js';
import type { CallOptions } from './request/call-operation.js';
import type { Difference } from './request/read-answer.js';
import type { FollowOptions, FollowResult } from './workflows/follow.js';
import type { ListAllResult, Page, PageOptions, WalkSummary } from './workflows/pagination.js';

/** What every result carries besides the body. */
export interface CallMeta {
  requestId: string | undefined;
  attempts: number;
  /** How the answer differs from the spec, field by field (empty when it complies). */
  differences: Difference[];
}

type Op<D> = D extends { readonly operationId: infer Id extends keyof Operations } ? Operations[Id] : never;
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 | 203 | 206 ? Json<R[S]> : never }[keyof R]
  : never;
type BodyOf<O> = O extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Part<P> = [NonNullable<P>] extends [never] ? {} : NonNullable<P>;
type ParamsOf<O> = O extends { parameters: { query?: infer Q; header?: infer H } } ? Part<Q> & Part<H> : {};
type BodyArg<O> = [BodyOf<O>] extends [never] ? [] : [body: BodyOf<O>];
type Outcome<K> = K extends 'create'
  ? {
      /** `found`: the name was taken by one with the same settings (an earlier attempt's, or there before), whose ID this is. */
      outcome: 'created' | 'found';
    }
  : K extends 'delete'
    ? {
        /** `gone`: a retried delete found it already deleted (by its own first attempt). */
        outcome: 'deleted' | 'gone';
      }
    : {};

type MethodDescriptor = {
  readonly operationId: keyof Operations;
  readonly args: readonly unknown[];
  readonly params: boolean;
  readonly result: 'json' | 'none';
  readonly outcome: 'create' | 'delete' | 'none';
};
type ResultOf<D extends MethodDescriptor> = (D['result'] extends 'json' ? Success<Op<D>> & CallMeta : CallMeta) &
  Outcome<D['outcome']>;
type ArgsOf<D extends MethodDescriptor> = [
  ...D['args'],
  ...BodyArg<Op<D>>,
  ...(D['params'] extends true ? [params?: ParamsOf<Op<D>>] : []),
  options?: CallOptions,
];
/** One method of the client, typed from its operation. */
export type MethodOf<D extends MethodDescriptor> = (...args: ArgsOf<D>) => Promise<ResultOf<D>>;

type WalkerDescriptor = {
  readonly operationId: keyof Operations;
  readonly args: readonly unknown[];
  readonly kind: 'items' | 'pages' | 'all';
  readonly items: string;
  readonly paging: string;
};
type ItemOf<D extends WalkerDescriptor> =
  Success<Op<D>> extends infer B ? (B extends Partial<Record<D['items'], infer A>> ? NonNullable<A> : never) : never;
type Element<A> = A extends readonly (infer E)[] ? E : never;
/** A walker's query: the list's parameters, less the paging ones, which are the walker's. */
type WalkQuery<D extends WalkerDescriptor> = Omit<ParamsOf<Op<D>>, D['paging']>;
type WalkArgs<D extends WalkerDescriptor> = [...D['args'], query?: WalkQuery<D>, options?: PageOptions];
/** One walker of the client, typed from its list operation. */
export type WalkerOf<D extends WalkerDescriptor> = D['kind'] extends 'items'
  ? (...args: WalkArgs<D>) => AsyncGenerator<Element<ItemOf<D>>, WalkSummary>
  : D['kind'] extends 'pages'
    ? (...args: WalkArgs<D>) => AsyncGenerator<Page<Element<ItemOf<D>>, D['items']>, WalkSummary>
    : (...args: WalkArgs<D>) => Promise<ListAllResult<Element<ItemOf<D>>, D['items']>>;

type FollowDescriptor = {
  readonly operationId: keyof Operations;
  readonly args: readonly unknown[];
  readonly list: keyof Operations;
  readonly items: string;
};
type RowOf<D extends FollowDescriptor> =
  Success<Operations[D['list']]> extends infer B
    ? B extends Partial<Record<D['items'], infer A>>
      ? Element<NonNullable<A>>
      : never
    : never;
/** A workflow of the client that runs an operation and follows what it started, typed from both operations. */
export type FollowerOf<D extends FollowDescriptor> = (
  ...args: [...D['args'], ...BodyArg<Operations[D['operationId']]>, options?: FollowOptions]
) => Promise<FollowResult & { row: RowOf<D> }>;

/** Every operation of the spec as a method, by its `x-method` name. */
export type OperationMethods = { -readonly [K in keyof MethodTable]: MethodOf<MethodTable[K]> };
/** The walkers of every list operation, by their `x-walkers` names. */
export type WalkerMethods = { -readonly [K in keyof WalkerTable]: WalkerOf<WalkerTable[K]> };
/** The workflows that follow what an operation started, by their `x-follow` names. */
export type FollowMethods = { -readonly [K in keyof FollowTable]: FollowerOf<FollowTable[K]> };

/** The name of a method of the client. */
export type MethodName = keyof MethodTable;
/** The arguments of a method, in order: `MethodArgs<'getRegistry'>` is `[instanceId, registryId, options?]`. */
export type MethodArgs<M extends MethodName> = ArgsOf<MethodTable[M]>;
/** The request body a method sends: `MethodBody<'createRegistry'>`. */
export type MethodBody<M extends MethodName> = BodyOf<Op<MethodTable[M]>>;
/** The query and header parameters a method takes: `MethodParams<'listRegistries'>`. */
export type MethodParams<M extends MethodName> = ParamsOf<Op<MethodTable[M]>>;
/** What a method resolves to: the answer's body, its meta and its outcome. */
export type MethodResult<M extends MethodName> = ResultOf<MethodTable[M]>;
/** The name of a walker of the client. */
export type WalkerName = keyof WalkerTable;
/** One item that a walker yields: `WalkerItem<'registries'>` is a `Registry`. */
export type WalkerItem<W extends WalkerName> = Element<ItemOf<WalkerTable[W]>>;
/** The query a walker takes: its list's parameters, less the paging ones. */
export type WalkerQuery<W extends WalkerName> = WalkQuery<WalkerTable[W]>;
/** The name of a resource the spec declares (`x-resource`). */
export type ResourceName = keyof ResourceTable;
/** One item of a resource, as its list operation answers it: `ResourceItem<'registry'>` is a `Registry`. */
export type ResourceItem<R extends ResourceName> = RowOf<{
  readonly operationId: ResourceTable[R]['list'];
  readonly args: [];
  readonly list: ResourceTable[R]['list'];
  readonly items: ResourceTable[R]['items'];
}>;
