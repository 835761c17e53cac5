/** Renders Kustomize directories and Helm charts with the tools people already use. */
import { execFile } from 'node:child_process';

export class RenderError extends Error {}

const MAX_OUTPUT = 512 * 1024 * 1024;

function run(cmd: string, args: string[], what: string, missing: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new RenderError(`${what}: ${missing}`));
      reject(new RenderError(`${what}: \`${cmd} ${args.join(' ')}\` failed: ${firstLine(stderr || err.message)}`));
    });
  });
}

/**
 * The first line of a tool's error, without klog's header: kubectl prints
 * `E1127 14:51:05.191391   15290 run.go:72] "command failed" err="accumulating resources: ..."`.
 */
export function firstLine(stderr: string): string {
  const line = stderr.trim().split('\n')[0]!.trim();
  const msg = line.replace(/^[IWEF]\d{4} [\d:.]+\s+\d+ [^\]]+\] /, '');
  const wrapped = /^"command failed" err="(.*)"$/.exec(msg);
  return wrapped ? wrapped[1]!.replace(/\\(["\\])/g, '$1') : msg;
}

/** `kubectl kustomize DIR`, or `kustomize build DIR` when kubectl is missing. */
export async function renderKustomize(dir: string): Promise<string> {
  try {
    return await run('kubectl', ['kustomize', dir], `kustomization in ${dir}`, 'kubectl is not on PATH');
  } catch (e) {
    if (!(e instanceof RenderError) || !e.message.endsWith('kubectl is not on PATH')) throw e;
    return run('kustomize', ['build', dir], `kustomization in ${dir}`, 'neither kubectl nor kustomize is on PATH; install one, or render with `kubectl kustomize` and scan the output');
  }
}

export function renderHelm(dir: string, release = 'kubeladder'): Promise<string> {
  return run('helm', ['template', release, dir], `Helm chart ${dir}`, 'helm is not on PATH; install helm, or render the chart with `helm template` and scan the output');
}
