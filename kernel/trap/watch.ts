// The watchdog's window into the trap path. The kernel's loop is synchronous
// JavaScript: a syscall that never returns (an unbounded loop in a handler)
// stops everything, the guest's own watchdogs included, and nothing inside
// the kernel can notice. So the trap path writes a few numbers into an array
// the host may share with a thread of its own (host/node/watchdog.ts): a
// counter that moves at every trap, whether a trap is being handled, and
// which task and syscall (with its arguments) it is. A host thread that sees
// the counter stand still while a trap is in progress reports the hung
// syscall and stops tsix, instead of a silent spin at 100% CPU.
//
// The array is plain data (an Int32Array, normally over a
// SharedArrayBuffer); writing it costs a few integer stores per trap.
//
// Concepts: C04 (the trap and syscall number seen from outside), C12 (no
// trap may keep a hart forever).
import type { Kernel } from "../kernel.js";
import { REG_A0 } from "../arch/regs.js";

// The cells' layout is shared with the host's watchdog thread: it lives in kernel/abi/watch.ts.
import { WATCH_SEQ, WATCH_BUSY, WATCH_TID, WATCH_CAUSE, WATCH_NR } from "../abi/watch.js";
export { WATCH_SEQ, WATCH_BUSY, WATCH_TID, WATCH_CAUSE, WATCH_NR, WATCH_ARGS, WATCH_CELLS, WATCH_BYTES, watchArg } from "../abi/watch.js";

/** A trap begins (handleTrap). */
export function watchTrap(w: Int32Array, tid: number, cause: number, interrupt: boolean): void {
  w[WATCH_SEQ]++;
  w[WATCH_BUSY] = 1;
  w[WATCH_TID] = tid;
  w[WATCH_CAUSE] = interrupt ? -cause - 1 : cause;
  w[WATCH_NR] = -1;
}

/** The trap is syscall `nr`: record it and its arguments (the register words as they are). */
export function watchSyscall(k: Kernel, w: Int32Array, nr: number): void {
  // Twelve plain stores: this runs on every syscall (a loop here measured slower).
  const r = k.regs.i, a = REG_A0 * 2;
  w[WATCH_NR] = nr;
  w[5] = r[a]; w[6] = r[a + 1]; w[7] = r[a + 2]; w[8] = r[a + 3]; w[9] = r[a + 4]; w[10] = r[a + 5];
  w[11] = r[a + 6]; w[12] = r[a + 7]; w[13] = r[a + 8]; w[14] = r[a + 9]; w[15] = r[a + 10]; w[16] = r[a + 11];
}
