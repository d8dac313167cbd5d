// splice (76), tee (77) and vmsplice (75): argument decoding in Linux's
// order (len 0 first, then unknown flags, bad descriptors, ESPIPE for a
// pipe's offset pointer, EFAULT for an unreadable one); the transfers are
// kernel/fs/splice.ts. Offsets given by pointer are read before and stored
// after, as __do_splice does; the file's own offset moves otherwise.
//
// Concepts: C40 (pipes), C04 (the syscall layer decodes; the fs does the work).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32 } from "./args.js";
import * as N from "../abi/sysno.js";
import { getUser64, putUser64 } from "../mm/uaccess.js";
import { fdFileIO } from "./fs_util.js";
import { MAX_RW_COUNT, MAX_LFS_FILESIZE } from "../abi/fs.js";
import { EFAULT, EINVAL } from "../abi/errno.js";
import { readIovec } from "../fs/read_write.js";
import { SPLICE_F_ALL, doSplice, doTee, doVmsplice, spliceEspipe, type SpliceOff } from "../fs/splice.js";

/** Read an offset pointer: null when none, "fault" when unreadable, -1 for a negative loff_t (EINVAL in fs/splice.ts). */
function readOff(k: Kernel, t: Task, va: number): SpliceOff | "fault" {
  if (va === 0) return null;
  const v = getUser64(k.mmctx, t.mm!, va);
  if (v === null) return "fault";
  return v > MAX_LFS_FILESIZE ? -1 : v; // a negative loff_t: rw_verify_area's EINVAL
}

function sysSplice(k: Kernel, t: Task): number {
  const fdIn = argInt(k, 0), offInPtr = argU(k, 1), fdOut = argInt(k, 2), offOutPtr = argU(k, 3);
  const len = Math.min(argU(k, 4), MAX_RW_COUNT);
  const flags = argU32(k, 5);
  if (len === 0) return 0;
  if (flags & ~SPLICE_F_ALL) return -EINVAL;
  const inp = fdFileIO(t, fdIn);
  if (typeof inp === "number") return inp;
  const out = fdFileIO(t, fdOut);
  if (typeof out === "number") return out;
  const sp = spliceEspipe(inp, offInPtr) || spliceEspipe(out, offOutPtr);
  if (sp < 0) return sp;
  const offOut = readOff(k, t, offOutPtr);
  if (offOut === "fault") return -EFAULT;
  const offIn = readOff(k, t, offInPtr);
  if (offIn === "fault") return -EFAULT;
  const r = doSplice(k, t, inp, offIn, out, offOut, len, flags);
  if (r.n < 0) return r.n;
  if (offOutPtr && r.offOut !== null && putUser64(k.mmctx, t.mm!, offOutPtr, r.offOut) < 0) return -EFAULT;
  if (offInPtr && r.offIn !== null && putUser64(k.mmctx, t.mm!, offInPtr, r.offIn) < 0) return -EFAULT;
  return r.n;
}

function sysTee(k: Kernel, t: Task): number {
  const len = Math.min(argU(k, 2), MAX_RW_COUNT);
  const flags = argU32(k, 3);
  if (len === 0) return 0;
  if (flags & ~SPLICE_F_ALL) return -EINVAL;
  const inp = fdFileIO(t, argInt(k, 0));
  if (typeof inp === "number") return inp;
  const out = fdFileIO(t, argInt(k, 1));
  if (typeof out === "number") return out;
  return doTee(k, t, inp, out, len, flags);
}

function sysVmsplice(k: Kernel, t: Task): number {
  const flags = argU32(k, 3);
  if (flags & ~SPLICE_F_ALL) return -EINVAL;
  const f = fdFileIO(t, argInt(k, 0));
  if (typeof f === "number") return f;
  const cnt = argU(k, 2);
  const iov = readIovec(k, t, argU(k, 1), cnt > 0x7fffffff ? -1 : cnt);
  if (typeof iov === "number") return iov;
  return doVmsplice(k, t, f, iov, flags);
}

export function registerSpliceSyscalls(table: SyscallTable): void {
  table[N.SYS_splice] = sysSplice;
  table[N.SYS_tee] = sysTee;
  table[N.SYS_vmsplice] = sysVmsplice;
}
