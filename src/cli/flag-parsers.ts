// Value parsers for commander options shared by the commands' flag definitions.

import { InvalidArgumentError } from 'commander';

/** An integer flag within [min, max]; anything else is a usage error naming the range. */
export const integer = (min: number, max: number) => (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
  return n;
};

/** A repeatable flag: each use adds its value. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
