import { expect } from 'chai';
import { aBFDProfile, itReportsEach, parseClean, ref } from './test-builders.ts';

const fast = ref('BFDProfile', 'fast');

describe('BFDProfile validation', () => {
  itReportsEach([
    { name: 'rejects a receiveInterval under 10ms', objects: [aBFDProfile({ spec: { receiveInterval: 9 } })], object: fast, field: 'spec.receiveInterval', message: 'must be 10..60000' },
    { name: 'rejects a transmitInterval over 60000ms', objects: [aBFDProfile({ spec: { transmitInterval: 60001 } })], object: fast, field: 'spec.transmitInterval', message: 'must be 10..60000' },
    { name: 'rejects an echoInterval under 10ms', objects: [aBFDProfile({ spec: { echoInterval: 1 } })], object: fast, field: 'spec.echoInterval', message: 'must be 10..60000' },
    { name: 'rejects a detectMultiplier of 1', objects: [aBFDProfile({ spec: { detectMultiplier: 1 } })], object: fast, field: 'spec.detectMultiplier', message: 'must be 2..255' },
    { name: 'rejects a detectMultiplier of 256', objects: [aBFDProfile({ spec: { detectMultiplier: 256 } })], object: fast, field: 'spec.detectMultiplier', message: 'must be 2..255' },
    { name: 'rejects a minimumTtl of 0', objects: [aBFDProfile({ spec: { minimumTtl: 0 } })], object: fast, field: 'spec.minimumTtl', message: 'must be 1..254' },
    { name: 'rejects a minimumTtl of 255', objects: [aBFDProfile({ spec: { minimumTtl: 255 } })], object: fast, field: 'spec.minimumTtl', message: 'must be 1..254' },
    { name: 'rejects a fractional interval', objects: [aBFDProfile({ spec: { receiveInterval: 10.5 } })], object: fast, field: 'spec.receiveInterval', message: 'must be an integer' },
    { name: 'rejects two profiles of one name', objects: [aBFDProfile(), aBFDProfile({ namespace: 'other' })], object: 'BFDProfile/other/fast', field: 'metadata.name', message: 'duplicate BFDProfile name' },
    { name: 'rejects a profile name with a space', objects: [aBFDProfile({ name: 'fast profile' })], object: 'BFDProfile/barelb-system/fast profile', field: 'metadata.name', message: 'whitespace' },
  ]);

  it('leaves unset values to FRR and reads the set ones', () => {
    const { config } = parseClean([aBFDProfile({ spec: { receiveInterval: 300, echoMode: true, minimumTtl: 254 } })]);
    expect(config.bfdProfiles).to.deep.equal([
      { name: 'fast', receiveIntervalMs: 300, transmitIntervalMs: null, detectMultiplier: null, echoIntervalMs: null, echoMode: true, passiveMode: false, minimumTtl: 254 },
    ]);
  });
});
