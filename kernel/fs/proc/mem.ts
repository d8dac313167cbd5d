// /proc/PID/mem and /proc/PID/task/TID/mem: another process's memory as a
// file whose offset is the address (proc(5)). gdb reads and writes the
// inferior through it (pread/pwrite at the address): breakpoints go in with
// FOLL_FORCE as with PTRACE_POKETEXT (mm/remote.ts: read-only private text is
// copied for that process alone; a shared read-only mapping refuses).
// Opening needs ptrace-level access (root or the same ids, access.ts, as
// Linux's mm_access). A range with no page mapped at its start reads and
// writes -EIO, as Linux's mem_rw; a range cut by an unmapped page returns
// the bytes before it.
//
// Concepts: C57 (an address space seen from outside), C24 (the forced
// private copy), tracing.
import type { Kernel } from "../../kernel.js";
import type { Task } from "../../proc/task.js";
import type { MM } from "../../mm/mm.js";
import type { File } from "../vfs.js";
import { accessRemote } from "../../mm/remote.js";
import { USER_TOP } from "../../mm/pagetable.js";
import { EACCES, EINVAL, EIO, ESRCH } from "../../abi/errno.js";
import { SEEK_SET, SEEK_CUR } from "../../abi/fs.js";
import { defineFileOps } from "../../lib/fsops.js";
import { type PCtx, pseudoCtx } from "./node.js";
import { mayInspect } from "./access.js";

/** Most bytes one read or write moves (the caller goes on with the rest). */
const MAX_RW = 1 << 20;

function memMm(k: Kernel, c: PCtx): MM | null {
  const tg = k.groups.get(c.pid);
  if (!tg) return null;
  const th = k.tasks.get(c.tid);
  const t = th && th.tg === tg ? th : tg.threads[0];
  return t?.mm && t.mm.root ? t.mm : null;
}

function rw(k: Kernel, f: File, buf: Uint8Array, pos: number, write: boolean): number {
  const mm = memMm(k, pseudoCtx(f.inode));
  if (!mm) return 0; // the process has no address space any more (Linux: mm gone, 0)
  if (buf.length === 0) return 0;
  if (pos < 0 || pos >= USER_TOP) return -EIO;
  const n = Math.min(buf.length, MAX_RW, USER_TOP - pos);
  const done = accessRemote(k.mmctx, mm, pos, buf.subarray(0, n), write, true);
  return done > 0 ? done : -EIO;
}

export const PROC_MEM_FOPS = defineFileOps("proc.mem", {
  open(k: Kernel, t: Task, f: File) {
    const tg = k.groups.get(pseudoCtx(f.inode).pid);
    if (!tg || tg.zombie) return -ESRCH;
    return mayInspect(t, tg) ? 0 : -EACCES;
  },
  read(k, _t, f, buf, pos) { return rw(k, f, buf, pos, false); },
  write(k, _t, f, buf, pos) { return rw(k, f, buf, pos, true); },
  llseek(_k, f, off, whence) {
    const pos = whence === SEEK_SET ? off : whence === SEEK_CUR ? f.pos + off : NaN;
    if (!Number.isSafeInteger(pos) || pos < 0) return -EINVAL;
    f.pos = pos;
    return pos;
  },
});
