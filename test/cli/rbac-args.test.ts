/** `rbac can-i`'s arguments, read as kubectl and the API server's impersonation read them. */
import { describe, expect, it } from 'vitest';
import { impersonatedUser, parseResourceArg } from '../../src/cli/rbac-args.js';

describe('parseResourceArg', () => {
  it.each([
    ['pods', { resource: 'pods', apiGroup: '', known: true }],
    ['po', { resource: 'pods', apiGroup: '', known: true }],
    ['Pod', { resource: 'pods', apiGroup: '', known: true }],
    ['deploy/web', { resource: 'deployments', apiGroup: 'apps', name: 'web', known: true }],
    ['deployments.apps', { resource: 'deployments', apiGroup: 'apps', known: true }],
    ['roles.rbac.authorization.k8s.io/admin', { resource: 'roles', apiGroup: 'rbac.authorization.k8s.io', name: 'admin', known: true }],
    ['csr', { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', known: true }],
    ['widgets.example.com', { resource: 'widgets', apiGroup: 'example.com', known: false }],
    ['widgets', { resource: 'widgets', apiGroup: '', known: false }],
  ])('%s', (arg, want) => expect(parseResourceArg(arg)).toEqual(want));

  it('rejects an empty type or name', () => {
    expect(() => parseResourceArg('pods/')).toThrow(/not a resource/);
    expect(() => parseResourceArg('')).toThrow(/not a resource/);
  });
});

describe('impersonatedUser', () => {
  it('adds system:authenticated to a user, and to given groups', () => {
    expect(impersonatedUser('alice', [])).toEqual({ name: 'alice', groups: ['system:authenticated'] });
    expect(impersonatedUser('alice', ['dev'])).toEqual({ name: 'alice', groups: ['dev', 'system:authenticated'] });
    expect(impersonatedUser('alice', ['system:unauthenticated'])).toEqual({ name: 'alice', groups: ['system:unauthenticated'] });
  });

  it("gives a service account its two groups when none are given, and not when some are", () => {
    expect(impersonatedUser('system:serviceaccount:shop:api', [])).toEqual({
      name: 'system:serviceaccount:shop:api',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
    });
    expect(impersonatedUser('system:serviceaccount:shop:api', ['ops']).groups).toEqual(['ops', 'system:authenticated']);
    expect(() => impersonatedUser('system:serviceaccount:shop', [])).toThrow(/system:serviceaccount:NAMESPACE:NAME/);
  });

  it('makes system:anonymous unauthenticated, never authenticated', () => {
    expect(impersonatedUser('system:anonymous', [])).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
  });
});
