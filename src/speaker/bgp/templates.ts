// The frr.conf templates as the processes run them: precompiled from templates/*.hbs into
// templates-precompiled.ts (`npm run gen:templates`) and run on Handlebars' runtime, in a private
// environment. The runtime alone is what the controller and the speaker load; the compiler
// (template-compile.ts) is for the generator and tests.

import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';
import { entryTemplate } from './template-files.ts';
import { precompiledTemplates } from './templates-precompiled.ts';
import type { FrrView } from './view-model.ts';

const require = createRequire(import.meta.url);

type Spec = Parameters<typeof HandlebarsModule.template>[0];

let compiled: ((view: FrrView) => string) | undefined;

/** The templates shipped with the code; a missing entry template is a start-up failure and throws. */
export function frrTemplate(): (view: FrrView) => string {
  if (compiled !== undefined) return compiled;
  const runtime = require('handlebars/runtime') as typeof HandlebarsModule;
  const env = runtime.create();
  const specs = precompiledTemplates as unknown as Readonly<Record<string, Spec>>;
  for (const [name, spec] of Object.entries(specs)) {
    if (name !== entryTemplate) env.registerPartial(name, env.template(spec));
  }
  const entry = specs[entryTemplate];
  if (entry === undefined) throw new Error(`the template ${entryTemplate}.hbs is missing`);
  const main = env.template<FrrView>(entry);
  compiled = (view) => main(view);
  return compiled;
}
