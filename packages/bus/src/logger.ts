/** The slice of a pino logger the bus uses; pino's own Logger fits it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = () => {};
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** Error fields that survive JSON logging (Error's own properties are not enumerable). */
export function errorFields(err: unknown): { err: { message: string; name?: string; code?: unknown } } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { err: { message: err.message, name: err.name, ...(code === undefined ? {} : { code }) } };
  }
  return { err: { message: String(err) } };
}
