// Small helpers shared by the tsix subcommands: option parsing and sizes.

/** An error the CLI reports as `tsix: MESSAGE` and exits with `status` (no stack trace). */
export class CommandError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** A usage error: the CLI prints its message on one line and exits with status 2. */
export class UsageError extends CommandError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Parse "128M", "1G", "512K", "4096" into bytes. */
export function parseSize(s: string): number {
  const m = /^(\d+)([KMG]i?B?)?$/i.exec(s.trim());
  if (!m) throw new UsageError(`bad size '${s}' (use e.g. 128M, 1G or a byte count)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "").charAt(0).toUpperCase();
  const mul = unit === "K" ? 1024 : unit === "M" ? 1024 ** 2 : unit === "G" ? 1024 ** 3 : 1;
  return n * mul;
}

/** Parse an integer option value from `min` (1 unless given) to `max`. */
export function parseCount(name: string, s: string, max: number, min = 1): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** Take the value of an option that needs one. */
export function optionValue(argv: string[], i: number, name: string): string {
  const v = argv[i + 1];
  if (v === undefined) throw new UsageError(`${name} needs a value`);
  return v;
}

/** Parse the value of --jit: the second execution tier on or off. */
export function parseJit(s: string): boolean {
  if (s === "on") return true;
  if (s === "off") return false;
  throw new UsageError(`--jit must be on or off, not '${s}'`);
}

/** The most --jit-cache may be: the code cache is host memory besides the guest's RAM. */
export const MAX_JIT_CACHE = 1 << 30;
/** The least --jit-cache may be: one large region's wasm must fit. */
export const MIN_JIT_CACHE = 64 << 10;

/**
 * Parse the value of --jit-cache: the most bytes of generated wasm the code
 * cache keeps before it empties itself (hw/jit/jit.ts maxCodeBytes).
 */
export function parseJitCache(s: string): number {
  let n: number;
  try { n = parseSize(s); } catch { n = NaN; }
  if (!(n >= MIN_JIT_CACHE && n <= MAX_JIT_CACHE)) throw new UsageError(`--jit-cache needs a size from 64K to 1G, e.g. --jit-cache 16M (got '${s}')`);
  return n;
}
