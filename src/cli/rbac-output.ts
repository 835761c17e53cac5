/**
 * The machine formats of the rbac commands: CSV rows, and Graphviz DOT drawings of who gets a
 * permission through which binding and role (`dot -Tsvg`), for one query.
 */
import type { Grant, Subject, WhoCanEntry } from '../engines/rbac/index.js';
import { subjectDisplay } from '../engines/rbac/index.js';

export function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per grant: the subject, the binding, the role and the rule index. */
export function whoCanCsv(entries: readonly WhoCanEntry[]): string {
  const head = 'subject_kind,subject_namespace,subject_name,binding_kind,binding_namespace,binding_name,role_kind,role_namespace,role_name,rule';
  const rows = entries.flatMap((e) =>
    e.grants.map((g) =>
      [e.subject.kind, e.subject.namespace ?? '', e.subject.name, g.binding.kind, g.binding.namespace ?? '', g.binding.name, g.role.kind, g.role.namespace ?? '', g.role.name, String(g.ruleIndex)].map(csvCell).join(','),
    ),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const ref = (r: { kind: string; name: string; namespace?: string }) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/**
 * `subject -> binding -> role`, the role edge labelled with the rules that grant it. Nodes are
 * keyed by what they name, so a binding shared by several subjects is drawn once.
 */
export function grantsDot(title: string, grants: ReadonlyArray<{ subject: Subject; grant: Grant }>): string {
  const nodes = new Map<string, string>();
  const edges = new Map<string, Set<number>>();
  const node = (id: string, shape: string, color: string) => {
    if (!nodes.has(id)) nodes.set(id, `  ${quote(id)} [shape=${shape}, style=filled, fillcolor=${quote(color)}];`);
  };
  for (const { subject, grant } of grants) {
    const s = subjectDisplay(subject);
    const b = ref(grant.binding);
    const r = ref(grant.role);
    node(s, 'ellipse', '#dbe9f6');
    node(b, 'box', '#f6f0db');
    node(r, 'box', '#f6dbdb');
    const sb = `${quote(s)} -> ${quote(b)}`;
    if (!edges.has(sb)) edges.set(sb, new Set());
    const br = `${quote(b)} -> ${quote(r)}`;
    if (!edges.has(br)) edges.set(br, new Set());
    edges.get(br)!.add(grant.ruleIndex);
  }
  const lines = [
    'digraph rbac {',
    '  rankdir=LR;',
    `  label=${quote(title)};`,
    '  labelloc=t;',
    '  node [fontname="Helvetica"];',
    ...nodes.values(),
    ...[...edges].map(([e, rules]) => (rules.size ? `  ${e} [label=${quote(`rule ${[...rules].sort((a, b) => a - b).join(', ')}`)}];` : `  ${e};`)),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** The grants of who-can's entries, for {@link grantsDot}. */
export function whoCanGrants(entries: readonly WhoCanEntry[]): Array<{ subject: Subject; grant: Grant }> {
  return entries.flatMap((e) => e.grants.map((grant) => ({ subject: e.subject, grant })));
}
