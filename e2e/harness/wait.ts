// Moved to src/lab/wait.ts (the lab uses it too); re-exported for the e2e tests.
export * from '../../src/lab/wait.ts';
