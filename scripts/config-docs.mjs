// Renders `.env.example` and the README configuration table from the env catalog
// (libs/common/src/config/env.schema.ts). `--check` changes nothing and exits 1 on drift.
// Run through `npm run docs:config`, which builds the service first.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import * as prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = await import(join(root, 'dist/libs/common/src/config/env-docs.js'));

async function formatted(file, text) {
  const options = await prettier.resolveConfig(join(root, file));
  return prettier.format(text, { ...options, filepath: join(root, file) });
}

const targets = [
  ['.env.example', () => docs.renderEnvExample()],
  [
    'README.md',
    (current) => formatted('README.md', docs.spliceConfigTable(current, docs.renderConfigTable())),
  ],
];

const check = process.argv.includes('--check');
let drifted = false;
for (const [file, render] of targets) {
  const path = join(root, file);
  const current = readFileSync(path, 'utf8');
  const wanted = await render(current);
  if (wanted === current) continue;
  drifted = true;
  if (check)
    process.stderr.write(`${file} differs from the env catalog: run npm run docs:config\n`);
  else {
    writeFileSync(path, wanted);
    process.stdout.write(`wrote ${file}\n`);
  }
}
process.exitCode = check && drifted ? 1 : 0;
