export { type Progress, type ProgressOptions, type ProgressStream, progress } from './progress.ts';
export { CommandFailure, type CommandSpec, EXIT, type Parsed, runCommand, UsageError } from './run-command.ts';
