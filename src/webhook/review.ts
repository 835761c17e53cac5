/**
 * AdmissionReview (admission.k8s.io/v1) in and out: parses the HTTP body the API server posts,
 * rejecting what is not a review with a one-line reason (the server answers 400), and builds
 * the response for the validating or the mutating endpoint from a decision.
 */
import type { AdmissionRequest, Decision } from './decide.js';
import type { JsonPatchOp } from './mutate.js';

/** Bodies above this are refused (413) before they are read in full; the API server caps objects at 3 MiB too. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request: AdmissionRequest;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  patchType?: 'JSONPatch';
  patch?: string;
}

export class BadReview extends Error {
  readonly httpStatus = 400;
}

/** The review in `body`, or a BadReview saying in one line what is wrong with it. */
export function parseReview(body: string | Buffer): AdmissionReview {
  let v: unknown;
  try {
    v = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (e) {
    throw new BadReview(`malformed JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadReview('the body is not a JSON object');
  const o = v as Record<string, unknown>;
  if (o.apiVersion !== 'admission.k8s.io/v1') throw new BadReview(`apiVersion ${JSON.stringify(o.apiVersion ?? null)} is not admission.k8s.io/v1`);
  if (o.kind !== 'AdmissionReview') throw new BadReview(`kind ${JSON.stringify(o.kind ?? null)} is not AdmissionReview`);
  const req = o.request;
  if (typeof req !== 'object' || req === null || Array.isArray(req)) throw new BadReview('request is missing');
  const uid = (req as { uid?: unknown }).uid;
  if (typeof uid !== 'string' || uid === '') throw new BadReview('request.uid is missing');
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: req as AdmissionRequest };
}

export type Endpoint = 'validate' | 'mutate';

/** Audit annotation keys: the check id as a qualified-name part (`pod.privileged`). */
function auditKey(check: string): string {
  return check.replace(/[^A-Za-z0-9._-]/g, '.').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63) || 'finding';
}

/**
 * The response for one endpoint. /validate carries the verdict, warnings and audit
 * annotations; /mutate only the patch (validation runs after mutation, on the patched object,
 * so warnings and denials said there would be said twice or about the wrong object).
 */
export function buildResponse(uid: string, decision: Decision, endpoint: Endpoint): { apiVersion: 'admission.k8s.io/v1'; kind: 'AdmissionReview'; response: AdmissionResponse } {
  const response: AdmissionResponse = { uid, allowed: true };
  if (endpoint === 'validate') {
    response.allowed = decision.allowed;
    if (decision.status) response.status = decision.status;
    if (decision.warnings.length) response.warnings = decision.warnings;
    if (decision.audit.length) {
      const ann: Record<string, string> = {};
      for (const a of decision.audit) {
        const k = auditKey(a.check);
        ann[k] = ann[k] ? `${ann[k]}; ${a.message}` : a.message;
      }
      response.auditAnnotations = ann;
    }
  } else if (decision.patch?.length) {
    response.patchType = 'JSONPatch';
    response.patch = encodePatch(decision.patch);
  }
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

export function encodePatch(ops: readonly JsonPatchOp[]): string {
  return Buffer.from(JSON.stringify(ops), 'utf8').toString('base64');
}
