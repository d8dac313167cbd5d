// How tsix stops when the host tells it to: SIGTERM (kill, a timeout), SIGINT
// (^C when the host terminal is not in raw mode) and SIGHUP (the terminal
// went away). Node's default for these is to die at once, which loses the
// guest output tsix still holds; instead the subcommand's stop function runs
// (it flushes, and whatever else must reach the host before exit), and tsix
// exits with 128 + the signal number, the status a shell reports for a
// process killed by that signal.
//
// The handlers run between turns of the kernel's run loop (Node delivers
// signals through its event loop, and the loop yields every ~20 ms), so the
// kernel is never caught in the middle of a trap.
// Concepts: C44 (signals: the host's, mapped to the conventional exit status).

/** The host signals that stop tsix, with their Linux numbers. */
export const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** SIGPIPE's number: tsix's status when its output pipe is gone and nothing else decides it. */
export const SIGPIPE_STATUS = 128 + 13;

/**
 * Run `stop(128 + signo)` on SIGHUP, SIGINT or SIGTERM (at most once; `stop`
 * is expected to end the process). Returns the function that removes the handlers.
 */
export function onStopSignals(stop: (status: number) => void): () => void {
  let stopping = false;
  const handlers = Object.entries(STOP_SIGNALS).map(([name, signo]) => {
    const h = (): void => {
      if (stopping) return;
      stopping = true;
      stop(128 + signo);
    };
    process.on(name as NodeJS.Signals, h);
    return [name as NodeJS.Signals, h] as const;
  });
  return () => { for (const [name, h] of handlers) process.off(name, h); };
}
