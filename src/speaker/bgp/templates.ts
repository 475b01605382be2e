// The frr.conf templates as the processes run them: precompiled from templates/*.hbs into
// templates-precompiled.ts (`npm run gen:templates`) and run on Handlebars' runtime, in a private
// environment. The runtime alone is what the controller and the speaker load; the compiler
// (template-compile.ts) is for the generator and tests.

import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { assembleTemplates } from './template-set.ts';
import { precompiledTemplates } from './templates-precompiled.ts';
import type { FrrView } from './view-model.ts';

const require = createRequire(import.meta.url);

type Spec = Parameters<typeof Handlebars.template>[0];

let compiled: ((view: FrrView) => string) | undefined;

/** The templates shipped with the code; a missing entry template is a start-up failure and throws. */
export function frrTemplate(): (view: FrrView) => string {
  if (compiled === undefined) {
    const runtime = require('handlebars/runtime') as typeof Handlebars;
    const specs = precompiledTemplates as unknown as Readonly<Record<string, Spec>>;
    compiled = assembleTemplates(runtime.create(), Object.entries(specs), (env, spec) => env.template(spec));
  }
  return compiled;
}
