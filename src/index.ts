// swr-registries: a client for Huawei Cloud SWR Enterprise Edition's image-replication registries.
export { createSwrClient } from './client.js';
export type {
  CallMeta,
  CallOptions,
  CreateRegistryBody,
  CreateRegistryResult,
  DeleteRegistryResult,
  ListRegistriesBody,
  ListRegistriesQuery,
  ListRegistriesResult,
  PageQuery,
  RegistryId,
  RegistryResult,
  SwrClient,
  UpdateRegistryBody,
  SwrClientOptions,
} from './client.js';
export type { Auth, AkSkProviderAuth, TokenAuth } from './auth/credentials.js';
export { SwrApiError, SwrValidationError } from './errors.js';
export type { SwrErrorKind } from './errors.js';
export { REGIONS, endpointFor } from './endpoints.js';
export type { Region } from './endpoints.js';
export { cachedCredentials, cachedToken } from './auth/providers.js';
export type { AkSkCredentials, AkSkProvider, CredentialRequest, TokenSource } from './auth/providers.js';
export { createSigner } from './auth/sign.js';
export type { RequestSigner, SignerOptions } from './auth/sign.js';
export { DEFAULT_RETRY } from './retry.js';
export type { RetryOptions } from './retry.js';
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from './options.js';
export type { SwrAttemptEvent, SwrDifferenceEvent, SwrLogEvent, SwrLogger } from './transport.js';
export { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE } from './pagination.js';
export type { ListAllResult, Page, PageOptions, WalkSummary } from './pagination.js';
export { checkRequest, operations, readAnswer } from './operation.js';
export type { CheckedRequest, Difference, OperationId, RequestInput } from './operation.js';
export type { Problem, ProblemKind } from './validate.js';
export type {
  CreateRegistryRequestBody,
  Credential,
  DnsConf,
  Registry,
  RegistryCredential,
  RegistryStatus,
  RegistryType,
  UpdateRegistryRequestBody,
} from '../generated/schema.js';
