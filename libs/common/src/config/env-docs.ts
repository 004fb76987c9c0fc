import { ENV_SECTIONS, ENV_VARIABLES, type EnvVariable } from './env.schema.js';

/**
 * Renders `.env.example` and the README configuration table from the env catalog, so the three
 * can never disagree. `npm run docs:config` writes them; test/foundation fails when they drift.
 */

const COMMENT_WIDTH = 98;

export const CONFIG_TABLE_START = '<!-- config-table:start (npm run docs:config writes this) -->';
export const CONFIG_TABLE_END = '<!-- config-table:end -->';

type Entry = [name: string, variable: EnvVariable];

const entries = (): Entry[] => Object.entries(ENV_VARIABLES) as Entry[];

/** The default as it would be written in the environment, `undefined` when there is none. */
export function defaultOf(variable: EnvVariable): string | undefined {
  const parsed = variable.schema.safeParse(undefined);
  if (!parsed.success) return undefined;
  const value: unknown = parsed.data;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length ? value.join(',') : undefined;
  return String(value);
}

export const isRequired = (variable: EnvVariable): boolean =>
  !variable.schema.safeParse(undefined).success;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderEnvExample(): string {
  const out = [
    '# TRON staking service: every variable the service reads, with its default.',
    '# Rendered from libs/common/src/config/env.schema.ts by `npm run docs:config`; edit it there.',
    '# Copy to .env for local runs (npm run local makes its own). Deployments inject these as env vars',
    '# or Kubernetes Secrets/ConfigMaps. SECRET variables never appear in logs or answers.',
    '# Limits, thresholds and rate numbers are NOT here: they live in config/staking-security-policies.yaml.',
  ];
  for (const section of ENV_SECTIONS) {
    const members = entries().filter(([, v]) => v.section === section);
    if (!members.length) continue;
    out.push('', `# --- ${section} ${'-'.repeat(Math.max(3, 93 - section.length))}`);
    for (const [name, v] of members) {
      const prefix = [v.sensitive ? 'SECRET.' : '', isRequired(v) ? 'Required.' : '']
        .filter(Boolean)
        .join(' ');
      const text = prefix ? `${prefix} ${v.description}` : v.description;
      for (const line of wrap(text, COMMENT_WIDTH)) out.push(`# ${line}`);
      out.push(`${name}=${v.example ?? defaultOf(v) ?? ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The table's Markdown, not yet aligned (prettier aligns it). */
export function renderConfigTable(): string {
  const rows = [
    '| section | variable | default | meaning |',
    '| --- | --- | --- | --- |',
    ...entries().map(([name, v]) => {
      const fallback = defaultOf(v);
      const shown = fallback !== undefined ? `\`${fallback}\`` : isRequired(v) ? 'required' : '—';
      return `| ${v.section} | \`${name}\`${v.sensitive ? ' 🔒' : ''} | ${cell(shown)} | ${cell(v.description)} |`;
    }),
  ];
  return rows.join('\n');
}

/** `text` with what stands between the two markers replaced by `body`. */
export function spliceConfigTable(text: string, body: string): string {
  const start = text.indexOf(CONFIG_TABLE_START);
  const end = text.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the config-table markers');
  return `${text.slice(0, start + CONFIG_TABLE_START.length)}\n\n${body}\n\n${text.slice(end)}`;
}
