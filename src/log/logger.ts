// Structured logs: one JSON object per line (pino). Components take a Logger; only bin/ creates one.

import { pino } from 'pino';

/** The part of pino the code uses, so tests can pass a recorder. */
export type Logger = {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
};

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

export function createLogger(component: string, level: LogLevel): Logger {
  return pino({
    level,
    base: { component },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Secrets never reach a log line, whatever a caller passes by mistake.
    redact: { paths: ['password', '*.password', 'key', '*.key'], censor: '[redacted]' },
  });
}

export type LogRecord = { readonly level: string; readonly msg: string | undefined; readonly fields: Record<string, unknown> };

/** A Logger that keeps records in memory, for tests. */
export function recordingLogger(records: LogRecord[] = [], bindings: Record<string, unknown> = {}): Logger & { records: LogRecord[] } {
  const at = (level: string) => (obj: object, msg?: string) => void records.push({ level, msg, fields: { ...bindings, ...obj } });
  return {
    records,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(records, { ...bindings, ...more }),
  };
}
