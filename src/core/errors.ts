/** Errors that map to the exit codes of the CLI contract. */

export class UsageError extends Error {
  readonly exitCode = 2;
}

/** No input could be read at all. */
export class NoInputError extends Error {
  readonly exitCode = 2;
}

/** The cluster or another required source could not be reached. */
export class UnreachableError extends Error {
  readonly exitCode = 3;
}

/** A problem with one input (a file, a document): reported, and the rest goes on. */
export interface InputProblem {
  file: string;
  line?: number;
  message: string;
  /** A warning (a duplicate object, say) never changes the exit code, even with --strict. */
  warning?: boolean;
}

export function formatProblem(p: InputProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.warning ? 'warning: ' : ''}${p.message}`;
}
