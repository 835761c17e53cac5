/** kubeladder's public API: the same engine the CLI uses. */
export { CHECKS, findCheck } from './checks/index.js';
export type { Check, CheckContext, Evaluation, InventoryCheck, ObjectCheck, Violation } from './core/check.js';
export { defineCheck } from './core/check.js';
export { loadConfig, parseConfig, defaultConfig, type Config } from './core/config.js';
export { Inventory } from './core/inventory.js';
export { computeLadder, type Ladder, type RungStatus } from './core/ladder.js';
export { Resource, type KubeObject } from './core/resource.js';
export { buildDocument, mergeDocuments, type ResultsDocument } from './core/results.js';
export { runChecks } from './core/runner.js';
export * from './core/types.js';
export { readManifests } from './sources/files.js';
export { REPORTERS } from './reporters/index.js';
export { main } from './cli/main.js';
