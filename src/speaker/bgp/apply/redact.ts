// Removes secrets from anything that may be logged or reported: FRR commands, vtysh output and
// frr.conf text. Every logged string of the apply path goes through `redact`.

/** Keywords whose next word is a secret (BGP TCP-MD5, key chains, OSPF/IS-IS style keys). */
const SECRET = /\b(password|key-string|authentication-key|md5)(\s+)(\S+)/g;

export const REDACTED = '<redacted>';

export function redact(text: string): string {
  return text.replace(SECRET, (_match, keyword: string, space: string) => `${keyword}${space}${REDACTED}`);
}
