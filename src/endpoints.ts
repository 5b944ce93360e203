// Where requests go: a region's endpoint from the spec's `servers`, or an explicit endpoint,
// checked so that credentials never cross a network in clear.
import { servers } from '../generated/operations.js';
import { SwrValidationError } from './errors.js';

/** The SWR regions, from the spec's servers (the same 35 that Huawei's SDKs know). */
export const REGIONS = servers.flatMap((server) => server.regions);

export type Region = (typeof servers)[number]['regions'][number];

/** The SWR API endpoint of a region, from the server of the spec that serves it. */
export function endpointFor(region: string): string {
  const server = servers.find((s) => (s.regions as readonly string[]).includes(region));
  if (!server) {
    throw new SwrValidationError(
      'region',
      `must be one of the ${REGIONS.length} SWR regions (e.g. ${servers[0].regions[0]})`,
      region,
    );
  }
  return server.url.replace('{region}', region);
}

/**
 * Whether a host is this machine, by address: `localhost` itself, 127.0.0.0/8 or ::1. A name
 * that merely ends in `.localhost` counts as remote: a resolver may send it anywhere.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Resolves and checks the base URL: https, or plain http only to loopback unless the caller opts
 * in by name, because credentials would cross the network in clear.
 */
export function resolveEndpoint(options: {
  region?: string | undefined;
  endpoint?: string | undefined;
  dangerouslyAllowInsecureHttp?: boolean | undefined;
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
      withoutUserInfo(options.endpoint),
    );
  }
  // Quoted back without any user info: a password in the URL must not reach a message.
  const given = withoutUserInfo(options.endpoint);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SwrValidationError('endpoint', 'must use https: (or http: to a loopback host)', given);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !options.dangerouslyAllowInsecureHttp) {
    throw new SwrValidationError(
      'endpoint',
      'must use https: credentials are never sent over plain http except to a loopback address (127.0.0.0/8, ::1, localhost)',
      given,
      { hint: 'dangerouslyAllowInsecureHttp: true overrides this' },
    );
  }
  // Even an empty `?` or `#` would end up inside every request path.
  if (/[?#]/.test(given) || url.username || url.password) {
    throw new SwrValidationError('endpoint', 'must not carry a query, fragment or user info', given);
  }
  return url.href.replace(/\/+$/, '');
}

/** A URL as an error may quote it: `https://***@host/`, never its user name or password. */
function withoutUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}
