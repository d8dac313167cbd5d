// ptrace(2) (proc/ptrace.ts does the work) and process_vm_readv/writev(2),
// which strace uses to read a tracee's strings in one call: they copy between
// the caller's iovecs and another process's, with ptrace's permission (its
// tracer, or root, or the same real uid and gid).
//
// Concepts: C04, tracing.
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import * as N from "../abi/sysno.js";
import { EFAULT, EINVAL, EPERM, ESRCH } from "../abi/errno.js";
import { IOVEC } from "../abi/fs.js";
import { unpack } from "../abi/layout.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { accessRemote } from "../mm/remote.js";
import { doPtrace } from "../proc/ptrace.js";
import { getRegBig, REG_A0 } from "../arch/regs.js";
import { type SyscallTable, argU, argInt } from "./args.js";

function sysPtrace(k: Kernel, t: Task): number {
  return doPtrace(k, t, argInt(k, 0), argInt(k, 1), argU(k, 2), argU(k, 3), getRegBig(k.regs, REG_A0 + 3));
}

const IOV_MAX = 1024;

function readIovecs(k: Kernel, t: Task, va: number, n: number): { base: number; len: number }[] | number {
  if (n > IOV_MAX) return -EINVAL;
  const b = new Uint8Array(IOVEC.size * n);
  if (n > 0 && (!t.mm || copyin(k.mmctx, t.mm, va, b) < 0)) return -EFAULT;
  const out: { base: number; len: number }[] = [];
  for (let i = 0; i < n; i++) {
    const v = unpack(IOVEC, b.subarray(i * IOVEC.size, (i + 1) * IOVEC.size));
    out.push({ base: Number(v.iov_base), len: Number(v.iov_len) });
  }
  return out;
}

/** process_vm_readv / process_vm_writev: bytes moved (partial at the first fault), or -errno. */
function processVm(k: Kernel, t: Task, write: boolean): number {
  const pid = argInt(k, 0), lvec = argU(k, 1), liovcnt = argU(k, 2), rvec = argU(k, 3), riovcnt = argU(k, 4), flags = argU(k, 5);
  if (flags !== 0) return -EINVAL;
  const local = readIovecs(k, t, lvec, liovcnt);
  if (typeof local === "number") return local;
  const remote = readIovecs(k, t, rvec, riovcnt);
  if (typeof remote === "number") return remote;
  const target = k.tasks.get(pid);
  if (!target || !target.mm || target.state === "Z" || target.state === "X") return -ESRCH;
  const c = t.tg.creds, tc = target.tg.creds;
  const tracer = target.tg.ptrace?.tracer === t.tg.pid || target.ptrace?.tracer === t.tg.pid;
  if (!tracer && c.euid !== 0 && !(c.uid === tc.uid && c.uid === tc.euid && c.uid === tc.suid && c.gid === tc.gid && c.gid === tc.egid && c.gid === tc.sgid)) return -EPERM;
  const mine = t.mm!, theirs = target.mm;
  let done = 0;
  let li = 0, lo = 0;
  for (const r of remote) {
    let ro = 0;
    while (ro < r.len) {
      while (li < local.length && lo >= local[li].len) { li++; lo = 0; }
      if (li >= local.length) return done;
      const n = Math.min(r.len - ro, local[li].len - lo, 65536);
      const buf = new Uint8Array(n);
      // The remote side goes through accessRemote without FOLL_FORCE (as Linux):
      // a write also drops translated code of the pages it changed.
      if (write) {
        if (copyin(k.mmctx, mine, local[li].base + lo, buf) < 0) return done > 0 ? done : -EFAULT;
        const got = accessRemote(k.mmctx, theirs, r.base + ro, buf, true, false);
        if (got < n) return done + got > 0 ? done + got : -EFAULT;
      } else {
        const got = accessRemote(k.mmctx, theirs, r.base + ro, buf, false, false);
        if (got < n || copyout(k.mmctx, mine, local[li].base + lo, buf) < 0) return done > 0 ? done : -EFAULT;
      }
      done += n;
      ro += n;
      lo += n;
    }
  }
  return done;
}

/**
 * personality(2): the process's execution domain flags, returned and (unless
 * the argument is 0xffffffff, a query) replaced. gdb sets ADDR_NO_RANDOMIZE
 * before it starts a program; tsix lays out address spaces the same way every
 * run, so no flag changes behaviour here, but the value is kept, inherited
 * and shown in /proc/PID/personality as Linux does.
 */
function sysPersonality(k: Kernel, t: Task): number {
  const old = t.tg.personality ?? 0;
  const v = argU(k, 0) >>> 0;
  if (v !== 0xffffffff) t.tg.personality = v;
  return old;
}

export function registerPtraceSyscalls(table: SyscallTable): void {
  table[N.SYS_personality] = sysPersonality;
  table[N.SYS_ptrace] = sysPtrace;
  table[N.SYS_process_vm_readv] = (k, t) => processVm(k, t, false);
  table[N.SYS_process_vm_writev] = (k, t) => processVm(k, t, true);
}
