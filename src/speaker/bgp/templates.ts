// Compiles the frr.conf templates once, in a private Handlebars environment: noEscape (HTML
// escaping would corrupt passwords), strict (a missing field throws instead of printing "").

import Handlebars from 'handlebars';
import { readTemplateSources } from './template-files.ts';
import type { FrrView } from './view-model.ts';

/** The entry template; every other template is a partial named after its file. */
export const entryTemplate = 'frr.conf';

export function compileTemplates(sources: ReadonlyMap<string, string>): (view: FrrView) => string {
  const env = Handlebars.create();
  const options = { noEscape: true, strict: true } as const;
  for (const [name, text] of sources) {
    if (name !== entryTemplate) env.registerPartial(name, env.compile(text, options));
  }
  const entry = sources.get(entryTemplate);
  if (entry === undefined) throw new Error(`the template ${entryTemplate}.hbs is missing`);
  const main = env.compile<FrrView>(entry, options);
  return (view) => main(view);
}

let compiled: ((view: FrrView) => string) | undefined;

/** The compiled templates/*.hbs. They ship with the code: a missing or broken one is a start-up failure and throws. */
export function frrTemplate(): (view: FrrView) => string {
  compiled ??= compileTemplates(readTemplateSources());
  return compiled;
}
