// Routing: which operation of the spec a method and path name, and the path parameters' values.
// The routes are the runtime table's paths, so an operation added to the spec is routed here.
import { operations, type Operation } from '../spec/table.js';

/** A route: the operation and its path parameters, decoded. */
export interface Route {
  operation: Operation;
  params: Record<string, string>;
}

interface Compiled {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

const ROUTES: Compiled[] = Object.values(operations).map((operation) => {
  const names: string[] = [];
  const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { operation, pattern: new RegExp(`^${source}$`), names };
});

/** The operation that a method and path name; undefined for anything else (the gateway's 404). */
export function route(method: string, pathname: string): Route | undefined {
  for (const { operation, pattern, names } of ROUTES) {
    if (operation.method !== method) continue;
    const m = pattern.exec(pathname);
    if (!m) continue;
    try {
      return { operation, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)])) };
    } catch {
      return undefined; // malformed percent-encoding: no such API
    }
  }
  return undefined;
}
