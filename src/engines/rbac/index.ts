/**
 * kubeladder's RBAC engine: the API server's RBAC authorizer, offline. Build a model once
 * ({@link RbacModel.fromInventory}), then ask it: {@link authorize} (may this user do this?),
 * {@link whoCan} (who may do this?), {@link rulesFor} (what may this user do here?).
 */
export * from './types.js';
export { RbacModel, RBAC_GROUP, type BindingEntry, type RoleEntry, type RbacModelOptions } from './model.js';
export { authorize, rulesFor, SYSTEM_MASTERS } from './authorize.js';
export { whoCan, type WhoCanEntry, type WhoCanOptions } from './who-can.js';
export { ruleAllows, verbMatches, apiGroupMatches, resourceMatches, resourceNameMatches, nonResourceURLMatches } from './rules.js';
export { serviceAccountUsername, userForServiceAccount, subjectDisplay } from './subjects.js';
export { aggregateClusterRoles, type AggregationInput, type AggregationResult, type AggregatedRules } from './aggregation.js';
