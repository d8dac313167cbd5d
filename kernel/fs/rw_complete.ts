// What a task copying straight between two user address spaces needs, shared
// by the pipe (fs/pipe.ts: pipeHandOff, pipeTakeOver) and stream sockets
// (net/handoff.ts: a send handed to a sleeping reader, a reader taking a
// sleeping writer's bytes):
//   - userToUser: one copy from one task's iovecs into another's, without
//     taking a fault in the task that is not running (its address space is
//     not the one the caller may sleep or swap for).
//   - completeCall: finish the read or write the other task sleeps in, in its
//     saved registers, so that it returns to user mode at once when it runs.
// Both only move what no program could tell from "the other task ran at once
// and did the copy itself"; the callers check when that holds.
//
// Concepts: C40 (a bounded buffer between producer and consumer), C45
// (sockets), C22 (blocking is a state, syscalls restart).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { Iov } from "./read_write.js";
import { userPage, userRun, userLeafTable, userPageVia } from "../mm/uaccess.js";
import { REG_A0 } from "../arch/regs.js";
import { putU64 } from "../abi/le.js";
import * as L from "../../hw/core/layout.js";

/**
 * Complete the read or write that task `w` sleeps in (or was woken from and
 * has not yet rerun) with the count `ret`, as its rerun would: the saved a0
 * gets the count and the saved pc moves past the ecall, so that the task
 * goes straight back to user mode when it next runs, without a second trip
 * through the syscall to fetch the count from Task.io. Only for a task on no
 * hart (its registers are in t.ctx), untraced (ptrace and the sys_exit
 * tracepoint see a call's result when its rerun returns it), and with no
 * restart block. A signal that comes before it runs then finds a finished
 * call and is delivered after it, as after any read or write that returned.
 * Returns false when it cannot: the caller leaves the count in Task.io.
 */
export function completeCall(k: Kernel, w: Task, ret: number): boolean {
  if (w.cpu !== -1 || (w.ptrace ?? null) !== null || k.host.traceSyscall || w.restart !== null) return false;
  putU64(w.ctx, L.X + REG_A0 * 8, ret);
  putU64(w.ctx, L.PC, w.sysPc + 4);
  w.sysNr = -1;
  w.sysRestart = 0;
  w.sysSlept = false;
  w.io = null;
  return true;
}

/**
 * Copy up to `n` bytes from `from`'s iovecs (from byte `fskip`) to `to`'s
 * (from byte `tskip`), one copyWithin per stretch contiguous in RAM on both
 * sides (mm/uaccess.ts userRun). The calling task's pages (the source when
 * `fromCaller`, else the destination) are faulted in as copyin/copyout
 * would; the other task's must be present and allow the access (another
 * address space: no fault is taken there). Returns the bytes copied,
 * stopping at the first page that cannot be had.
 */
export function userToUser(k: Kernel, from: Task, fiov: readonly Iov[], fskip: number, to: Task, tiov: readonly Iov[], tskip: number, n: number, fromCaller: boolean): number {
  const ram = k.pm.ram;
  const ctx = k.mmctx;
  let fi = 0, ti = 0, done = 0;
  while (fi < fiov.length && fskip >= fiov[fi].len) fskip -= fiov[fi++].len;
  while (ti < tiov.length && tskip >= tiov[ti].len) tskip -= tiov[ti++].len;
  while (done < n && fi < fiov.length && ti < tiov.length) {
    const fva = fiov[fi].base + fskip, tva = tiov[ti].base + tskip;
    const want = Math.min(n - done, fiov[fi].len - fskip, tiov[ti].len - tskip);
    // The other task's side first (it cannot be faulted in), then the caller's as far as that run goes.
    let len: number, to0: number, fo: number;
    if (fromCaller) {
      to0 = userPageVia(ctx, userLeafTable(ctx, to.mm!, tva), tva, true);
      if (to0 < 0) break;
      const tlen = userRun(ctx, to.mm!, tva, to0, true, want);
      fo = userPage(ctx, from.mm!, fva, false);
      if (fo < 0) break;
      len = userRun(ctx, from.mm!, fva, fo, false, tlen);
    } else {
      fo = userPageVia(ctx, userLeafTable(ctx, from.mm!, fva), fva, false);
      if (fo < 0) break;
      const flen = userRun(ctx, from.mm!, fva, fo, false, want);
      to0 = userPage(ctx, to.mm!, tva, true);
      if (to0 < 0) break;
      len = userRun(ctx, to.mm!, tva, to0, true, flen);
    }
    ram.copyWithin(to0, fo, fo + len);
    done += len;
    fskip += len;
    tskip += len;
    if (fskip === fiov[fi].len) { fi++; fskip = 0; }
    if (tskip === tiov[ti].len) { ti++; tskip = 0; }
  }
  return done;
}
