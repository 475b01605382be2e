// The lab's default working directory. Kept out of src/lab (topology.ts re-exports it) so that
// `barelb lab --help` can show it without loading the lab.

export const DEFAULT_LAB_DIR = '/var/lib/barelb-lab';
