/**
 * `.kubeladder.yaml`: severity overrides, disabled checks and exemptions. Validated with zod;
 * every error names the file, the line and the key, so a typo is found at once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Node as YamlNode } from 'yaml';
import { SEVERITIES, type Severity } from './types.js';
import { SYSTEM_NAMESPACES } from '../engines/kinds.js';

// zod and yaml take ~100 ms to import: load them only when there is a config file to read.
const require = createRequire(import.meta.url);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ExemptionRule {
  checks: string[];
  kind?: string;
  namespace?: string;
  name?: string;
  reason: string;
  /** YYYY-MM-DD; the rule stops exempting after that day. */
  expires?: string;
  file?: string;
  line?: number;
}

function makeSchema() {
  const { z } = require('zod') as typeof import('zod');
  const exemption = z
    .object({
      checks: z.array(z.string().min(1)).min(1),
      kind: z.string().min(1).optional(),
      namespace: z.string().min(1).optional(),
      name: z.string().min(1).optional(),
      reason: z.string().min(1),
      expires: z
        .union([z.string(), z.date()])
        .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
        .refine((v) => DATE.test(v) && !Number.isNaN(Date.parse(v)), 'must be a date, YYYY-MM-DD')
        .optional(),
    })
    .strict();
  return z
    .object({
      apiVersion: z.literal('kubeladder.io/v1').optional(),
      kind: z.literal('Config').optional(),
      checks: z.record(z.string(), z.object({ severity: z.enum(SEVERITIES).optional(), enabled: z.boolean().optional() }).strict()).optional(),
      exemptions: z.array(exemption).optional(),
      systemNamespaces: z.array(z.string()).optional(),
    })
    .strict();
}
let schema: ReturnType<typeof makeSchema> | undefined;

export interface Config {
  file?: string;
  severity: Map<string, Severity>;
  disabled: Set<string>;
  exemptions: ExemptionRule[];
  systemNamespaces: string[];
}

export function defaultConfig(): Config {
  return { severity: new Map(), disabled: new Set(), exemptions: [], systemNamespaces: [...SYSTEM_NAMESPACES] };
}

export class ConfigError extends Error {
  readonly exitCode = 2;
}

/** Reads and validates a config file; `knownChecks` catches misspelled check ids. */
export function loadConfig(path: string, knownChecks: ReadonlySet<string>, display = path): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${display}: cannot read config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, display, knownChecks);
}

export function parseConfig(text: string, file: string, knownChecks: ReadonlySet<string>): Config {
  const { LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const lineOf = (path: readonly (string | number)[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as YamlNode | undefined;
      const off = node?.range?.[0];
      if (off !== undefined) return counter.linePos(off).line;
    }
    return 1;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${file}:${counter.linePos(e.pos[0]).line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() ?? {};
  const parsed = (schema ??= makeSchema()).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.map(String).join('.') || '(top level)';
    const msg = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    throw new ConfigError(`${file}:${lineOf(issue.path as (string | number)[])}: ${key}: ${msg}`);
  }
  const cfg = defaultConfig();
  cfg.file = file;
  for (const [id, c] of Object.entries(parsed.data.checks ?? {})) {
    if (!knownChecks.has(id)) throw new ConfigError(`${file}:${lineOf(['checks', id])}: checks.${id}: unknown check id (see \`kubeladder checks\`)`);
    if (c.severity) cfg.severity.set(id, c.severity);
    if (c.enabled === false) cfg.disabled.add(id);
  }
  (parsed.data.exemptions ?? []).forEach((ex, i) => {
    ex.checks.forEach((id, j) => {
      if (id !== '*' && !knownChecks.has(id)) {
        throw new ConfigError(`${file}:${lineOf(['exemptions', i, 'checks', j])}: exemptions.${i}.checks.${j}: unknown check id "${id}"`);
      }
    });
    cfg.exemptions.push({ ...ex, file, line: lineOf(['exemptions', i]) });
  });
  if (parsed.data.systemNamespaces) cfg.systemNamespaces = parsed.data.systemNamespaces;
  return cfg;
}
