// A request checked against every rule of its operation before it is sent (the client) or built
// (the CLI): path, query and header parameters, the rules between them, and the body. Every
// problem is found at once; a rule we only guessed (`x-guess`) is a warning unless `strict`.
import { SwrValidationError, validationError } from '../errors.js';
import { parametersIn, type Operation, type ParameterInfo } from './table.js';
import { compile, type Problem } from './validate.js';

/** What a request is made of, in the spec's names. */
export interface RequestInput {
  path?: Record<string, unknown>;
  query?: unknown;
  header?: unknown;
  body?: unknown;
}

/** A request that passed every rule: path values, query and header without undefined entries, the body. */
export interface CheckedRequest {
  path: Record<string, string>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  body?: unknown;
  /** Guessed rules the request breaks: sent all the same (not in strict mode, where they refuse). */
  warnings: Problem[];
}

type Compiled = { name: string; required: boolean; check: ReturnType<typeof compile> };
type Plan = {
  path: Compiled[];
  query: Map<string, Compiled>;
  header: Map<string, Compiled>;
  rules: ReturnType<typeof compile> | undefined;
  body: ReturnType<typeof compile> | undefined;
};
const plans = new WeakMap<Operation, Plan>();

/** An operation's checks, compiled once: every call of it runs them. */
function planOf(op: Operation): Plan {
  let plan = plans.get(op);
  if (plan) return plan;
  const compiled = (p: ParameterInfo): Compiled => ({
    name: p.name,
    required: p.required === true,
    check: compile(p.schema, 'request'),
  });
  const byName = (where: ParameterInfo['in']) => new Map(parametersIn(op, where).map((p) => [p.name, compiled(p)]));
  plan = {
    path: parametersIn(op, 'path').map(compiled),
    query: byName('query'),
    header: byName('header'),
    rules: op.querySchema ? compile(op.querySchema, 'request') : undefined,
    body: op.body ? compile(op.body.schema, 'request') : undefined,
  };
  plans.set(op, plan);
  return plan;
}

const problem = (path: string, kind: Problem['kind'], rule: string, value?: unknown): Problem => ({
  path,
  kind,
  rule,
  value,
  sensitive: false,
});

/** The parameters of one place (query or header), checked; unknown names are problems too. */
function checkPlace(
  op: Operation,
  where: 'query' | 'header',
  given: unknown,
  known: Map<string, Compiled>,
  problems: Problem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (given === undefined) given = {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    problems.push(problem(where, 'type', `must be an object of ${where} parameters`, given));
    return out;
  }
  const at: Array<string | number> = [];
  for (const name of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[name];
    const p = known.get(name);
    if (!p) {
      const names = [...known.keys()].join(', ') || 'none';
      problems.push(problem(name, 'unexpected', `is not a ${where} parameter of ${op.operationId} (known: ${names})`));
      continue;
    }
    if (value === undefined) continue;
    at[0] = name;
    p.check(value, at, problems);
    out[name] = value;
  }
  for (const p of known.values())
    if (p.required && out[p.name] === undefined) problems.push(problem(p.name, 'missing', 'is required'));
  return out;
}

/**
 * Checks a request against every rule of its operation. Throws one SwrValidationError naming
 * the first broken rule and listing them all; guessed rules are returned as warnings instead,
 * unless `strict`.
 */
export function checkRequest(op: Operation, input: RequestInput, options: { strict?: boolean } = {}): CheckedRequest {
  const plan = planOf(op);
  const found: Problem[] = [];
  const path: Record<string, string> = {};
  const at: Array<string | number> = [];
  for (const p of plan.path) {
    const value = input.path?.[p.name];
    if (value === undefined) {
      found.push(problem(p.name, 'missing', 'is required'));
      continue;
    }
    at[0] = p.name;
    p.check(value, at, found);
    path[p.name] = value as string;
  }
  const query = checkPlace(op, 'query', input.query, plan.query, found);
  const header = checkPlace(op, 'header', input.header, plan.header, found);
  if (plan.rules) plan.rules(query, [], found);
  let body: unknown;
  if (input.body !== undefined && plan.body) {
    plan.body(input.body, [], found);
    body = input.body;
  } else if (op.body?.required) found.push(problem('body', 'missing', `is required by ${op.operationId}`));
  const warnings = options.strict ? [] : found.filter((p) => p.guess !== undefined);
  const errors = options.strict ? found : found.filter((p) => p.guess === undefined);
  if (errors.length > 0) throw validationError(errors);
  return { path, query, header, ...(body !== undefined && { body }), warnings };
}

export { SwrValidationError };
