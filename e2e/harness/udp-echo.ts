// Moved to src/lab/udp-echo.ts with its child script (the lab uses them too); re-exported for the
// e2e tests. Children are recorded in the tracker of the namespace they run in.
export * from '../../src/lab/udp-echo.ts';
