// The console a host offers the machine: the guest's terminal (a real
// terminal in Node, host/node/console.ts; a terminal widget in a browser).
// The kernel and the vmm never call it directly: the CLI wires its input to
// the kernel's console or host stdio, and the kernel's console output to
// writeOut (k.host.consoleOut).
//
// The contract, as for every host interface in host/ (see host/block.ts):
//   - writeOut never blocks the kernel: bytes are QUEUED and written later
//     (by flush(), at the host's own pace); how much waits is REPORTED by
//     backlog() - backpressure the caller may act on - never waited for;
//   - input ARRIVES AS EVENTS (onInput, onEnd, onResize), from the host's
//     event loop, never while the machine runs a slice; waitInput() lets an
//     idle run loop sleep until the next one;
//   - a failed host stream is reported once (onOutputError), not thrown.
//
// Concepts: C14 (the host end of the console device), C13 (a device whose
// input comes as interrupts, not as calls the CPU waits in).

export type HostStream = "stdout" | "stderr";

export interface HostConsoleOptions {
  /** Put a terminal stdin into raw mode (interactive runs). */
  raw: boolean;
  /** Bytes typed or piped in. */
  onInput: (bytes: Uint8Array) => void;
  /** stdin reached end of file (or failed). */
  onEnd?: () => void;
  /** The terminal changed size. */
  onResize?: (rows: number, cols: number) => void;
  /** Flush queued output this many ms after it was queued (default FLUSH_MS). */
  flushMs?: number;
  /** A host output stream failed (once per stream): `code` is Node's error code, e.g. EPIPE. */
  onOutputError?: (stream: HostStream, code: string) => void;
}

export interface HostConsole {
  /** True once stdin has ended: no more input can come. */
  readonly ended: boolean;
  /** Resolves at the next input (or end of input); resolves at once when input has ended. */
  waitInput(): Promise<void>;
  /** Queue bytes for stdout (see the top of this file for when they are written). */
  writeOut(bytes: Uint8Array): void;
  /** Write a line (or bytes) to stderr now, after flushing stdout so that the two stay in order. */
  writeErr(text: string | Uint8Array): void;
  /** Write what is queued for stdout now. */
  flush(): void;
  /** Resolves once the failure of any write made so far has been reported (Node reports it a tick later). */
  written(): Promise<void>;
  /** Bytes queued for stdout and not yet handed to the host (backpressure, reported: never waited for). */
  backlog(): number;
  /** Whether a host output stream has failed (its bytes are dropped). */
  broken(stream: HostStream): boolean;
  /** The terminal's size, or null when stdout is not a terminal. */
  size(): { rows: number; cols: number } | null;
  /** Stop reading, restore the terminal mode, flush. */
  close(): void;
}

