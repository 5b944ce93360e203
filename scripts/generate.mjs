#!/usr/bin/env node
// Regenerates everything under generated/ from the hand-written spec, in order:
// lint -> bundle (yaml, json) -> TypeScript types -> runtime table -> offline HTML docs.
// Stops at the first failing step and shows that tool's own message.
//
//   node scripts/generate.mjs [--out DIR] [--skip-lint] [--skip-docs]
//
// --out writes somewhere else (generate-check.mjs uses it to compare with what is committed);
// --skip-docs leaves the HTML docs as they are (tests that only need the code use it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { withCodeSamples } from './code-samples.mjs';
import { buildTable, tableModule, tableTypes } from './runtime-table.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'generated') },
    'skip-lint': { type: 'boolean' },
    'skip-docs': { type: 'boolean' },
  },
});
const out = resolve(values.out);
const bin = (name) => join(root, 'node_modules', '.bin', name);
// Redocly CLI prints a framed "Node.js 20 support is ending" notice on every run; it says
// nothing about our spec, so it is dropped from what the steps echo.
const NOTICE = /[╔║╚][^\n]*\n?/g;

function step(title, command, args) {
  process.stderr.write(`» ${title}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
    .replace(NOTICE, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (result.status !== 0) {
    process.stderr.write(
      `${output || result.error?.message || 'failed'}\n\n✖ ${title} failed (exit ${result.status ?? 'signal'}); later steps did not run.\n`,
    );
    process.exit(1);
  }
  if (process.env.GENERATE_VERBOSE) process.stderr.write(`${output}\n`);
}

/**
 * openapi-typescript documents each property but not the root aliases (`export type Registry =
 * components['schemas']['Registry']`): each gets its schema's (or parameter's, or response's)
 * first paragraph, so an editor's hover says what a `Registry` is.
 */
function withAliasDocs(text, spec) {
  const sections = { schemas: 'schemas', parameters: 'parameters', responses: 'responses' };
  return text.replace(/^export type (\w+) = components\['(\w+)'\]\['([^']+)'\];$/gm, (line, _alias, section, name) => {
    const node = spec.components?.[sections[section]]?.[name];
    const words = (node?.description ?? node?.title ?? '')
      .split(/\n\s*\n/)[0]
      .replace(/\s+/g, ' ')
      .trim();
    return words ? `/** ${words.replace(/\*\//g, '*\\/')} */\n${line}` : line;
  });
}

// openapi-typescript's CLI insists on an `x-openapi-ts.output` once redocly.yaml lists `apis`,
// and then ignores -o; its Node API takes the bundle and our flags directly.
async function generateTypes() {
  const title = `types -> ${rel(types)} (openapi-typescript)`;
  process.stderr.write(`» ${title}\n`);
  try {
    const { default: openapiTS, astToString, COMMENT_HEADER } = await import('openapi-typescript');
    const { loadConfig } = await import('@redocly/openapi-core');
    const redocly = await loadConfig({ configPath: join(root, 'redocly.yaml') });
    const ast = await openapiTS(pathToFileURL(bundleYaml), {
      redocly,
      rootTypes: true,
      rootTypesNoSchemaPrefix: true,
      // A field with a default may be left out of a request (the service applies the default)
      // and out of an answer (the SDKs read every field as optional): not required in either.
      defaultNonNullable: false,
      silent: true,
    });
    writeFileSync(
      types,
      withAliasDocs(COMMENT_HEADER + astToString(ast), JSON.parse(readFileSync(bundleJson, 'utf8'))),
    );
  } catch (error) {
    process.stderr.write(`${error?.stack ?? error}\n\n✖ ${title} failed; later steps did not run.\n`);
    process.exit(1);
  }
}

mkdirSync(join(out, 'docs'), { recursive: true });
const rel = (p) => relative(root, p) || '.';
const bundleYaml = join(out, 'openapi.yaml');
const bundleJson = join(out, 'openapi.json');
const types = join(out, 'schema.d.ts');
const table = join(out, 'operations.js');
const docs = join(out, 'docs', 'index.html');

if (!values['skip-lint']) step('lint spec/ (redocly lint)', bin('redocly'), ['lint', 'main', '--format', 'stylish']);
step(`bundle -> ${rel(bundleYaml)}`, bin('redocly'), ['bundle', 'main', '-o', bundleYaml]);
step(`bundle -> ${rel(bundleJson)}`, bin('redocly'), ['bundle', 'main', '--ext', 'json', '-o', bundleJson]);
await generateTypes();
process.stderr.write(`» runtime table -> ${rel(table)} (+ .d.ts)\n`);
const bundled = JSON.parse(readFileSync(bundleJson, 'utf8'));
let runtime;
try {
  runtime = buildTable(bundled);
} catch (error) {
  process.stderr.write(`${error.message}\n\n✖ runtime table failed; later steps did not run.\n`);
  process.exit(1);
}
writeFileSync(table, tableModule(runtime));
writeFileSync(table.replace(/\.js$/, '.d.ts'), tableTypes(runtime, bundled));
if (values['skip-docs']) {
  process.stderr.write(`✔ generated ${rel(out)}/ from spec/ (docs skipped)\n`);
  process.exit(0);
}
// The docs are built from the bundle with every operation's code samples added (x-codeSamples,
// made from the spec's examples); the published openapi.json/yaml stay the API alone.
const samplesJson = join(out, 'docs', 'openapi.json');
process.stderr.write(`» code samples -> ${rel(samplesJson)}\n`);
writeFileSync(samplesJson, `${JSON.stringify(withCodeSamples(bundled), null, 2)}\n`);
step(`docs -> ${rel(docs)} (redocly build-docs)`, bin('redocly'), [
  'build-docs',
  samplesJson,
  '--inlineBundle',
  '--title',
  'SWR Image Replication Registries API',
  '-o',
  docs,
]);

// The inline bundle still fetches the "API docs by Redocly" badge from the web. A CSP that
// allows only what the file itself holds keeps the page fully offline.
const CSP =
  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline' blob:; " +
  "style-src 'unsafe-inline'; img-src data:; font-src data:; worker-src blob:; connect-src 'none'\">";
// The badge's two logos are swapped for an inline image so the browser never even tries.
const LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="14"><text x="0" y="11" font-size="11" font-family="sans-serif">Redocly</text></svg>')}`;
const html = readFileSync(docs, 'utf8').replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, LOGO);
writeFileSync(docs, html.includes('Content-Security-Policy') ? html : html.replace(/<head>/i, `<head>\n  ${CSP}`));
process.stderr.write(`✔ generated ${rel(out)}/ from spec/\n`);
