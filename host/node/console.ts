// Node host adapter for the guest's console: this process's stdin, stdout and
// stderr. On a terminal, stdin goes into raw mode so that every key (^C, ^Z,
// arrows) reaches the guest's line discipline instead of the host's; the mode
// is restored on close and at process exit. Input bytes go to a callback (the
// CLI hands them to the kernel's console or to a host-backed stdin); output is
// batched and written synchronously (Node writes files, pipes and terminals
// synchronously on Linux), so nothing is lost when the process exits.
//
// It knows nothing of the kernel: the caller wires it up (the layering rule of
// DESIGN.md: host/ implements small interfaces, cli/ connects them).

export interface HostConsoleOptions {
  /** Put a terminal stdin into raw mode (interactive runs). */
  raw: boolean;
  /** Bytes typed or piped in. */
  onInput: (bytes: Uint8Array) => void;
  /** stdin reached end of file (or failed). */
  onEnd?: () => void;
  /** The terminal changed size. */
  onResize?: (rows: number, cols: number) => void;
}

export interface HostConsole {
  /** True once stdin has ended: no more input can come. */
  readonly ended: boolean;
  /** Resolves at the next input (or end of input); resolves at once when input has ended. */
  waitInput(): Promise<void>;
  /** Queue bytes for stdout (flushed by flush(), at 64 KiB, and on close). */
  writeOut(bytes: Uint8Array): void;
  /** Write a line (or bytes) to stderr now, after flushing stdout so that the two stay in order. */
  writeErr(text: string | Uint8Array): void;
  flush(): void;
  /** The terminal's size, or null when stdout is not a terminal. */
  size(): { rows: number; cols: number } | null;
  /** Stop reading, restore the terminal mode, flush. */
  close(): void;
}

const FLUSH_AT = 64 * 1024;

export function openHostConsole(opts: HostConsoleOptions): HostConsole {
  const stdin = process.stdin;
  const stdout = process.stdout;
  let ended = false;
  // One shared promise for everything waiting for input (the kernel asks again at every idle moment).
  let waiting: { promise: Promise<void>; resolve: () => void } | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const wake = (): void => {
    const w = waiting;
    waiting = null;
    w?.resolve();
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
  if (stdout.isTTY) stdout.on("resize", onResize);

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
      pending.push(bytes.slice());
      pendingBytes += bytes.length;
      if (pendingBytes >= FLUSH_AT) con.flush();
    },
    writeErr(text: string | Uint8Array): void {
      con.flush();
      process.stderr.write(text);
    },
    flush(): void {
      if (pendingBytes === 0) return;
      const all = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      stdout.write(all);
    },
    size() {
      return stdout.isTTY ? { rows: stdout.rows, cols: stdout.columns } : null;
    },
    close(): void {
      con.flush();
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onEnd);
      if (stdout.isTTY) stdout.off("resize", onResize);
      restore();
      process.off("exit", restore);
      stdin.pause();
      stdin.unref?.();
      wake();
    },
  };
  return con;
}
