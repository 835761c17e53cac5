/**
 * The API server counts requests to deprecated API versions in the gauge
 * `apiserver_requested_deprecated_apis{group,version,resource,subresource,removed_release}`:
 * proof that some client still calls them, whatever the stored objects say.
 */

export interface DeprecatedRequest {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** The release that removes it (`1.38`), when the server knows. */
  removedRelease: string;
}

const METRIC = 'apiserver_requested_deprecated_apis';

/** Parses the Prometheus text exposition; only series whose value is non-zero count. */
export function parseDeprecatedRequests(metrics: string): DeprecatedRequest[] {
  const out: DeprecatedRequest[] = [];
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${METRIC}{`)) continue;
    const close = line.lastIndexOf('}');
    const value = Number(line.slice(close + 1).trim().split(/\s+/)[0]);
    if (!(value > 0)) continue;
    const labels = parseLabels(line.slice(METRIC.length + 1, close));
    out.push({
      group: labels.group ?? '',
      version: labels.version ?? '',
      resource: labels.resource ?? '',
      subresource: labels.subresource ?? '',
      removedRelease: labels.removed_release ?? '',
    });
  }
  return out;
}

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out[m[1]!] = m[2]!.replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n');
  return out;
}

export function apiVersionOfRequest(r: DeprecatedRequest): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
