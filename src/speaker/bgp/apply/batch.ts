// Serialises plan steps into the lines of one `vtysh -f` file. Every step enters its context from
// the top of config mode and leaves it again, so no command depends on where the previous one left
// vtysh (vtysh -f would otherwise retry a failing line in parent contexts).
import type { Step } from './plan-model.ts';

export function batchLines(steps: readonly Step[]): string[] {
  const out: string[] = [];
  for (const step of steps) {
    step.path.forEach((line, depth) => out.push(`${' '.repeat(depth)}${line}`));
    const indent = ' '.repeat(step.path.length);
    for (const command of step.commands) out.push(`${indent}${command}`);
    for (let depth = step.path.length - 1; depth >= 0; depth -= 1) {
      const isFamily = depth === 1 && (step.path[depth] ?? '').startsWith('address-family ');
      out.push(`${' '.repeat(depth)}${isFamily ? 'exit-address-family' : 'exit'}`);
    }
  }
  return out;
}
