import type { Check } from '../core/check.js';
import type { ResultsDocument } from '../core/results.js';

export interface ReportContext {
  doc: ResultsDocument;
  /** Check metadata for rules, help and links; checks unknown to this build fall back to the summary. */
  catalogue: ReadonlyMap<string, Check>;
  /** ANSI colours (text only). */
  color: boolean;
  /** The command that produced the document, for the report's heading. */
  command: string;
}

/**
 * A report: one string, or its pieces in order for reports too large for one string (a JSON
 * document of a million findings passes V8's maximum string length).
 */
export type Rendered = string | Iterable<string>;

/** One output format: a pure function from results to text. */
export type Reporter = (ctx: ReportContext) => Rendered;

export function renderedText(r: Rendered): string {
  return typeof r === 'string' ? r : [...r].join('');
}
