import { describe, expect, it } from 'vitest';
import check from '../../src/checks/configmap/sensitive-keys.js';
import { failuresOf } from '../helpers/check-tester.js';

const SECRET = 'sk_live_51Habcdefghijklmnop';
const KEY_BODY = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49';

const YAML = `apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data:
  LOG_LEVEL: info
  STRIPE_API_KEY: ${SECRET}
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    ${KEY_BODY}
    -----END PRIVATE KEY-----
  STRIPE_API_KEY_FILE: /etc/stripe/key
  DB_PASSWORD: \${DB_PASSWORD}
binaryData:
  client.key: TUlHSEFnRUFNQk1HQnlxR1NNNDlBZ0VHQ0NxR1NNNDk=
`;

describe('configmap/sensitive-keys', () => {
  it('points at each key, in data and binaryData', async () => {
    const f = await failuresOf(check, YAML);
    expect(f.map((r) => r.path)).toEqual(['data.STRIPE_API_KEY', 'data["tls.key"]', 'binaryData["client.key"]']);
    expect(f.map((r) => r.line)).toEqual([6, 7, 14]);
    expect(f[1]!.message).toBe('ConfigMap key "tls.key" (data) is named like a secret (KEY) and holds a value that anyone who can read ConfigMaps in namespace "shop" can read');
  });

  it('never prints a value', async () => {
    const all = JSON.stringify(await failuresOf(check, YAML));
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SECRET.slice(0, 8));
    expect(all).not.toContain(KEY_BODY);
    expect(all).not.toContain('BEGIN PRIVATE KEY');
    expect(all).not.toContain('TUlHSEFn');
  });
});
