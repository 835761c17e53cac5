/**
 * SARIF 2.1.0 as GitHub code scanning takes it: one run, a rule per check, a result per failure
 * or exemption, fingerprints that survive line moves, and nothing that changes between runs.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { CheckSummary } from '../core/ladder.js';
import type { Result, Severity } from '../core/types.js';
import { referenceTags } from '../docs/catalogue.js';
import { PROJECT_URL, checkDoc, docsUrl, isWebUrl, subjectName, type CheckDoc } from './common.js';
import type { Reporter } from './types.js';

const SCHEMA = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub ranks alerts by this score: 9.0+ critical, 7.0+ high, 4.0+ medium, below that low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

export const sarif: Reporter = (ctx) => {
  const { doc } = ctx;
  const ruleIndex = new Map(doc.checks.map((c, i) => [c.id, i]));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubeladder',
            version: doc.tool.version,
            semanticVersion: doc.tool.version,
            informationUri: PROJECT_URL,
            rules: doc.checks.map((c) => rule(c, checkDoc(ctx, c.id))),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notAssessed(doc.results, ruleIndex) }],
        // Failures are alerts and exemptions are suppressed alerts. Passes would be noise, and
        // not-assessed checks have no subject to point at, so they are tool notifications above.
        results: doc.results.filter((r) => r.status === 'fail' || r.status === 'exempt').map((r) => result(r, ruleIndex.get(r.check))),
        properties: { rungReached: doc.ladder.rung, rungs: doc.ladder.rungs.map(({ rung, name, status, blockers }) => ({ rung, name, status, blockers })) },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function rule(c: CheckSummary, d: CheckDoc): Record<string, unknown> {
  const firstUrl = d.references.find((r) => isWebUrl(r.url))?.url;
  return {
    id: c.id,
    name: c.id.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: d.title },
    fullDescription: { text: d.rationale ?? d.title },
    help: { text: helpText(d), markdown: helpMarkdown(d) },
    helpUri: firstUrl ?? docsUrl(c.id),
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: {
      tags: ['security', 'kubernetes', `rung-${c.rung}`, ...d.references.flatMap((r) => (r.cis ? [`cis-${r.cis}`] : []))],
      'security-severity': SECURITY_SEVERITY[c.severity],
      precision: 'high',
      'problem.severity': LEVEL[c.severity] === 'note' ? 'recommendation' : LEVEL[c.severity],
    },
  };
}

function helpText(d: CheckDoc): string {
  const refs = d.references.map((r) => `- ${r.title}${referenceTags(r) ? ` (${referenceTags(r)})` : ''}${r.url ? ` ${r.url}` : ''}`);
  return [d.remediation ?? `See \`kubeladder explain ${d.id}\`.`, ...(refs.length ? ['', 'References:', ...refs] : [])].join('\n');
}

function helpMarkdown(d: CheckDoc): string {
  const refs = d.references.map((r) => {
    const tags = referenceTags(r);
    return `- ${isWebUrl(r.url) ? `[${r.title}](${r.url})` : r.title}${tags ? ` (${tags})` : ''}`;
  });
  const parts = [`**${d.title}**`, ''];
  if (d.rationale) parts.push(d.rationale, '');
  parts.push(`**Fix:** ${d.remediation ?? `see \`kubeladder explain ${d.id}\``}`);
  if (refs.length) parts.push('', '**References:**', '', ...refs);
  return parts.join('\n');
}

function result(r: Result, ruleIndex: number | undefined): Record<string, unknown> {
  const subject = subjectName(r);
  const out: Record<string, unknown> = {
    ruleId: r.check,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[r.severity],
    message: { text: messageText(r, subject) },
    locations: location(r, subject),
    partialFingerprints: { 'kubeladder/v1': fingerprint(r, subject) },
    properties: { rung: r.rung, severity: r.severity, status: r.status },
  };
  if (r.status === 'exempt') out.suppressions = [{ kind: 'external', state: 'accepted', justification: r.reason ?? 'exempt' }];
  return out;
}

function messageText(r: Result, subject: string): string {
  const at = r.path ? ` at ${r.path}` : '';
  const expired = r.status === 'fail' && r.reason ? ` (${r.reason})` : '';
  return `${subject ? `${subject}${at}: ` : at ? `${at.trim()}: ` : ''}${r.message}${expired}`;
}

function location(r: Result, subject: string): Array<Record<string, unknown>> {
  const logical = r.object ? [{ fullyQualifiedName: subject, name: r.object.name, kind: 'resource' }] : [];
  const uri = r.file !== undefined && r.file !== '-' ? artifactUri(r.file) : undefined;
  if (uri === undefined) return logical.length ? [{ logicalLocations: logical }] : [];
  const region = r.line ? { region: { startLine: r.line, ...(r.column ? { startColumn: r.column } : {}) } } : {};
  return [{ physicalLocation: { artifactLocation: { uri }, ...region }, ...(logical.length ? { logicalLocations: logical } : {}) }];
}

/** Relative paths stay relative (GitHub resolves them against the repository root); absolute ones become file: URIs. */
export function artifactUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) return pathToFileURL(file).href;
  return slashed
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

/** Stable across runs and line moves: the check, the subject and the field, never the line. */
function fingerprint(r: Result, subject: string): string {
  return createHash('sha256').update(`${r.check}\n${subject}\n${r.path ?? ''}`).digest('hex').slice(0, 32);
}

function notAssessed(results: readonly Result[], ruleIndex: Map<string, number>): Array<Record<string, unknown>> {
  return results
    .filter((r) => r.status === 'not-assessed')
    .map((r) => ({
      level: 'warning',
      message: { text: `${r.check} not assessed${r.object ? ` for ${subjectName(r)}` : ''}: ${r.reason ?? r.message}` },
      associatedRule: { id: r.check, ...(ruleIndex.has(r.check) ? { index: ruleIndex.get(r.check) } : {}) },
    }));
}

