import { expect } from 'chai';
import { parseInput } from './input.ts';

const secret = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'barelb-system' }, type: 'kubernetes.io/basic-auth', data, ...extra,
});

describe('Secret reading', () => {
  it('decodes base64 data and lets stringData win, as the apiserver does', () => {
    const parsed = parseInput([secret({ password: btoa('from-data'), username: btoa('u') }, { stringData: { password: 'from-stringData' } })]);
    expect(parsed.errors).to.deep.equal([]);
    const s = parsed.secrets.get('barelb-system/s');
    expect(s?.data.get('password')).to.equal('from-stringData');
    expect(s?.data.get('username')).to.equal('u');
  });

  it('reports data that is not base64 by key, never by value', () => {
    const parsed = parseInput([secret({ password: 'not base64!!' })]);
    expect(parsed.errors).to.deep.equal([{ object: 'Secret/barelb-system/s', field: 'data.password', message: 'is not base64-encoded UTF-8 text' }]);
  });
});
