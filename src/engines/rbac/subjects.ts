/**
 * Binding subjects and the users they stand for, as the API server's appliesToUser
 * (pkg/registry/rbac/validation/rule.go) matches them: a User by name, a Group by membership, a
 * ServiceAccount by the username its tokens authenticate as.
 */
import type { Subject, UserInfo } from './types.js';

const SA_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:<namespace>:<name>`, the user a ServiceAccount's token authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/**
 * The user the API server's authenticator makes of a ServiceAccount token: its username and the
 * groups every ServiceAccount gets (RBAC itself adds no groups: callers that build users by hand
 * decide which groups they carry).
 */
export function userForServiceAccount(namespace: string, name: string): UserInfo {
  return {
    name: serviceAccountUsername(namespace, name),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/**
 * The subject as it applies: a ServiceAccount without a namespace stands for the one in the
 * binding's namespace, and for none at all in a ClusterRoleBinding (`bindingNamespace` '').
 * Undefined when the subject can match no user.
 */
export function effectiveSubject(s: Subject, bindingNamespace: string): Subject | undefined {
  if (s.kind !== 'ServiceAccount') return s;
  const namespace = s.namespace || bindingNamespace;
  if (!namespace) return undefined;
  return s.namespace === namespace ? s : { kind: s.kind, name: s.name, namespace };
}

/**
 * Index key of the users a subject matches: `u:<username>` for Users and ServiceAccounts (the
 * API server's MatchesUsername amounts to comparing the full username), `g:<group>` for Groups.
 * `subject` must be effective (see {@link effectiveSubject}).
 */
export function subjectKey(s: Subject): string {
  switch (s.kind) {
    case 'User':
      return `u:${s.name}`;
    case 'Group':
      return `g:${s.name}`;
    case 'ServiceAccount':
      return `u:${serviceAccountUsername(s.namespace ?? '', s.name)}`;
  }
}

/** The keys under which a user's bindings are indexed: its name and each of its groups. */
export function userKeys(user: UserInfo): string[] {
  return [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
}

/** Whether `s`, a subject of a binding in `bindingNamespace` ('' for a ClusterRoleBinding), applies to `user`. */
export function appliesToUser(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const namespace = s.namespace || bindingNamespace;
      return namespace !== '' && user.name === serviceAccountUsername(namespace, s.name);
    }
  }
}

const KINDS: ReadonlySet<string> = new Set(['User', 'Group', 'ServiceAccount']);

/**
 * The subjects of a binding object. Entries of another kind match no user upstream, so they are
 * dropped; so are entries without a name (the API server rejects them).
 */
export function parseSubjects(raw: unknown): Subject[] {
  if (!Array.isArray(raw)) return [];
  const out: Subject[] = [];
  for (const e of raw) {
    if (typeof e !== 'object' || e === null) continue;
    const { kind, name, namespace } = e as { kind?: unknown; name?: unknown; namespace?: unknown };
    if (typeof kind !== 'string' || !KINDS.has(kind) || typeof name !== 'string' || name === '') continue;
    const s: Subject = { kind: kind as Subject['kind'], name };
    // Only a ServiceAccount's namespace means anything to the authorizer.
    if (kind === 'ServiceAccount' && typeof namespace === 'string' && namespace !== '') s.namespace = namespace;
    out.push(s);
  }
  return out;
}

/** `User alice`, `Group dev`, `ServiceAccount shop/api`. */
export function subjectDisplay(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ? `${s.namespace}/` : ''}${s.name}` : `${s.kind} ${s.name}`;
}

/**
 * The least a user that a binding subject stands for is: a User with only the group every
 * authenticated user has, a member of a Group with nothing else (a name no binding can name),
 * a ServiceAccount as its token authenticates. What the subject itself may do, whoever holds it.
 */
export function userOfSubject(s: Subject): UserInfo {
  switch (s.kind) {
    case 'User':
      return { name: s.name, groups: s.name === 'system:anonymous' ? ['system:unauthenticated'] : ['system:authenticated'] };
    case 'Group':
      return { name: `\u0000a member of ${s.name}`, groups: s.name === 'system:unauthenticated' ? [s.name] : [s.name, 'system:authenticated'] };
    case 'ServiceAccount':
      return userForServiceAccount(s.namespace ?? '', s.name);
  }
}
