/** Every output format, by name. */
import { html } from './html.js';
import { json, jsonl } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { policyreport } from './policyreport.js';
import { sarif } from './sarif.js';
import { text } from './text.js';
import type { Reporter } from './types.js';

export const REPORTERS = {
  text,
  json,
  jsonl,
  sarif,
  junit,
  markdown,
  html,
  policyreport,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof REPORTERS;

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(REPORTERS, name);
}
