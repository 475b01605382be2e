// FRR's log levels and how the speaker's own log level maps onto them (MetalLB's mapping).

export const frrLogLevels = ['emergencies', 'alerts', 'critical', 'errors', 'warnings', 'notifications', 'informational', 'debugging'] as const;
export type FrrLogLevel = (typeof frrLogLevels)[number];

export const speakerLogLevels = ['all', 'debug', 'info', 'warn', 'error', 'none'] as const;
export type SpeakerLogLevel = (typeof speakerLogLevels)[number];

const mapping: Readonly<Record<SpeakerLogLevel, FrrLogLevel>> = {
  all: 'debugging',
  debug: 'debugging',
  info: 'informational',
  warn: 'warnings',
  error: 'errors',
  none: 'emergencies',
};

export const frrLogLevelFor = (level: SpeakerLogLevel): FrrLogLevel => mapping[level];

/**
 * Reads an explicit FRR level (MetalLB's FRR_LOGGING_LEVEL override): an FRR level name, or a
 * speaker level name mapped as above; null when it is neither.
 */
export function parseFrrLogLevel(text: string): FrrLogLevel | null {
  const t = text.trim().toLowerCase();
  if ((frrLogLevels as readonly string[]).includes(t)) return t as FrrLogLevel;
  if ((speakerLogLevels as readonly string[]).includes(t)) return mapping[t as SpeakerLogLevel];
  return null;
}
