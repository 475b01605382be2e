// Moved to src/lab/frr-root.ts (the lab uses it too); re-exported for the e2e tests, whose root
// check names the e2e command.
import { ensureFrrRoot as ensure } from '../../src/lab/frr-root.ts';

export { DEFAULT_FRR_ROOT, frrRoot, frrVersion, inRoot } from '../../src/lab/frr-root.ts';

/** Builds the chroot when missing; throws unless running as root. */
export const ensureFrrRoot = (): Promise<string> =>
  ensure(
    'e2e tests must run as root: they create network namespaces, chroot into the FRR tree and start FRR daemons. ' +
      'Run `sudo npm run test:e2e`.',
  );
