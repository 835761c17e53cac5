/**
 * Certificates embedded in a kubeconfig (`client-certificate-data` of its users,
 * `certificate-authority-data` of its clusters): kubeadm writes admin.conf, kubelet.conf and
 * friends this way, so their client certificates expire with no *.crt on disk to show it.
 */
import { parse } from 'yaml';

export interface KubeconfigCertData {
  kind: 'user' | 'cluster';
  /** The user's or cluster's name (`#N` when it has none). */
  name: string;
  field: 'client-certificate-data' | 'certificate-authority-data';
  /** The decoded PEM text. */
  pem: string;
}

function entries(doc: Record<string, unknown>, list: 'users' | 'clusters'): { name: string; body: Record<string, unknown> }[] {
  const items = doc[list];
  if (!Array.isArray(items)) return [];
  const inner = list === 'users' ? 'user' : 'cluster';
  const out: { name: string; body: Record<string, unknown> }[] = [];
  items.forEach((item: unknown, i) => {
    if (!item || typeof item !== 'object') return;
    const rec = item as Record<string, unknown>;
    const body = rec[inner];
    if (!body || typeof body !== 'object') return;
    out.push({ name: typeof rec.name === 'string' && rec.name ? rec.name : `#${i}`, body: body as Record<string, unknown> });
  });
  return out;
}

function decode(value: string): string {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new Error('not base64');
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * The embedded certificate data of a kubeconfig's text. Throws when the text is not a YAML
 * mapping; a field that is not base64 comes back as an `errors` line naming the user or cluster.
 */
export function kubeconfigCertData(text: string): { data: KubeconfigCertData[]; errors: string[] } {
  const doc: unknown = parse(text);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a kubeconfig (no YAML mapping)');
  const data: KubeconfigCertData[] = [];
  const errors: string[] = [];
  const take = (kind: 'user' | 'cluster', field: KubeconfigCertData['field'], list: 'users' | 'clusters') => {
    for (const { name, body } of entries(doc as Record<string, unknown>, list)) {
      const value = body[field];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value !== 'string') {
        errors.push(`${kind} ${name}: ${field} is not a string`);
        continue;
      }
      try {
        data.push({ kind, name, field, pem: decode(value) });
      } catch {
        errors.push(`${kind} ${name}: ${field} is not base64`);
      }
    }
  };
  take('user', 'client-certificate-data', 'users');
  take('cluster', 'certificate-authority-data', 'clusters');
  return { data, errors };
}
