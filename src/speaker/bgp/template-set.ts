// How the frr.conf templates fit together, whether compiled from their sources (tests, the
// generator) or precompiled (the processes): `frr.conf` is the entry, every other template a
// partial named after its file.

import type Handlebars from 'handlebars';
import type { FrrView } from './view-model.ts';

/** The entry template; every other template is a partial named after its file. */
export const entryTemplate = 'frr.conf';

type Env = ReturnType<typeof Handlebars.create>;

/**
 * Registers every template but the entry as a partial of `env`, each made by `make`, and returns
 * the entry's renderer. Throws when there is no entry template.
 */
export function assembleTemplates<T>(env: Env, templates: Iterable<readonly [string, T]>, make: (env: Env, template: T) => HandlebarsTemplateDelegate): (view: FrrView) => string {
  let entry: T | undefined;
  for (const [name, template] of templates) {
    if (name === entryTemplate) entry = template;
    else env.registerPartial(name, make(env, template));
  }
  if (entry === undefined) throw new Error(`the template ${entryTemplate}.hbs is missing`);
  const main = make(env, entry) as HandlebarsTemplateDelegate<FrrView>;
  return (view) => main(view);
}
