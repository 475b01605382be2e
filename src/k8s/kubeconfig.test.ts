import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { accessFromEntry, inClusterEntry, KubeConfigError, kubeConfigEntry, loadApiAccess, tokenReader } from './kubeconfig.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const doc = (user: Record<string, unknown>, cluster: Record<string, unknown> = { server: 'https://192.0.2.1:6443/', 'certificate-authority-data': b64('CA PEM') }) =>
  JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    contexts: [{ name: 'other', context: { cluster: 'x', user: 'x' } }, { name: 'c', context: { cluster: 'k', user: 'u' } }],
    clusters: [{ name: 'k', cluster }], users: [{ name: 'u', user }],
  });

describe('kubeconfig', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-kc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the current context: server without a trailing slash, inline CA, token', async () => {
    const e = kubeConfigEntry(doc({ token: 'secret-token' }), dir, 'kc');
    expect(e).to.deep.equal({ server: 'https://192.0.2.1:6443', insecure: false, ca: 'CA PEM', token: 'secret-token' });
    expect(await accessFromEntry(e, 'kc').headers()).to.deep.equal({ Authorization: 'Bearer secret-token' });
  });

  it('reads YAML as it reads JSON (the YAML parser is loaded only for YAML text)', () => {
    const json = doc({ token: 'secret-token' });
    const yamlText = stringify(JSON.parse(json));
    expect(yamlText.trimStart().startsWith('{')).to.equal(false);
    expect(kubeConfigEntry(yamlText, dir, 'kc')).to.deep.equal(kubeConfigEntry(json, dir, 'kc'));
    expect(kubeConfigEntry(`  ${json}`, dir, 'kc')).to.deep.equal(kubeConfigEntry(json, dir, 'kc'));
    expect(() => kubeConfigEntry('{ not: [valid', dir, 'kc')).to.throw(KubeConfigError, /kc: not YAML/);
  });

  it('reads client certificate files relative to the kubeconfig, like kubectl', () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA FILE');
    writeFileSync(join(dir, 'client.crt'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    const e = kubeConfigEntry(doc({ 'client-certificate': 'client.crt', 'client-key': 'client.key' }, { server: 'https://[2001:db8::1]:6443', 'certificate-authority': 'ca.crt', 'tls-server-name': 'kubernetes' }), dir, 'kc');
    expect(e).to.include({ ca: 'CA FILE', cert: 'CERT', key: 'KEY', servername: 'kubernetes', server: 'https://[2001:db8::1]:6443' });
  });

  it('re-reads a token file only after a minute, and only when it changed (rotated tokens)', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'one\n');
    let now = 0;
    const read = tokenReader(file, () => now);
    expect(read()).to.equal('one');
    writeFileSync(file, 'two\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    now = 30_000;
    expect(read()).to.equal('one', 'cached within a minute');
    now = 61_000;
    expect(read()).to.equal('two');
    const access = accessFromEntry(kubeConfigEntry(doc({ tokenFile: file }), dir, 'kc'), 'kc');
    expect(await access.headers()).to.deep.equal({ Authorization: 'Bearer two' });
  });

  it('sends basic auth when the user has username and password', async () => {
    const access = accessFromEntry(kubeConfigEntry(doc({ username: 'admin', password: 'pw' }), dir, 'kc'), 'kc');
    expect(await access.headers()).to.deep.equal({ Authorization: `Basic ${b64('admin:pw')}` });
  });

  it('marks exec and auth-provider users (and proxies) for client-node', () => {
    expect(kubeConfigEntry(doc({ exec: { command: 'aws' } }), dir, 'kc').needsClientNode).to.equal('exec');
    expect(kubeConfigEntry(doc({ 'auth-provider': { name: 'oidc' } }), dir, 'kc').needsClientNode).to.equal('auth-provider');
    expect(kubeConfigEntry(doc({}, { server: 'https://192.0.2.1', 'proxy-url': 'http://192.0.2.9:3128' }), dir, 'kc').needsClientNode).to.equal('proxy-url');
  });

  it('names the missing piece in its errors', () => {
    expect(() => kubeConfigEntry('{}', dir, 'kc')).to.throw(KubeConfigError, 'kc: current-context is not set');
    expect(() => kubeConfigEntry(JSON.stringify({ 'current-context': 'nope' }), dir, 'kc')).to.throw('contexts has no entry "nope"');
    expect(() => kubeConfigEntry(doc({}, {}), dir, 'kc')).to.throw('clusters["k"].server is not set');
    expect(() => kubeConfigEntry(doc({ 'client-key': 'missing.key' }), dir, 'kc')).to.throw(/users\["u"\]\.client-key: cannot read .*missing\.key: ENOENT/);
  });

  it('in a Pod: the service account token and CA, the API server from the environment (IPv6 bracketed)', () => {
    writeFileSync(join(dir, 'ca.crt'), 'SA CA');
    writeFileSync(join(dir, 'token'), 'sa-token');
    expect(inClusterEntry({ KUBERNETES_SERVICE_HOST: '2001:db8::1', KUBERNETES_SERVICE_PORT: '443' }, dir)).to.deep.equal({
      server: 'https://[2001:db8::1]:443', ca: 'SA CA', insecure: false, tokenFile: join(dir, 'token'),
    });
    expect(inClusterEntry({}, dir)).to.equal(null);
  });

  it('loads --kubeconfig before $KUBECONFIG, and says what to do when there is none', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, doc({ token: 't' }));
    expect((await loadApiAccess({ kubeconfig: path }, { KUBECONFIG: '/nonexistent' })).server).to.equal('https://192.0.2.1:6443');
    expect((await loadApiAccess({ kubeconfig: null }, { KUBECONFIG: `${path}:/other` })).source).to.equal(path);
    await loadApiAccess({ kubeconfig: join(dir, 'missing') }, {}).then(
      () => expect.fail('resolved'),
      (e: unknown) => expect(String(e)).to.match(/cannot read kubeconfig .*missing: ENOENT/),
    );
  });
});
