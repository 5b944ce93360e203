// The 2.0 names of the registry types, kept so code written against 2.0 still compiles. Each one
// resolves through the generated tables by method name: a spec that drops the method turns the
// alias into `never` (a breaking change `spec:diff` reports) instead of breaking this build.
import type {
  MethodArgs,
  MethodBody,
  MethodName,
  MethodParams,
  MethodResult,
  WalkerName,
  WalkerQuery,
} from './client-types.js';

type Body<M extends string> = M extends MethodName ? MethodBody<M> : never;
type Result<M extends string> = M extends MethodName ? MethodResult<M> : never;

/** @deprecated Use `MethodBody<'createRegistry'>`. */
export type CreateRegistryBody = Body<'createRegistry'>;
/** @deprecated Use `MethodBody<'updateRegistry'>`. */
export type UpdateRegistryBody = Body<'updateRegistry'>;
/** @deprecated Use `MethodResult<'createRegistry'>`. */
export type CreateRegistryResult = Result<'createRegistry'>;
/** @deprecated Use `MethodResult<'deleteRegistry'>`. */
export type DeleteRegistryResult = Result<'deleteRegistry'>;
/** @deprecated Use `MethodResult<'getRegistry'>`. */
export type RegistryResult = Result<'getRegistry'>;
/** @deprecated Use `MethodResult<'listRegistries'>`. */
export type ListRegistriesResult = Result<'listRegistries'>;
/** @deprecated Use `MethodParams<'listRegistries'>`. */
export type ListRegistriesQuery = 'listRegistries' extends MethodName ? MethodParams<'listRegistries'> : never;
/** @deprecated Use `ListInstanceRegistriesResponse`. */
export type ListRegistriesBody = Omit<ListRegistriesResult, 'requestId' | 'attempts' | 'differences'>;
/** @deprecated Use `WalkerQuery<'registries'>`. */
export type PageQuery = 'registries' extends WalkerName ? WalkerQuery<'registries'> : never;
/** @deprecated Use `MethodArgs<'getRegistry'>[1]`. */
export type RegistryId = 'getRegistry' extends MethodName ? MethodArgs<'getRegistry'>[1] : never;
