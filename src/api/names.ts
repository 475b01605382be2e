// Syntax checks for names and single-token strings. Anything that may reach frr.conf passes
// one of these first, so it cannot break out of its line or token (newlines, spaces, NUL).

/** Control characters (C0, DEL, C1) and Unicode line/paragraph separators. */
const controlChars = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const whitespace = /\s/;

/** Explains why `text` cannot be a single token, or returns null when it can. */
export function tokenProblem(text: string, maxLength: number): string | null {
  if (text === '') return 'must not be empty';
  if (controlChars.test(text)) return 'must not contain control characters (newline, carriage return, NUL, ...)';
  if (whitespace.test(text)) return 'must not contain whitespace';
  if (text.length > maxLength) return `must be at most ${maxLength} characters long`;
  return null;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes object names (DNS-1123 subdomain): lowercase alphanumerics, '-' and '.', at most 253. */
export function objectNameProblem(text: string): string | null {
  const token = tokenProblem(text, 253);
  if (token !== null) return token;
  if (!dns1123Subdomain.test(text)) {
    return 'must be lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return null;
}

/** Linux interface (and VRF device) names: 1..15 bytes, no "/", ":" or whitespace, not "." or "..". */
export function interfaceNameProblem(text: string): string | null {
  const token = tokenProblem(text, 15);
  if (token !== null) return token;
  if (text === '.' || text === '..') return 'must not be "." or ".."';
  if (/[/:]/.test(text)) return 'must not contain "/" or ":"';
  if (new TextEncoder().encode(text).length > 15) return 'must be at most 15 bytes long';
  return null;
}

/** TCP MD5 keys (RFC 2385): FRR takes one token of at most 80 characters. */
export function passwordProblem(text: string): string | null {
  return tokenProblem(text, 80);
}

const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label key: optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? null : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== null && (prefix.length > 253 || !dns1123Subdomain.test(prefix))) {
    return `label key ${JSON.stringify(key)} has an invalid prefix (must be a lowercase DNS name)`;
  }
  if (name.length === 0 || name.length > 63 || !labelName.test(name)) {
    return `label key ${JSON.stringify(key)} is invalid (name part: 1..63 letters, digits, "-", "_", ".", alphanumeric at both ends)`;
  }
  return null;
}

/** A label value: empty, or at most 63 letters, digits, "-", "_", "." with alphanumerics at both ends. */
export function labelValueProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63 || !labelName.test(value)) {
    return `label value ${JSON.stringify(value)} is invalid (at most 63 letters, digits, "-", "_", ".", alphanumeric at both ends)`;
  }
  return null;
}
