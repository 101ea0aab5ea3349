/** A mistake in how the command was called; reported in Chinese with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One line a person can act on; stack traces only with DEBUG set. */
export function describeError(error: unknown): string {
  if (process.env.DEBUG && error instanceof Error && error.stack) return error.stack;
  if (error instanceof Error) return error.message;
  return String(error);
}
