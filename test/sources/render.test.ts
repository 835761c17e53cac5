/**
 * Kustomize directories and Helm charts, rendered by the real tools and scanned with the built
 * binary (run `npx tsc -p .` first). helm comes from scripts/install-helm.sh.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { firstLine } from '../../src/sources/render.js';
import { BIN, binary, ROOT, type CliRun } from '../helpers/cli.js';

const F = 'test/fixtures/render';
const HELM_DIR = join(homedir(), '.cache', 'kubeladder', 'bin');
const HELM = join(HELM_DIR, 'helm');
const HAVE_HELM = isExecutable(HELM);
const PATH_DIRS = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
const HAVE_KUSTOMIZE = PATH_DIRS.some((d) => isExecutable(join(d, 'kubectl')) || isExecutable(join(d, 'kustomize')));

/** PATH with helm first, as CI has it after scripts/install-helm.sh. */
const WITH_HELM = { PATH: [HELM_DIR, ...PATH_DIRS].join(delimiter) };
/** PATH with every directory that holds a helm taken out. */
const WITHOUT_HELM = { PATH: PATH_DIRS.filter((d) => d !== HELM_DIR && !isExecutable(join(d, 'helm'))).join(delimiter) };

const helmIt = HAVE_HELM ? it : it.skip;
const helmWhy = HAVE_HELM ? '' : ` [skipped: no helm at ${HELM}; run scripts/install-helm.sh]`;
const kustomizeIt = HAVE_KUSTOMIZE ? it : it.skip;
const kustomizeWhy = HAVE_KUSTOMIZE ? '' : ' [skipped: neither kubectl nor kustomize is on PATH]';

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function scanJson(args: string[], env: Record<string, string> = {}): CliRun & { doc: ResultsDocument } {
  const r = binary(['scan', ...args, '--format', 'json'], { env });
  let doc: ResultsDocument;
  try {
    doc = JSON.parse(r.stdout) as ResultsDocument;
  } catch {
    throw new Error(`scan ${args.join(' ')} gave no JSON (exit ${r.code}): ${r.stderr}`);
  }
  return { ...r, doc };
}

function failures(doc: ResultsDocument, check: string): ResultsDocument['results'] {
  return doc.results.filter((r) => r.status === 'fail' && r.check === check);
}

/** stderr lines that are about `dir` (the scan prints one line per input problem). */
function linesAbout(stderr: string, dir: string): string[] {
  return stderr.split('\n').filter((l) => l.includes(dir));
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error(`${BIN} needs dist/: run \`npx tsc -p .\` first`);
  if (!HAVE_HELM) console.warn(`render.test.ts: Helm cases skipped: no helm at ${HELM} (scripts/install-helm.sh builds it)`);
});

describe('Kustomize', () => {
  kustomizeIt(`reports what only the overlay's patch introduces, on the rendered object, in the overlay's kustomization.yaml${kustomizeWhy}`, () => {
    const base = scanJson([`${F}/kustomize/base`, '--fail-on', 'none']);
    expect(failures(base.doc, 'pod/privileged')).toEqual([]);

    const { code, doc, stderr } = scanJson([`${F}/kustomize/overlays/prod`]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(doc.inputs).toEqual({ files: 1, objects: 1 });
    expect(failures(doc, 'pod/privileged')).toEqual([
      expect.objectContaining({
        severity: 'critical',
        // namePrefix and namespace applied: the object as it would reach the cluster
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop-prod', name: 'prod-api' },
        path: 'spec.template.spec.containers[0].securityContext.privileged',
        file: `${F}/kustomize/overlays/prod/kustomization.yaml`,
      }),
    ]);
  });

  kustomizeIt(`names the directory in one line when the kustomization does not build${kustomizeWhy}`, () => {
    const dir = `${F}/broken-kustomize`;
    const alone = binary(['scan', dir]);
    expect(alone.code).toBe(2);
    const lines = linesAbout(alone.stderr, 'broken-kustomize');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${dir}: \`(kubectl kustomize|kustomize build) .*broken-kustomize\` failed: .*does-not-exist\\.yaml`));
    // kubectl's klog header and "command failed" wrapper are noise to the reader
    expect(lines[0]).not.toMatch(/run\.go|"command failed"|^\S+: E\d{4} /);

    const mixed = binary(['scan', dir, `${F}/tree/agent.yaml`]);
    expect(mixed.code).toBe(1); // from agent.yaml's privileged container, not 2
    expect(linesAbout(mixed.stderr, 'broken-kustomize')).toEqual(lines);
  });

  kustomizeIt(`in a tree, scans plain files and renders a nested kustomization once, not its resource files${kustomizeWhy}`, () => {
    const { code, doc, stderr } = scanJson([`${F}/tree`]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    // agent.yaml, plain/worker.yaml and one rendering of apps/shop-kustomize
    expect(doc.inputs).toEqual({ files: 3, objects: 3 });
    expect(failures(doc, 'pod/privileged').map((r) => [r.object?.name, r.file, r.line])).toEqual([['agent', `${F}/tree/agent.yaml`, 18]]);
    expect(failures(doc, 'image/latest-tag').map((r) => [r.object?.namespace, r.object?.name, r.file])).toEqual([
      // the `images:` transformer made it :latest, so the rendered object is what was checked
      ['shop', 'cart', `${F}/tree/apps/shop-kustomize/kustomization.yaml`],
      ['shop', 'worker', `${F}/tree/plain/worker.yaml`],
    ]);
    expect(doc.results.filter((r) => r.file?.endsWith('cart.yaml'))).toEqual([]);
  });
});

describe('Helm', () => {
  helmIt(`reports a finding from the chart's default values in <chart>/templates/deployment.yaml${helmWhy}`, () => {
    const { code, doc, stderr } = scanJson([`${F}/chart/web`], WITH_HELM);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(doc.inputs).toEqual({ files: 1, objects: 1 });
    expect(failures(doc, 'image/latest-tag')).toEqual([
      expect.objectContaining({
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'kubeladder-web' },
        path: 'spec.template.spec.containers[0].image',
        file: `${F}/chart/web/templates/deployment.yaml`,
      }),
    ]);
  });

  it('without helm on PATH: one line naming the chart, the other inputs still scanned, exit 2 only when nothing else was read', () => {
    const chart = `${F}/chart/web`;
    const mixed = scanJson([chart, `${F}/tree/agent.yaml`], WITHOUT_HELM);
    const lines = linesAbout(mixed.stderr, chart);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${chart}: helm is not on PATH; `));
    expect(mixed.code).toBe(1); // agent.yaml's critical finding decides, not the missing helm
    expect(failures(mixed.doc, 'pod/privileged').map((r) => r.file)).toEqual([`${F}/tree/agent.yaml`]);
    expect(mixed.doc.results.filter((r) => r.file?.startsWith(chart))).toEqual([]);

    const clean = binary(['scan', chart, `${F}/tree/agent.yaml`, '--fail-on', 'none'], { env: WITHOUT_HELM });
    expect(clean.code).toBe(0);

    const alone = binary(['scan', chart], { env: WITHOUT_HELM });
    expect(alone.code).toBe(2);
    expect(linesAbout(alone.stderr, chart)).toEqual(lines);
    expect(alone.stderr).toContain('no input could be read');
  });
});

describe('firstLine', () => {
  it("strips kubectl's klog header and unwraps its quoted error", () => {
    const klog =
      'E1127 14:51:05.191391   15290 run.go:72] "command failed" err="accumulating resources: accumulating \\"x.yaml\\": no such file"\nmore';
    expect(firstLine(klog)).toBe('accumulating resources: accumulating "x.yaml": no such file');
  });

  it('keeps any other first line as it is', () => {
    expect(firstLine('Error: Chart.yaml file is missing\nUsage: ...')).toBe('Error: Chart.yaml file is missing');
    expect(firstLine('  Error: something\n')).toBe('Error: something');
  });
});
