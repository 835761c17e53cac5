import { describe, expect, it } from 'vitest';
import { decide } from '../../src/webhook/decide.js';
import { applyPatch } from '../../src/webhook/mutate.js';
import { BadReview, buildResponse, parseReview } from '../../src/webhook/review.js';
import { plainSpec, pod, policy, privilegedSpec, request } from './fixtures.js';

const review = (req: unknown, over: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: req, ...over });

function bad(body: string): string {
  try {
    parseReview(body);
  } catch (e) {
    expect(e).toBeInstanceOf(BadReview);
    expect((e as BadReview).httpStatus).toBe(400);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('AdmissionReview parsing', () => {
  it('reads a review', () => {
    const r = parseReview(Buffer.from(review(request(pod('web', plainSpec())))));
    expect(r.request.uid).toBe('e911857d-c318-11e8-bbad-025000000001');
    expect(r.request.kind?.kind).toBe('Pod');
  });
  it('rejects each kind of bad input in one line', () => {
    expect(bad('{"apiVersion": ')).toMatch(/^malformed JSON: /);
    expect(bad('')).toMatch(/^malformed JSON: /);
    expect(bad('[1]')).toBe('the body is not a JSON object');
    expect(bad('null')).toBe('the body is not a JSON object');
    expect(bad(review({ uid: 'x' }, { apiVersion: 'admission.k8s.io/v1beta1' }))).toBe('apiVersion "admission.k8s.io/v1beta1" is not admission.k8s.io/v1');
    expect(bad(JSON.stringify({ kind: 'AdmissionReview', request: { uid: 'x' } }))).toBe('apiVersion null is not admission.k8s.io/v1');
    expect(bad(review({ uid: 'x' }, { kind: 'Pod' }))).toBe('kind "Pod" is not AdmissionReview');
    expect(bad(review(undefined))).toBe('request is missing');
    expect(bad(review({ kind: { kind: 'Pod' } }))).toBe('request.uid is missing');
    expect(bad(review({ uid: 7 }))).toBe('request.uid is missing');
  });
});

describe('AdmissionReview responses', () => {
  const p = policy('rules:\n  - check: pod/privileged\n  - pss: {level: restricted}\n    mode: warn\n  - check: pod/resources\n    mode: audit\nmutations: [seccompRuntimeDefault]\n');

  it('denies on /validate with status, and no patch', () => {
    const res = buildResponse('u1', decide(p, request(pod('web', privilegedSpec()))), 'validate');
    expect(res.apiVersion).toBe('admission.k8s.io/v1');
    expect(res.kind).toBe('AdmissionReview');
    expect(res.response).toMatchObject({ uid: 'u1', allowed: false, status: { code: 403, message: expect.stringMatching(/^kubeladder denied Pod shop\/web: pod\/privileged: container "api" runs privileged/) } });
    expect(res.response.patch).toBeUndefined();
  });

  it('warns and annotates the audit log on /validate', () => {
    const res = buildResponse('u2', decide(p, request(pod('web', plainSpec()))), 'validate');
    expect(res.response.allowed).toBe(true);
    expect(res.response.warnings?.[0]).toMatch(/^kubeladder: pss\/restricted: /);
    expect(Object.keys(res.response.auditAnnotations ?? {})).toEqual(['pod.resources']);
  });

  it('patches on /mutate (base64 JSONPatch), and says nothing else there', () => {
    const obj = pod('web', privilegedSpec());
    const res = buildResponse('u3', decide(p, request(obj)), 'mutate');
    expect(res.response).toMatchObject({ uid: 'u3', allowed: true, patchType: 'JSONPatch' });
    expect(res.response.warnings).toBeUndefined();
    expect(res.response.status).toBeUndefined();
    const ops = JSON.parse(Buffer.from(res.response.patch!, 'base64').toString('utf8'));
    expect(ops).toEqual([{ op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }]);
    expect((applyPatch(obj, ops) as { spec: { securityContext: unknown } }).spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('answers a well-formed deny for an object the checks cannot read', () => {
    const res = buildResponse('u4', decide(p, request(pod('web', plainSpec()), { object: { kind: 'Pod', metadata: { name: 'web' }, spec: [] } })), 'validate');
    expect(res.response).toMatchObject({ uid: 'u4', allowed: false, status: { code: 400, message: 'kubeladder denied Pod shop/web could not be judged: the object has no pod spec where a Pod keeps it' } });
    const mut = buildResponse('u4', decide(p, request(pod('web', plainSpec()), { object: 'garbage' })), 'mutate');
    expect(mut.response).toEqual({ uid: 'u4', allowed: true });
  });
});
