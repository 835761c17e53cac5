/**
 * One self-contained HTML page: the ladder drawn as a ladder, the counts, and every listed
 * result in a table filtered in the browser. Nothing is fetched: styles and script are inline,
 * a Content-Security-Policy forbids any load, and the results travel as JSON inside a
 * non-executed script element, rendered with textContent only.
 */
import { createHash } from 'node:crypto';
import { blocksRung } from '../core/severity.js';
import type { RungSummary } from '../core/ladder.js';
import { SEVERITIES, STATUSES } from '../core/types.js';
import { checkDoc, placeOf, plural, scanLine, subjectName } from './common.js';
import type { ReportContext, Reporter } from './types.js';

export const html: Reporter = (ctx) => {
  const { doc } = ctx;
  const title = `kubeladder ${ctx.command}: rung ${doc.ladder.rung} of 5`;
  const csp = `default-src 'none'; style-src '${sha256(STYLE)}'; script-src '${sha256(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>kubeladder ${esc(ctx.command)}</h1><p>${esc(scanLine(doc))} · kubeladder ${esc(doc.tool.version)}</p></header>
<main>
<div class="top">
${ladderSection(ctx)}
${summarySection(ctx)}
</div>
${findingsSection(ctx)}
${footerSection(ctx)}
</main>
<script type="application/json" id="kubeladder-data">${jsonForScript(reportData(ctx))}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
};

function ladderSection({ doc }: ReportContext): string {
  const rungs = [...doc.ladder.rungs].reverse().map((r) => rungHtml(r, doc.ladder.rung));
  const ground = `<div class="ground${doc.ladder.rung === 0 ? ' reached' : ''}"><span class="num">0</span><span class="name">Get educated</span>${doc.ladder.rung === 0 ? HERE : ''}</div>`;
  return `<section class="card ladder-card" aria-label="ladder">
<h2>Rung reached <span class="reached-num${doc.ladder.rung === 0 ? ' zero' : ''}" id="rung-reached">${doc.ladder.rung}</span><span class="of"> of 5</span></h2>
<p class="verdict">${codeSpans(verdict(doc.ladder.rungs))}</p>
<div class="ladder" role="list">
${rungs.join('\n')}
${ground}
</div>
</section>`;
}

const HERE = '<span class="here">◀ you are here</span>';

function rungHtml(r: RungSummary, reached: number): string {
  const detail = r.status === 'failed' ? ` · ${plural(r.blockers, 'blocker')}` : r.status === 'passed' ? ` · ${r.counts.pass} pass` : r.status === 'partial' ? ` · ${r.counts['not-assessed']} not assessed` : '';
  const cls = ['rung', `st-${r.status}`, r.rung === reached ? 'reached' : ''].filter(Boolean).join(' ');
  const here = r.rung === reached ? HERE : '';
  const hint = r.hint ? ` title="${esc(r.hint)}"` : '';
  return `<div class="${cls}" role="listitem" data-rung="${r.rung}" data-status="${r.status}"${hint}><span class="num">${r.rung}</span><span class="name">${esc(r.name)}</span>${here}<span class="st">${esc(r.status.replace('-', ' '))}${esc(detail)}</span></div>`;
}

/** "Rung 1 not assessed: needs .... Rung 2 failed: 3 blockers.": the next two rungs not yet passed. */
function verdict(rungs: readonly RungSummary[]): string {
  const open = rungs.filter((r) => r.status !== 'passed');
  if (open.length === 0) return 'Every rung passed.';
  return open
    .slice(0, 2)
    .map((r) => (r.status === 'failed' ? `Rung ${r.rung} failed: ${plural(r.blockers, 'blocker')}.` : `Rung ${r.rung} ${r.status.replace('-', ' ')}: ${r.hint ?? ''}`))
    .join(' ');
}

function summarySection({ doc }: ReportContext): string {
  const c = doc.summary.counts;
  const tiles = ([['fail', 'failed'], ['pass', 'passed'], ['exempt', 'exempt'], ['not-assessed', 'not assessed']] as const).map(
    ([k, label]) => `<div class="tile t-${k}"><b>${c[k]}</b><span>${label}</span></div>`,
  );
  const sev = SEVERITIES.map((s) => `<span class="sev sev-${s}">${doc.summary.failures[s]} ${s}</span>`).join(' ');
  const blockers = doc.results.filter((r) => r.status === 'fail' && blocksRung(r.severity));
  const list = blockers.slice(0, 8).map((r) => `<li><span class="sev sev-${esc(r.severity)}">${esc(r.severity)}</span> <code>${esc(r.check)}</code> ${esc(subjectName(r) || r.message)}</li>`);
  if (blockers.length > 8) list.push(`<li class="muted">… and ${blockers.length - 8} more in the table</li>`);
  return `<section class="card summary-card" aria-label="summary">
<h2>Summary</h2>
<div class="tiles">${tiles.join('')}</div>
<p class="sevline">Failures by severity: ${sev}</p>
${blockers.length ? `<h3>Blocking the ladder (${blockers.length})</h3><ul class="blockers">${list.join('')}</ul>` : '<p class="muted">Nothing at high or critical severity blocks a rung.</p>'}
</section>`;
}

function findingsSection({ doc }: ReportContext): string {
  const select = (id: string, label: string, options: Array<[string, string]>): string =>
    `<label>${label} <select id="${id}"><option value="">all</option>${options.map(([v, t]) => `<option value="${esc(v)}">${esc(t)}</option>`).join('')}</select></label>`;
  const namespaces = [...new Set(doc.results.map(namespaceOf))].sort();
  return `<section class="card findings" aria-label="results">
<h2>Results</h2>
<div class="filters">
${select('f-rung', 'Rung', doc.ladder.rungs.map((r) => [String(r.rung), `${r.rung} · ${r.name}`]))}
${select('f-severity', 'Severity', SEVERITIES.map((s) => [s, s]))}
${select('f-namespace', 'Namespace', namespaces.map((n) => [n, n === CLUSTER_SCOPED ? '(cluster-scoped)' : n]))}
${select('f-status', 'Status', STATUSES.map((s) => [s, s.replace('-', ' ')]))}
<label class="grow">Search <input id="f-text" type="search" placeholder="check, object, path, message"></label>
<span id="shown" class="muted" aria-live="polite"></span>
</div>
<table id="results">
<colgroup><col class="c-sev"><col class="c-status"><col class="c-check"><col class="c-obj"><col class="c-path"><col class="c-msg"><col class="c-fix"></colgroup>
<thead><tr><th>Severity</th><th>Status</th><th>Check</th><th>Object</th><th>Path</th><th>Message</th><th>Fix</th></tr></thead>
<tbody></tbody>
</table>
<noscript><p>The results table needs JavaScript; <code>--format markdown</code> or <code>--format text</code> list them without.</p></noscript>
${hiddenNote(doc.summary.counts, doc.results)}
</section>`;
}

function hiddenNote(c: Record<string, number>, results: ReportContext['doc']['results']): string {
  const hidden: string[] = [];
  if (c.pass > 0 && !results.some((r) => r.status === 'pass')) hidden.push(`${c.pass} passing results are not listed (--show-passed lists them)`);
  if (c.exempt > 0 && !results.some((r) => r.status === 'exempt')) hidden.push(`${c.exempt} exempt results are not listed (--show-exempt lists them)`);
  return hidden.length ? `<p class="muted">${esc(hidden.join('; '))}.</p>` : '';
}

function footerSection({ doc }: ReportContext): string {
  const parts: string[] = [];
  if (doc.notes.length) parts.push(`<h3>Notes</h3><ul>${doc.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  if (doc.problems.length) {
    const items = doc.problems.map((p) => `<li><code>${esc(`${p.file}${p.line ? `:${p.line}` : ''}`)}</code> ${p.warning ? 'warning: ' : ''}${esc(p.message)}</li>`);
    parts.push(`<h3>Input problems (${doc.problems.length})</h3><ul>${items.join('')}</ul>`);
  }
  return parts.length ? `<section class="card" aria-label="notes">${parts.join('\n')}</section>` : '';
}

/** The namespace filter's value for results about no namespaced object; no namespace can be named `-`. */
const CLUSTER_SCOPED = '-';

function namespaceOf(r: ReportContext['doc']['results'][number]): string {
  return r.object?.namespace ?? CLUSTER_SCOPED;
}

/** What the script renders: one row per listed result, and each check's documentation once. */
function reportData(ctx: ReportContext): unknown {
  const ids = [...new Set(ctx.doc.results.map((r) => r.check))];
  return {
    checks: Object.fromEntries(ids.map((id) => [id, checkDoc(ctx, id)])),
    results: ctx.doc.results.map((r) => ({
      check: r.check,
      rung: r.rung,
      severity: r.severity,
      status: r.status,
      subject: subjectName(r),
      namespace: namespaceOf(r),
      place: placeOf(r),
      path: r.path ?? '',
      message: r.message,
      reason: r.reason ?? '',
      fix: r.status === 'pass' ? '' : (r.remediation ?? ''),
    })),
  };
}

/** JSON that cannot end its script element or open a comment, whatever the results say. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Escapes, then shows kubeladder's own `command` spans as code. */
function codeSpans(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function sha256(s: string): string {
  return `sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}`;
}

const STYLE = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#f6f8fa;--card:#fff;--line:#d0d7de;
--passed:#1a7f37;--failed:#cf222e;--partial:#9a6700;--na:#8c959f;
--critical:#8b0000;--high:#cf222e;--medium:#bc4c00;--low:#0969da;--info:#6e7781}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 28px;background:#24292f;color:#fff}
header h1{margin:0;font-size:20px}header p{margin:2px 0 0;color:#c9d1d9}
main{padding:20px 28px;max-width:1500px;margin:0 auto}
h2{margin:0 0 10px;font-size:17px}h3{margin:16px 0 8px;font-size:14px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:20px}
.top{display:grid;grid-template-columns:minmax(340px,460px) 1fr;gap:20px;align-items:start}
.top .card{margin-bottom:0}.top+section{margin-top:20px}
@media (max-width:900px){.top{grid-template-columns:1fr}}
.reached-num{font-size:28px;color:var(--passed);vertical-align:-3px}.reached-num.zero{color:var(--fg)}.of{color:var(--muted);font-weight:400}
.verdict{margin:0 0 14px;color:var(--muted)}.verdict code{background:#eaeef2;padding:0 4px;border-radius:4px}
.ladder{position:relative;padding:16px 26px 0}
.ladder::before,.ladder::after{content:"";position:absolute;top:0;bottom:30px;width:12px;border-radius:6px 6px 0 0;background:linear-gradient(90deg,#9c7a4f,#7a5a34)}
.ladder::before{left:8px}.ladder::after{right:8px}
.rung,.ground{position:relative;z-index:1;display:flex;align-items:center;gap:10px;height:44px;margin:0 -6px 18px;padding:0 12px;border-radius:5px;color:#fff;box-shadow:0 2px 0 rgba(0,0,0,.18)}
.num{font-weight:700;font-size:18px;width:18px;text-align:center}
.name{font-weight:600;flex:1;white-space:nowrap}
.st{font-size:12px;white-space:nowrap;opacity:.95}
.st-passed{background:var(--passed)}.st-failed{background:var(--failed)}.st-partial{background:var(--partial)}
.st-not-assessed{background:#f6f8fa;color:var(--muted);border:2px dashed var(--na);box-shadow:none}
.reached{outline:3px solid #0969da;outline-offset:3px}
.ground{margin:0 -26px;height:40px;border-radius:0 0 6px 6px;background:#eaeef2;color:var(--muted);border-top:4px solid #7a5a34;box-shadow:none}
.here{background:#0969da;color:#fff;font-size:11px;font-weight:600;padding:2px 8px;border-radius:10px;white-space:nowrap}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}
.tile{border:1px solid var(--line);border-radius:6px;padding:10px 12px;border-left-width:5px}
.tile b{display:block;font-size:24px}.tile span{color:var(--muted)}
.t-fail{border-left-color:var(--failed)}.t-pass{border-left-color:var(--passed)}.t-exempt{border-left-color:var(--na)}.t-not-assessed{border-left-color:var(--partial)}
.sevline{margin:12px 0 0}
.sev{display:inline-block;white-space:nowrap;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--info)}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}
.blockers{margin:0;padding-left:18px}.blockers li{margin:3px 0}
.filters{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center;margin-bottom:12px}
.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;background:#fff}
.filters .grow{flex:1;min-width:220px}.filters .grow input{width:70%}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-size:12px;color:var(--muted);border-bottom:2px solid var(--line);padding:6px 8px;position:sticky;top:0;background:var(--card)}
td{vertical-align:top;border-bottom:1px solid #eaeef2;padding:8px;overflow-wrap:break-word}
td code{overflow-wrap:anywhere}td span code{background:#eaeef2;padding:0 3px;border-radius:3px}
.c-sev{width:78px}.c-status{width:92px}.c-check{width:16%}.c-obj{width:15%}.c-path{width:15%}.c-fix{width:22%}
td.path code{color:#57606a}.place{display:block;color:#57606a;margin-top:2px}
tr.s-pass td{color:var(--muted)}
.status{font-size:12px;font-weight:600;white-space:nowrap}
.status-fail{color:var(--failed)}.status-pass{color:var(--passed)}.status-exempt,.status-not-assessed{color:var(--muted)}
.title{display:block;color:var(--muted);font-size:12px}
details{margin-top:4px;font-size:12px}summary{cursor:pointer;color:#0969da}
details p{margin:4px 0}details ul{margin:4px 0;padding-left:16px}
.reason{display:block;color:var(--muted);font-size:12px;margin-top:3px}
#empty td{text-align:center;color:var(--muted);padding:24px}
`;

/** Plain ES2017 run in the page; builds every cell with textContent, so no result text becomes markup. */
const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kubeladder-data').textContent);
  var tbody = document.querySelector('#results tbody');
  var filters = ['rung', 'severity', 'namespace', 'status'].map(function (k) { return [k, document.getElementById('f-' + k)]; });
  var text = document.getElementById('f-text');
  var shown = document.getElementById('shown');

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  }
  function td(cls, children) {
    var c = el('td', cls);
    children.forEach(function (x) { if (x) c.appendChild(typeof x === 'string' ? document.createTextNode(x) : x); });
    return c;
  }
  function withCode(text) {
    var span = el('span');
    text.split('\x60').forEach(function (part, i) { span.appendChild(i % 2 ? el('code', '', part) : document.createTextNode(part)); });
    return span;
  }
  function why(doc) {
    if (!doc.rationale && !(doc.references || []).length) return null;
    var d = el('details');
    d.appendChild(el('summary', '', 'Why it matters'));
    if (doc.rationale) d.appendChild(el('p', '', doc.rationale));
    var refs = (doc.references || []).filter(function (r) { return r.url || r.cis || r.pss; });
    if (refs.length) {
      var ul = el('ul');
      refs.forEach(function (r) {
        var li = el('li');
        if (r.url && /^https?:\\/\\//i.test(r.url)) {
          var a = el('a', '', r.title);
          a.href = r.url;
          a.rel = 'noopener noreferrer';
          a.target = '_blank';
          li.appendChild(a);
        } else li.appendChild(document.createTextNode(r.title));
        var tags = [r.cis ? 'CIS ' + r.cis : '', r.pss ? 'PSS: ' + r.pss : ''].filter(Boolean).join(', ');
        if (tags) li.appendChild(document.createTextNode(' (' + tags + ')'));
        ul.appendChild(li);
      });
      d.appendChild(ul);
    }
    return d;
  }
  function row(r) {
    var doc = data.checks[r.check] || { title: r.check, references: [] };
    var tr = el('tr', 's-' + r.status);
    tr.dataset.rung = String(r.rung);
    tr.dataset.severity = r.severity;
    tr.dataset.namespace = r.namespace;
    tr.dataset.status = r.status;
    tr.dataset.text = [r.check, r.subject, r.place, r.path, r.message, r.reason].join(' ').toLowerCase();
    tr.appendChild(td('', [el('span', 'sev sev-' + r.severity, r.severity)]));
    tr.appendChild(td('', [el('span', 'status status-' + r.status, r.status.replace('-', ' '))]));
    tr.appendChild(td('', [el('code', '', r.check), el('span', 'title', doc.title), r.status === 'pass' ? null : why(doc)]));
    tr.appendChild(td('obj', [el('span', '', r.subject), r.place ? el('code', 'place', r.place) : null]));
    tr.appendChild(td('path', [r.path ? el('code', '', r.path) : null]));
    tr.appendChild(td('', [r.status === 'pass' ? 'passes' : r.message, r.reason ? el('span', 'reason', (r.status === 'exempt' ? 'exempt: ' : '') + r.reason) : null]));
    tr.appendChild(td('', [r.fix ? withCode(r.fix) : null]));
    return tr;
  }

  // Failures first, then exemptions, what was not assessed and passes, each in the document's order.
  var order = { fail: 0, exempt: 1, 'not-assessed': 2, pass: 3 };
  var rows = data.results
    .map(function (r, i) { return [r, i]; })
    .sort(function (a, b) { return order[a[0].status] - order[b[0].status] || a[1] - b[1]; })
    .map(function (x) { return row(x[0]); });
  rows.forEach(function (tr) { tbody.appendChild(tr); });
  var empty = el('tr');
  empty.id = 'empty';
  var cell = el('td', '', 'No results match these filters.');
  cell.colSpan = 7;
  empty.appendChild(cell);
  tbody.appendChild(empty);

  function apply() {
    var q = text.value.trim().toLowerCase();
    var visible = 0;
    rows.forEach(function (tr) {
      var ok = filters.every(function (f) { return !f[1].value || tr.dataset[f[0]] === f[1].value; }) && (!q || tr.dataset.text.indexOf(q) >= 0);
      tr.hidden = !ok;
      if (ok) visible++;
    });
    empty.hidden = visible > 0;
    shown.textContent = 'showing ' + visible + ' of ' + rows.length;
  }
  filters.forEach(function (f) { f[1].addEventListener('change', apply); });
  text.addEventListener('input', apply);
  apply();
})();
`;
