// Moved to src/lab/frr-json.ts (the lab uses it too); re-exported for the e2e tests.
export * from '../../src/lab/frr-json.ts';
