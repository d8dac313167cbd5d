// Node host adapter for the guest's console: this process's stdin, stdout and
// stderr. On a terminal, stdin goes into raw mode so that every key (^C, ^Z,
// arrows) reaches the guest's line discipline instead of the host's; the mode
// is restored on close and at process exit. Input bytes go to a callback (the
// CLI hands them to the kernel's console or to a host-backed stdin).
//
// Output is batched, because one host write per guest write would cost more
// than the guest's work for chatty programs, but it is never held for long:
// it is written (synchronously: Node writes files, pipes and terminals
// synchronously on Linux) by flush(), at 64 KiB, FLUSH_MS of host time after
// the first pending byte (a guest that prints and then computes forever is
// still seen; the kernel's run loop yields to the event loop every ~20 ms, so
// the timer gets its turn), at every newline when stdout is a terminal (what a
// line-buffered terminal shows), and on close. The CLI calls flush() from its
// signal handlers, so a killed tsix loses nothing it was told to print.
//
// A host stream that fails (EPIPE: the reader of a pipe went away; EIO: the
// terminal hung up) is marked broken: its bytes are dropped from then on and
// onOutputError tells the caller, which can give the guest's writer Linux's
// EPIPE + SIGPIPE. Node would otherwise throw the error event as an uncaught
// exception with a stack trace.
//
// Its contract (host/console.ts): writeOut never blocks the kernel - it
// queues, and backlog() reports what waits - and input arrives as events.
// It knows nothing of the kernel: the caller wires it up (the layering rule of
// DESIGN.md: host/ implements small interfaces, cli/ connects them).
// Concepts: C14 (devices are files: the host end of the console device).

// The interface is host/console.ts (what any host's console offers); this is Node's.
import type { HostConsole, HostConsoleOptions, HostStream } from "../console.js";
export type { HostConsole, HostConsoleOptions, HostStream } from "../console.js";

const FLUSH_AT = 64 * 1024;
/** Longest time (host ms) a queued byte waits for its write when nothing else flushes it. */
export const FLUSH_MS = 10;
const NEWLINE = 10;

/** Node's error code of a failed write, e.g. "EPIPE". */
function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "EIO";
}

export function openHostConsole(opts: HostConsoleOptions): HostConsole {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const stderr = process.stderr;
  const stdoutIsTty = stdout.isTTY === true;
  const flushMs = opts.flushMs ?? FLUSH_MS;
  let ended = false;
  let closed = false;
  // One shared promise for everything waiting for input (the kernel asks again at every idle moment).
  let waiting: { promise: Promise<void>; resolve: () => void } | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const failed: Record<HostStream, boolean> = { stdout: false, stderr: false };
  const wake = (): void => {
    const w = waiting;
    waiting = null;
    w?.resolve();
  };

  const fail = (stream: HostStream, e: unknown): void => {
    if (failed[stream]) return;
    failed[stream] = true;
    if (stream === "stdout") { pending = []; pendingBytes = 0; }
    opts.onOutputError?.(stream, errorCode(e));
  };
  // Node reports a failed write as an 'error' event (on the next tick); without a listener it is an uncaught exception.
  const onStdoutError = (e: unknown): void => fail("stdout", e);
  const onStderrError = (e: unknown): void => fail("stderr", e);
  stdout.on("error", onStdoutError);
  stderr.on("error", onStderrError);
  const write = (stream: HostStream, data: string | Uint8Array): void => {
    if (failed[stream]) return;
    try {
      (stream === "stdout" ? stdout : stderr).write(data);
    } catch (e) {
      fail(stream, e);
    }
  };

  const raw = opts.raw && stdin.isTTY === true;
  const restore = (): void => { if (raw && stdin.isTTY) stdin.setRawMode(false); };
  if (raw) {
    stdin.setRawMode(true);
    process.on("exit", restore);
  }
  const onData = (d: Buffer): void => {
    opts.onInput(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    wake();
  };
  const onEnd = (): void => {
    if (ended) return;
    ended = true;
    opts.onEnd?.();
    wake();
  };
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  stdin.on("error", onEnd);
  const onResize = (): void => { if (stdout.isTTY) opts.onResize?.(stdout.rows, stdout.columns); };
  if (stdoutIsTty) stdout.on("resize", onResize);

  const onTimer = (): void => {
    timer = null;
    con.flush();
  };

  const con: HostConsole = {
    get ended() { return ended; },
    waitInput(): Promise<void> {
      if (ended) return Promise.resolve();
      if (!waiting) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => { resolve = r; });
        waiting = { promise, resolve };
      }
      return waiting.promise;
    },
    writeOut(bytes: Uint8Array): void {
      if (failed.stdout || bytes.length === 0) return;
      pending.push(bytes.slice());
      pendingBytes += bytes.length;
      if (pendingBytes >= FLUSH_AT || (stdoutIsTty && bytes.includes(NEWLINE)) || closed) con.flush();
      else if (timer === null) {
        // unref: a pending flush never keeps tsix alive (close() flushes anyway).
        timer = setTimeout(onTimer, flushMs);
        timer.unref();
      }
    },
    writeErr(text: string | Uint8Array): void {
      con.flush();
      write("stderr", text);
    },
    flush(): void {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      if (pendingBytes === 0) return;
      const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      write("stdout", all);
    },
    written(): Promise<void> {
      return new Promise((r) => setImmediate(r));
    },
    broken(stream: HostStream): boolean {
      return failed[stream];
    },
    backlog() {
      return pendingBytes;
    },
    size() {
      return stdoutIsTty ? { rows: stdout.rows, cols: stdout.columns } : null;
    },
    close(): void {
      con.flush();
      if (closed) return;
      closed = true;
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onEnd);
      if (stdoutIsTty) stdout.off("resize", onResize);
      // The error listeners stay: an EPIPE of the last write is reported on the next tick, after close.
      restore();
      process.off("exit", restore);
      stdin.pause();
      stdin.unref?.();
      wake();
    },
  };
  return con;
}
