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

/** One output format: a pure function from results to text. */
export type Reporter = (ctx: ReportContext) => string;
