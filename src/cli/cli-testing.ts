// Test helpers for CLI commands: run one with captured output, and compare against golden files
// (UPDATE_GOLDEN=1 rewrites them after an intended change; review the diff).

import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runCli } from './main.ts';

export const goldenDir = new URL('./testdata/', import.meta.url).pathname;
const update = process.env['UPDATE_GOLDEN'] === '1';

export async function runCaptured(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

export function checkGolden(path: string, actual: string): void {
  if (update) writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing; run the tests with UPDATE_GOLDEN=1`).to.equal(true);
  expect(actual).to.equal(readFileSync(path, 'utf8'));
}
