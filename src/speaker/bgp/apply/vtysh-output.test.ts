import { expect } from 'chai';
import { redact } from './redact.ts';
import { readDaemons, readVtyshOutput } from './vtysh-output.ts';

// Outputs of FRR 10.3's vtysh -f (forked per daemon) captured in the lab.
const UNKNOWN_COMMAND = [
  '[27752|mgmtd] sending configuration', '[27753|zebra] sending configuration', 'Waiting for children to finish applying config...',
  'line 2: % Unknown command[28]: neighbor 192.0.2.1 remote-ass 64500', 'line 2: % Unknown command[28]: neighbor 192.0.2.1 remote-ass 64500',
  '[27753|zebra] Configuration file[/etc/frr/x/frr.conf] processing failure: 2', '[27752|mgmtd] Configuration file[/etc/frr/x/frr.conf] processing failure: 2',
].join('\n');
const DAEMON_REJECTED = [
  '[1|bgpd] sending configuration', '% Specify remote-as or peer-group commands first',
  'line 2: Failure to communicate[13] to bgpd, line: neighbor 198.51.100.9 password x', '',
  '[1|bgpd] Configuration file[/etc/frr/x/frr.conf] processing failure: 13', '[2|zebra] done',
].join('\n');

describe('readVtyshOutput', () => {
  it('keeps each FRR message once and drops the children\'s progress lines', () => {
    expect(readVtyshOutput(UNKNOWN_COMMAND).messages).to.deep.equal(['line 2: % Unknown command[28]: neighbor 192.0.2.1 remote-ass 64500']);
  });

  it('keeps the daemon\'s explanation, redacts secrets and lists the daemons that finished', () => {
    const report = readVtyshOutput(DAEMON_REJECTED);
    expect(report.messages).to.deep.equal([
      '% Specify remote-as or peer-group commands first',
      'line 2: Failure to communicate[13] to bgpd, line: neighbor 198.51.100.9 password <redacted>',
    ]);
    expect([...report.done]).to.deep.equal(['zebra']);
  });

  it('names the command of a bare `line N:` error from the batch', () => {
    expect(readVtyshOutput('line 2: Warning[4]...', ['router bgp 1', ' bgp router-id 1.2.3.4']).messages).to.deep.equal(['line 2: Warning[4]... (bgp router-id 1.2.3.4)']);
  });

  it('recognises a locked candidate datastore and an unreachable FRR', () => {
    expect(readVtyshOutput('% command failed, could not lock candidate DS').reason).to.equal('locked');
    expect(readVtyshOutput('Exiting: failed to connect to any daemons.').reason).to.equal('unreachable');
    expect(readVtyshOutput('bgpd is not running').reason).to.equal('unreachable');
    expect(readVtyshOutput('').reason).to.equal(undefined);
  });

  it('reads `show daemons`', () => {
    expect([...readDaemons(' mgmtd zebra bgpd staticd bfdd\n')]).to.deep.equal(['mgmtd', 'zebra', 'bgpd', 'staticd', 'bfdd']);
  });
});

describe('redact', () => {
  it('hides the word after password and key keywords, wherever they are', () => {
    expect(redact('neighbor 192.0.2.1 password s3cret\n key-string abc')).to.equal('neighbor 192.0.2.1 password <redacted>\n key-string <redacted>');
    expect(redact('no password')).to.equal('no password');
  });
});
