// swr-registries: a client for Huawei Cloud SWR Enterprise Edition's image replication, its
// target registries and replication policies. Every method comes from the spec (see client.ts);
// the types of its schemas are re-exported whole from the generated ones.
export { createSwrClient } from './client.js';
export type { CallOptions, SwrClient, SwrClientOptions } from './client.js';
export type {
  CallMeta,
  MethodArgs,
  MethodBody,
  MethodName,
  MethodParams,
  MethodResult,
  WalkerItem,
  WalkerName,
  WalkerQuery,
} from './client-types.js';
export type { Auth, AkSkProviderAuth, TokenAuth } from './auth/credentials.js';
export { SwrApiError, SwrValidationError } from './errors.js';
export type { SwrErrorKind } from './errors.js';
export { REGIONS, endpointFor } from './endpoints.js';
export type { Region } from './endpoints.js';
export { cachedCredentials, cachedToken } from './auth/providers.js';
export type { AkSkCredentials, AkSkProvider, CredentialRequest, TokenSource } from './auth/providers.js';
export { createSigner } from './auth/sign.js';
export type { RequestSigner, SignerOptions } from './auth/sign.js';
export { DEFAULT_RETRY } from './request/retry-policy.js';
export type { RetryOptions } from './request/retry-policy.js';
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from './options.js';
export type {
  SwrAttemptEvent,
  SwrDifferenceEvent,
  SwrLogEvent,
  SwrLogger,
  SwrWarningEvent,
} from './request/retrying-fetch.js';
export type { Difference } from './request/read-answer.js';
export { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE } from './workflows/pagination.js';
export type { ListAllResult, Page, PageOptions, WalkSummary } from './workflows/pagination.js';
export type { Problem, ProblemKind } from './spec/validate.js';
export type * from './compat.js';
// The spec's own types (`Registry`, `CreateRegistryRequestBody`, `paths`, `operations`...), as
// `swr-registries/types` exports them: type-only, nothing at run time.
export type * from '../generated/schema.js';
