/** What a fix sees of one object: its data, and a patch that records changes as text edits and data. */
import { EditError, type Json, type Segment } from './edit.js';
import type { FixObject } from './source.js';

export type Outcome = { fix: string; status: 'applied' | 'skipped'; detail: string };

export class ObjectPatch {
  readonly outcomes: Outcome[] = [];
  /** Changes recorded; zero when the object was already fine. */
  changes = 0;

  constructor(readonly target: FixObject) {}

  /**
   * Sets a value at `path` (relative to the object), creating missing mappings. Throws an
   * {@link EditError}, changing nothing, when the text cannot be edited there.
   */
  set(path: Segment[], value: Json): void {
    const full = [...this.target.basePath, ...path];
    this.target.document.planner.add({ op: 'set', path: full, value });
    const { parent, key } = this.walk(full);
    parent[key] = structuredClone(value);
    this.changes++;
  }

  /** Appends an item to the list at `path`, creating the list (and missing mappings) when absent. */
  append(path: Segment[], item: Json): void {
    const full = [...this.target.basePath, ...path];
    this.target.document.planner.add({ op: 'append', path: full, value: item });
    const { parent, key } = this.walk(full);
    const list = parent[key];
    if (Array.isArray(list)) list.push(structuredClone(item));
    else parent[key] = [structuredClone(item)];
    this.changes++;
  }

  /** Runs `fn`; an edit it cannot make is reported as a skip of `fix`, not thrown. */
  attempt(fix: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof EditError)) throw e;
      this.skipped(fix, `cannot edit the text here: ${e.message}`);
    }
  }

  applied(fix: string, detail: string): void {
    this.outcomes.push({ fix, status: 'applied', detail });
  }

  skipped(fix: string, detail: string): void {
    this.outcomes.push({ fix, status: 'skipped', detail });
  }

  /** The data's parent of the last segment, creating mappings (the planner has checked the path). */
  private walk(full: Segment[]): { parent: Record<string | number, unknown>; key: string | number } {
    let node = this.target.document.value as Record<string | number, unknown>;
    for (let i = 0; i < full.length - 1; i++) {
      const s = full[i]!;
      let next = node[s];
      if (next === null || next === undefined) node[s] = next = {};
      if (typeof next !== 'object') throw new EditError(`internal: ${String(s)} is not a mapping`);
      node = next as Record<string | number, unknown>;
    }
    return { parent: node, key: full[full.length - 1]! };
  }
}
