import { expect } from 'chai';
import { interfaceNameProblem, labelKeyProblem, objectNameProblem, passwordProblem } from './names.ts';

describe('name and token checks', () => {
  const rows: ReadonlyArray<{ name: string; check: (s: string) => string | null; text: string; want: string | null }> = [
    { name: 'accepts a DNS-1123 object name', check: objectNameProblem, text: 'blue.pool-1', want: null },
    { name: 'rejects an upper-case object name', check: objectNameProblem, text: 'Blue', want: 'must be lowercase letters' },
    { name: 'rejects an object name ending in a dash', check: objectNameProblem, text: 'blue-', want: 'must be lowercase letters' },
    { name: 'rejects an object name of 254 characters', check: objectNameProblem, text: 'a'.repeat(254), want: 'at most 253' },
    { name: 'rejects an object name with a newline', check: objectNameProblem, text: 'a\nb', want: 'control characters' },
    { name: 'accepts a VLAN interface name', check: interfaceNameProblem, text: 'bond0.100', want: null },
    { name: 'rejects an interface name with a slash', check: interfaceNameProblem, text: 'eth/0', want: 'must not contain "/" or ":"' },
    { name: 'rejects the interface name ".."', check: interfaceNameProblem, text: '..', want: 'must not be "." or ".."' },
    { name: 'rejects an empty interface name', check: interfaceNameProblem, text: '', want: 'must not be empty' },
    { name: 'rejects an interface name of 16 bytes in 8 characters', check: interfaceNameProblem, text: 'éééééééé', want: 'at most 15 bytes' },
    { name: 'accepts a password with punctuation', check: passwordProblem, text: 'p@ss!w0rd#', want: null },
    { name: 'rejects a password with a tab', check: passwordProblem, text: 'a\tb', want: 'control characters' },
    { name: 'rejects a password with a non-breaking space', check: passwordProblem, text: 'a\u00a0b', want: 'whitespace' },
    { name: 'rejects a password with a line separator', check: passwordProblem, text: 'a\u2028b', want: 'control characters' },
    { name: 'rejects a password with an ideographic space', check: passwordProblem, text: 'a\u3000b', want: 'whitespace' },
    { name: 'accepts a prefixed label key', check: labelKeyProblem, text: 'barelb.io/zone', want: null },
    { name: 'rejects a label key with two slashes', check: labelKeyProblem, text: 'a/b/c', want: 'is invalid' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const got = row.check(row.text);
      if (row.want === null) expect(got).to.equal(null);
      else expect(got).to.include(row.want);
    });
  }
});
