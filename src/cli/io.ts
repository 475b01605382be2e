// Where a command writes: injected so commands are testable without a process.

export type CliIO = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
};
