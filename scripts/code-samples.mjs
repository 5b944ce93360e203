// The code samples of every operation (`x-codeSamples`, which Redocly renders beside it): the
// client in TypeScript, the CLI from a shell, and curl with a token. Each one is made from the
// spec itself (the operation's method name, CLI command, path parameters' examples and first
// request-body example), never written per operation, and test/spec/code-samples.test.ts runs
// every one of them against the emulator.
import { stringify } from 'yaml';
import { bodySecrets, camel, deref as follow } from './runtime-table.mjs';

const ENDPOINT = 'https://swr-api.cn-north-4.myhuaweicloud.com';

/** Follows a local `$ref` of the bundled document: the node it points to. */
const deref = (spec, node) => follow(spec, node, []).node;

const at = (value, path) => path.reduce((v, k) => v?.[k], value);
function without(value, paths) {
  const copy = structuredClone(value);
  for (const path of paths) {
    const parent = at(copy, path.slice(0, -1));
    if (parent) delete parent[path[path.length - 1]];
  }
  return copy;
}

/** What every sample of an operation is made from. */
function partsOf(spec, path, method) {
  const pathItem = spec.paths[path];
  const op = pathItem[method];
  const parameters = [...(pathItem.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(spec, p));
  const byName = Object.fromEntries(parameters.map((p) => [p.name, p]));
  const body = op.requestBody && deref(spec, op.requestBody).content?.['application/json'];
  const example = body && deref(spec, Object.values(body.examples ?? {})[0])?.value;
  const command = op['x-cli']?.command;
  const noun = command?.split(' ')[0];
  // Each secret with the variable the CLI reads it from (the spec names it: `x-cli-env`).
  const secrets = body
    ? bodySecrets(spec, body.schema).map(({ path, schema }) => ({ path, variable: schema['x-cli-env'] }))
    : [];
  return {
    op,
    path,
    method,
    parameters,
    byName,
    example,
    command,
    noun,
    secrets,
    // Path parameters the caller gives (not the project, which the client's options give).
    args: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).filter((name) => !byName[name]?.['x-client-option']),
  };
}

/** A path parameter's value in a sample: the instance from the environment, the others their example. */
const argValue = (parts, name) => (parts.byName[name]?.['x-cli-env'] ? null : parts.byName[name]?.example);

/** A value as a JavaScript literal, the secrets read from the environment. */
function literal(value, secretAt, path = [], indent = '') {
  const variable = secretAt(path);
  if (variable) return `process.env.${variable}!`;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v, i) => `${inner}${literal(v, secretAt, [...path, i], inner)}`).join(',\n')},\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);
    return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, secretAt, [...path, k], inner)}`).join(',\n')},\n${indent}}`;
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

function typescript(parts) {
  const args = parts.args.map((name) => {
    const value = argValue(parts, name);
    return value === null ? camel(name) : JSON.stringify(value);
  });
  let body = '';
  if (parts.example !== undefined) {
    const secretAt = (path) => parts.secrets.find((s) => s.path.join('.') === path.join('.'))?.variable;
    body = `const body = ${literal(parts.example, secretAt)};\n`;
    args.push('body');
  }
  const instance = parts.args.filter((name) => argValue(parts, name) === null);
  return (
    `import { createSwrClient } from 'swr-registries';\n\n` +
    `const swr = createSwrClient({\n` +
    `  endpoint: process.env.SWR_ENDPOINT ?? '${ENDPOINT}',\n` +
    `  projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID!,\n` +
    `  auth: { accessKey: process.env.HUAWEICLOUD_SDK_AK!, secretKey: process.env.HUAWEICLOUD_SDK_SK! },\n` +
    `});\n` +
    instance.map((name) => `const ${camel(name)} = process.env.${parts.byName[name]['x-cli-env']}!;\n`).join('') +
    body +
    `\nconst result = await swr.${parts.op['x-method']}(${args.join(', ')});\n` +
    `console.log(result);\n`
  );
}

/** A heredoc that writes `value` as a file: quoted (no expansion) unless it must expand variables. */
function heredoc(file, text, expand) {
  return expand ? `cat > ${file} <<EOF\n${text}\nEOF\n` : `cat > ${file} <<'EOF'\n${text}\nEOF\n`;
}

function shell(parts) {
  const cli = parts.op['x-cli'];
  const positional = (cli.arguments ?? parts.args)
    .filter((name) => argValue(parts, name) !== null)
    .map((name) => String(argValue(parts, name) ?? at(parts.example, [name])));
  const lines = [];
  const flags = [];
  if (parts.example !== undefined) {
    const positionalFields = (cli.arguments ?? []).filter((name) => !parts.args.includes(name));
    const secretless = without(parts.example, [
      ...parts.secrets.map((s) => s.path),
      ...positionalFields.map((f) => [f]),
    ]);
    const file = `${parts.noun}.yaml`;
    for (const secret of parts.secrets)
      lines.push(`export ${secret.variable}='<the secret>'  # read from here, never from a flag`);
    if (Object.keys(secretless).length > 0) {
      lines.push(heredoc(file, stringify(secretless).trimEnd(), false).trimEnd());
      flags.push('--from-file', file);
    }
  }
  if (parts.op.operationId.startsWith('Delete')) flags.push('--yes');
  if (parts.op['x-follow']) flags.push('--wait');
  lines.push(['npx', 'swr-registries', ...cli.command.split(' '), ...positional, ...flags].join(' '));
  return `${lines.join('\n')}\n`;
}

function curl(parts) {
  const url = parts.path.replace(/\{([^}]+)\}/g, (_, name) => {
    const p = parts.byName[name];
    if (p?.['x-client-option']) return '$HUAWEICLOUD_SDK_PROJECT_ID';
    if (p?.['x-cli-env']) return `$${p['x-cli-env']}`;
    return String(p?.example);
  });
  const lines = [];
  const args = [`-X ${parts.method.toUpperCase()}`, '-H "X-Auth-Token: $SWR_AUTH_TOKEN"'];
  if (parts.example !== undefined) {
    let text = JSON.stringify(parts.example, null, 2).replace(/\$/g, '\\$');
    for (const secret of parts.secrets) {
      const key = secret.path[secret.path.length - 1];
      text = text.replace(new RegExp(`("${key}": )"[^"]*"`), `$1"$${secret.variable}"`);
      lines.push(`export ${secret.variable}='<the secret>'`);
    }
    lines.push(heredoc('body.json', text, true).trimEnd());
    args.push('-H "Content-Type: application/json"', '--data-binary @body.json');
  }
  lines.push(`curl -sS --fail-with-body ${args.join(' ')} \\\n  "\${SWR_ENDPOINT:-${ENDPOINT}}${url}"`);
  return `${lines.join('\n')}\n`;
}

/** A copy of the bundled spec with `x-codeSamples` on every operation: TypeScript, shell (the CLI), curl. */
export function withCodeSamples(spec) {
  const out = structuredClone(spec);
  for (const [path, pathItem] of Object.entries(out.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      if (!pathItem[method]) continue;
      const parts = partsOf(out, path, method);
      pathItem[method]['x-codeSamples'] = [
        { lang: 'TypeScript', label: 'TypeScript (swr-registries)', source: typescript(parts) },
        { lang: 'Shell', label: 'CLI', source: shell(parts) },
        { lang: 'curl', label: 'curl', source: curl(parts) },
      ];
    }
  }
  return out;
}
