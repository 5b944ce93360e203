// swr-registries: a client for Huawei Cloud SWR Enterprise Edition's ListInstanceRegistries.
export { createSwrClient } from './client.js';
export type { CallOptions, ListRegistriesResult, PageQuery, SwrClient, SwrClientOptions, TokenAuth } from './client.js';
export { SwrApiError, SwrValidationError } from './errors.js';
export type { SwrErrorKind } from './errors.js';
export { REGIONS, endpointFor } from './endpoints.js';
export type { Region } from './endpoints.js';
export { cachedToken } from './auth/token.js';
export type { TokenRequest, TokenSource } from './auth/token.js';
export { createSigner } from './auth/sign.js';
export type { AkSkCredentials, RequestSigner, SignerOptions } from './auth/sign.js';
export { DEFAULT_RETRY } from './retry.js';
export type { RetryOptions, SwrLogEvent, SwrLogger } from './retry.js';
export { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE } from './pagination.js';
export type { ListAllResult, Page, PageOptions, WalkSummary } from './pagination.js';
export { ORDER_COLUMNS, ORDER_TYPES, validateListQuery } from './validate.js';
export type { ListRegistriesBody, ListRegistriesQuery } from './validate.js';
export type { Credential, Registry, RegistryStatus, RegistryType } from '../generated/schema.js';
