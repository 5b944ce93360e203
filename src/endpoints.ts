import { SwrValidationError } from './errors.js';

/** The 35 regions Huawei's SDKs know for SWR, in their order (api-facts.md §2). */
export const REGIONS = [
  'af-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'cn-east-2',
  'cn-east-3',
  'cn-east-4',
  'cn-north-1',
  'cn-north-2',
  'cn-north-4',
  'cn-south-1',
  'cn-south-2',
  'cn-southwest-2',
  'ru-northwest-2',
  'la-south-2',
  'sa-brazil-1',
  'cn-north-9',
  'cn-north-11',
  'na-mexico-1',
  'la-north-2',
  'tr-west-1',
  'ae-ad-1',
  'eu-west-101',
  'ru-moscow-1',
  'my-kualalumpur-1',
  'me-east-1',
  'eu-west-0',
  'ap-southeast-5',
  'cn-east-5',
  'af-north-1',
  'ap-southeast-4',
  'cn-south-4',
  'cn-southwest-3',
  'cn-north-12',
  'sa-peru-1',
] as const;

export type Region = (typeof REGIONS)[number];

/** The SWR API endpoint of a region; `eu-west-101` alone lives on the `.eu` domain. */
export function endpointFor(region: string): string {
  if (!(REGIONS as readonly string[]).includes(region)) {
    throw new SwrValidationError(
      'region',
      `must be one of the ${REGIONS.length} SWR regions (e.g. cn-north-4)`,
      region,
    );
  }
  return region === 'eu-west-101'
    ? 'https://swr-api.eu-west-101.myhuaweicloud.eu'
    : `https://swr-api.${region}.myhuaweicloud.com`;
}

/** Whether a host name is this machine (where plain http cannot be sniffed on the way). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Resolves and checks the base URL: https, or plain http only to loopback unless the caller opts
 * in by name, because credentials would cross the network in clear.
 */
export function resolveEndpoint(options: {
  region?: string;
  endpoint?: string;
  dangerouslyAllowInsecureHttp?: boolean;
}): string {
  if (options.endpoint === undefined && options.region === undefined) {
    throw new SwrValidationError('region', 'give a region (e.g. cn-north-4) or an endpoint URL');
  }
  if (options.endpoint === undefined) return endpointFor(options.region!);
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch {
    throw new SwrValidationError(
      'endpoint',
      'must be an absolute URL such as https://swr-api.cn-north-4.myhuaweicloud.com',
      options.endpoint,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SwrValidationError('endpoint', 'must use https: (or http: to a loopback host)', options.endpoint);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !options.dangerouslyAllowInsecureHttp) {
    throw new SwrValidationError(
      'endpoint',
      'must use https: credentials are never sent over plain http except to a loopback host (set dangerouslyAllowInsecureHttp to override)',
      options.endpoint,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new SwrValidationError('endpoint', 'must not carry a query, fragment or user info', options.endpoint);
  }
  return url.href.replace(/\/+$/, '');
}
