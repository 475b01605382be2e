// Defence in depth for rendering: every value printed into frr.conf must be one token. src/api
// validates names already; this re-checks at the last step and reports instead of throwing.

import { renderError, type RenderError } from './render-error.ts';

const oneToken = /^[^\s\u0000-\u001f\u007f-\u009f]+$/u;

export type TokenCheck = {
  /** Returns `value` as text; records the first value that is not one token. */
  readonly token: (value: string | number, object: string, field: string) => string;
  /** The first problem seen, or null. */
  readonly problem: () => RenderError | null;
};

export function tokenCheck(): TokenCheck {
  let first: RenderError | null = null;
  return {
    token: (value, object, field) => {
      const text = String(value);
      if (first === null && !oneToken.test(text)) {
        first = renderError('invalid-token', object, field, `${JSON.stringify(text)} cannot be printed into frr.conf: it must be one token without whitespace or control characters`);
      }
      return text;
    },
    problem: () => first,
  };
}
