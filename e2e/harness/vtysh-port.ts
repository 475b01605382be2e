// A VtyshPort for an FRR instance of the harness: vtysh and frr-reload.py run in its namespace
// inside the FRR chroot, batch files go to a scratch directory in the chroot that the teardown
// (and the leak registry) removes.
import { mkdirSync, rmSync } from 'node:fs';
import { VtyshPort } from '../../src/speaker/bgp/apply/vtysh-port.ts';
import { RUN_PREFIX, tracked, type Teardown } from './cleanup.ts';
import { frrRoot, inRoot } from './frr-root.ts';

/** `name` is the FRR instance's namespace and pathspace; `label` names the scratch directory. */
export function chrootVtyshPort(name: string, label: string, teardown: Teardown): VtyshPort {
  const inFrr = `/tmp/${RUN_PREFIX}${label}`;
  const scratch = inRoot(inFrr);
  mkdirSync(scratch, { recursive: true });
  tracked.addPath(scratch);
  teardown.defer(() => {
    rmSync(scratch, { recursive: true, force: true });
    tracked.dropPath(scratch);
  });
  const inNetns = ['ip', 'netns', 'exec', name, 'chroot', frrRoot()];
  return new VtyshPort({
    vtysh: [...inNetns, '/usr/bin/vtysh'], reload: [...inNetns, '/usr/lib/frr/frr-reload.py'], pathspace: name,
    scratchDir: scratch, scratchDirInFrr: inFrr, configPath: inRoot(`/etc/frr/${name}/frr.conf`),
  });
}
