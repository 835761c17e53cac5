/** Every output format, by name. */
import { json, jsonl } from './json.js';
import { text } from './text.js';
import type { Reporter } from './types.js';

export const REPORTERS = {
  text,
  json,
  jsonl,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof REPORTERS;

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(REPORTERS, name);
}
