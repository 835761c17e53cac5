/**
 * The output formats of the netpol commands. `reach` writes np-guard/netpol-analyzer's
 * connection-list formats (docs/connlist_output.md; pkg/netpol/connlist/conns_formatter_*.go and
 * internal/dotformatting) so tools made for that output read ours:
 *
 * - txt: `src => dst : conns`, one line each;
 * - csv: a `src,dst,conn` header, then one row each (quoted as Go's encoding/csv quotes:
 *   `"TCP 80,UDP 53"`);
 * - md: `| src | dst | conn |`, `|-----|-----|------|`, then `| a | b | c |` rows;
 * - json: an array of `{"src", "dst", "conn"}`, indented by two spaces;
 * - dot: `digraph {`, one `subgraph cluster_<ns>` (dashes made underscores, which DOT ids
 *   cannot hold) per namespace holding its workloads as blue nodes labelled `name[Kind]`, then
 *   external ranges as red2 nodes, then gold2 edges labelled with the connections.
 *
 * Their outputs end without a newline; ours end with one, as every kubeladder output does.
 */
import type { Connection } from '../engines/netpol/connlist.js';
import type { DirectionResult, Explanation } from '../engines/netpol/evaluate.js';
import { csvCell } from './rbac-output.js';

export const REACH_FORMATS = ['txt', 'json', 'csv', 'md', 'dot'] as const;
export const EXPLAIN_FORMATS = ['txt', 'json'] as const;
export const DIFF_FORMATS = ['txt', 'json', 'md'] as const;

/** `ns/name[Kind]` split up; undefined for an external range. */
export function workloadParts(peer: string): { namespace: string; name: string; kind: string } | undefined {
  const m = /^([^/]+)\/(.+)\[([^\]]+)\]$/.exec(peer);
  return m ? { namespace: m[1]!, name: m[2]!, kind: m[3]! } : undefined;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * netpol-analyzer's dot graph. `workloads` are drawn even without a connection (a fully
 * isolated workload is worth seeing), as netpol-analyzer draws every peer it knows.
 */
export function connectionsDot(conns: readonly Connection[], workloads: readonly string[] = []): string {
  const byNs = new Map<string, Set<string>>();
  const external = new Set<string>();
  const node = (peer: string) => {
    const w = workloadParts(peer);
    if (!w) {
      external.add(`\t${quote(peer)} [label=${quote(peer)} color="red2" fontcolor="red2"]`);
      return;
    }
    const lines = byNs.get(w.namespace) ?? new Set<string>();
    lines.add(`\t\t${quote(peer)} [label=${quote(`${w.name}[${w.kind}]`)} color="blue" fontcolor="blue"]`);
    byNs.set(w.namespace, lines);
  };
  for (const w of workloads) node(w);
  const edges = conns.map((c) => {
    node(c.src);
    node(c.dst);
    return `\t${quote(c.src)} -> ${quote(c.dst)} [label=${quote(c.conns)} color="gold2" fontcolor="darkgreen"]`;
  });
  const lines = ['digraph {'];
  for (const ns of [...byNs.keys()].sort()) {
    lines.push(`\tsubgraph cluster_${ns.replace(/-/g, '_')} {`, ...[...byNs.get(ns)!].sort(), `\t\tlabel=${quote(ns)}`, '\t}');
  }
  lines.push(...[...external].sort(), ...edges.sort(), '}');
  return `${lines.join('\n')}\n`;
}

export function formatConnections(conns: readonly Connection[], format: (typeof REACH_FORMATS)[number], workloads: readonly string[] = []): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(conns.map((c) => ({ src: c.src, dst: c.dst, conn: c.conns })), null, 2)}\n`;
    case 'csv':
      return ['src,dst,conn', ...conns.map((c) => [c.src, c.dst, c.conns].map(csvCell).join(','))].map((l) => `${l}\n`).join('');
    case 'md':
      return ['| src | dst | conn |', '|-----|-----|------|', ...conns.map((c) => `| ${c.src} | ${c.dst} | ${c.conns} |`)].map((l) => `${l}\n`).join('');
    case 'dot':
      return connectionsDot(conns, workloads);
    default:
      return conns.map((c) => `${c.src} => ${c.dst} : ${c.conns}\n`).join('');
  }
}

/** A connection NEW opens (`added`) or closes (`removed`), with the ports that changed. */
export interface DiffLine {
  change: 'added' | 'removed';
  src: string;
  dst: string;
  conn: string;
}

export function formatDiff(lines: readonly DiffLine[], format: (typeof DIFF_FORMATS)[number]): string {
  if (format === 'json') return `${JSON.stringify(lines, null, 2)}\n`;
  if (format === 'md') {
    return ['| diff-type | src | dst | conn |', '|-----------|-----|-----|------|', ...lines.map((l) => `| ${l.change} | ${l.src} | ${l.dst} | ${l.conn} |`)].map((l) => `${l}\n`).join('');
  }
  return lines.map((l) => `${l.change === 'added' ? '+' : '-'} ${l.src} => ${l.dst} : ${l.conn}\n`).join('');
}

/** `NetworkPolicy shop/api ingress rule 0`, or an admin policy's rule with its action. */
function ruleName(tier: string, policy: string, direction: string, index: number, action?: string): string {
  return `${tier} ${policy.replace(/^B?ANP\//, '')} ${direction} rule ${index}${action ? ` (${action})` : ''}`;
}

function describeSide(direction: 'egress' | 'ingress', who: string, r: DirectionResult): string {
  const head = `${direction} at ${who}: `;
  if (!r.governed) return `${head}not governed by NetworkPolicy (an address, not a pod)`;
  const isolatedBy = r.isolatedBy.map((p) => `NetworkPolicy ${p}`).join(', ');
  const d = r.decidedBy;
  if (d && d.tier !== 'NetworkPolicy') {
    if (d.tier === 'default') return `${head}allowed: no admin policy rule matches and no NetworkPolicy isolates it`;
    return `${head}${r.allowed ? 'allowed' : 'denied'} by ${ruleName(d.tier, d.policy ?? '', direction, d.ruleIndex ?? 0, d.action)}`;
  }
  if (!r.isolated) return `${head}allowed: not isolated (no NetworkPolicy selects it for ${direction})`;
  if (!r.allowed) return `${head}denied: isolated by ${isolatedBy} and no rule allows it`;
  const by = r.allowedBy.map((a) => ruleName('NetworkPolicy', a.policy, direction, a.ruleIndex)).join(', ');
  return `${head}allowed by ${by} (isolated by ${isolatedBy})`;
}

/** The verdict on the first line (what scripts read), then why, one line per direction. */
export function explanationText(e: Explanation, src: string, dst: string): string {
  if (e.verdict === 'undefined') return `undefined (host network)\n  ${e.reason}\n`;
  return `${e.verdict}\n  ${describeSide('egress', src, e.egress)}\n  ${describeSide('ingress', dst, e.ingress)}\n`;
}
