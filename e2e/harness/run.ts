// Moved to src/lab/run.ts (the lab uses it too); re-exported for the e2e tests.
export * from '../../src/lab/run.ts';
