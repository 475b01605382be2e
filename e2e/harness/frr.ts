// Moved to src/lab/frr.ts (the lab uses it too); re-exported for the e2e tests with the offline
// config check and the wait helper. An instance's PIDs and files are recorded in the tracker of
// its namespace: the run's cleanup registry for namespaces made by ./netns.ts.
export * from '../../src/lab/frr.ts';
export { checkConfig } from './frr-check.ts';
export { waitFor } from './wait.ts';
