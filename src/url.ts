// The URL of a request, byte for byte as openapi-fetch builds it with its default serializers
// (simple path parameters, form query parameters, each value through encodeURIComponent), from
// each path template split once. Anything else (a styled name, an array or object value) is left
// to openapi-fetch's own createFinalURL. test/unit/url.test.ts holds the two to the same output.
// And the parts of such a URL, for the signer and the transport, without parsing it again.
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';

export interface UrlParams {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
}

// What the WHATWG URL parser would rewrite in such a URL: a dot segment, which it resolves; a
// brace (a path parameter left unfilled), and a `'` in a query, which it percent-encodes.
const NEEDS_PARSING = /[{}']|\/\.\.?(?=[/?#]|$)/;

/** Creates `urlOf(path, params)` for one base URL: the absolute URL, as a Request would hold it. */
export function createUrlBuilder(baseUrl: string) {
  const querySerializer = createQuerySerializer();
  const templates = new Map<string, string[] | null>();
  const general = (path: string, params: UrlParams) =>
    createFinalURL(path, { baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });

  const build = (path: string, params: UrlParams): string => {
    let parts = templates.get(path);
    if (parts === undefined) templates.set(path, (parts = split(path)));
    if (parts === null) return general(path, params);
    let url = baseUrl;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i % 2 === 0) {
        url += part;
        continue;
      }
      const value = params.path[part];
      if (value === undefined || value === null)
        url += `{${part}}`; // as openapi-fetch leaves it
      else if (typeof value === 'object') return general(path, params);
      else url += encodeURIComponent(value as string | number | boolean);
    }
    let search = '';
    for (const name in params.query) {
      const value = params.query[name];
      if (value === undefined || value === null) continue;
      if (typeof value === 'object') return general(path, params);
      search += `${search === '' ? '?' : '&'}${name}=${encodeURIComponent(value as string | number | boolean)}`;
    }
    return url + search;
  };

  return (path: string, params: UrlParams): string => {
    const url = build(path, params);
    return NEEDS_PARSING.test(url) ? new URL(url).href : url;
  };
}

/** `/v2/{project_id}/x` as `['/v2/', 'project_id', '/x']`, literals and names in turn; null for a styled name. */
function split(path: string): string[] | null {
  const parts = path.split(/\{([^{}]+)\}/);
  return parts.some((part, i) => i % 2 === 1 && /^[.;]|\*$/.test(part)) ? null : parts;
}

/**
 * Host, path and query of a URL that a URL or a Request already normalised: cut out of the
 * string rather than parsed again (a parse is a tenth of a signature's time). The fragment, never
 * sent, is left out; a URL with user info is parsed.
 */
export function splitUrl(href: string): { host: string; pathname: string; search: string } {
  const text = href.includes('#') ? href.slice(0, href.indexOf('#')) : href;
  const start = text.indexOf('//') + 2;
  const slash = text.indexOf('/', start);
  if (start < 2 || slash < 0 || text.slice(start, slash).includes('@')) return new URL(href);
  const query = text.indexOf('?', slash);
  return {
    host: text.slice(start, slash),
    pathname: query < 0 ? text.slice(slash) : text.slice(slash, query),
    // `?` alone is an empty query, as URL has it.
    search: query < 0 || query === text.length - 1 ? '' : text.slice(query),
  };
}
