// execve: replace the program a process runs (Linux fs/exec.c and
// binfmt_script.c; the ELF loader itself is exec.ts).
//   1. copy argv/envp in (E2BIG beyond the limits),
//   2. open the file through the VFS; a "#!" script names its interpreter
//      (plus one optional argument), which is opened in turn (at most 4
//      levels, then ELOOP); an ELF with PT_INTERP gets its dynamic loader,
//   3. build the new address space completely (exec.ts) - until here any
//      failure returns an error and the old program goes on,
//   4. point of no return: other threads are killed (de_thread), the old
//      address space is released (which frees a vfork parent), close-on-exec
//      descriptors close, caught signals return to SIG_DFL (ignored stay
//      ignored), the alternate signal stack goes, set-user-ID applies,
//   5. registers: pc = entry, sp = the new stack, everything else zero.
//
// Concepts: C24 (exec replaces the program, keeps the pid and open files),
// C20 (a new address space from the ELF file), C27 (set-user-ID programs).
import type { Kernel } from "../kernel.js";
import * as L from "../../hw/core/layout.js";
import type { Task, Creds } from "./task.js";
import type { Inode } from "../fs/vfs.js";
import { type ExecFile, loadProgram, readElf, PT_INTERP, ARG_MAX } from "./exec.js";
import { exitThread, mmRelease } from "./exit.js";
import { releaseMM } from "../mm/mm.js";
import { activateMm } from "../mm/asid.js";
import { shmMmGone } from "../ipc/shm.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { copyinString, getUser64 } from "../mm/uaccess.js";
import { closeOnExec, forkFdTable, releaseFdTable } from "../fs/fdtable.js";
import { sleepOn } from "../sched/wait.js";
import { tracepoints, emit } from "../trace/tracepoint.js";
import { sigBit, SIGKILL, SIG_IGN, SIG_DFL, SS_DISABLE } from "../abi/signal.js";
import { vdsoFile } from "../signal/frame.js";
import { JUSTRETURN, E2BIG, EACCES, EAGAIN, EFAULT, ELOOP, ENAMETOOLONG, ENOEXEC, ERESTARTNOINTR } from "../abi/errno.js";
import { REG_SP, setReg, setPc } from "../arch/regs.js";
import {
  S_ISUID, S_ISGID, S_IXGRP, S_IFMT, S_IFREG,
} from "../abi/fs.js";
import { randomBytes } from "../lib/random.js";
import { bytesToStr } from "../lib/bytestr.js";

/** What the VFS hands the loader for a path (kernel/fs/init.ts openExec). */
export interface ExecTarget { file: ExecFile; path: string; inode: Inode }
export type OpenExecFn = (k: Kernel, t: Task, path: string) => ExecTarget | number;

/** Bytes of a file examined for "#!" (Linux BINPRM_BUF_SIZE). */
const BINPRM_BUF_SIZE = 256;
/** Nesting of interpreters (Linux BINPRM_MAX_RECURSION). */
const MAX_RECURSION = 4;
/** Longest single argument or environment string (Linux MAX_ARG_STRLEN = 32 pages). */
export const MAX_ARG_STRLEN = 32 * PAGE_SIZE;
const MAX_ARG_STRINGS = 0x7fffffff;

/** Copy a NULL-terminated array of strings (argv or envp) from user memory. */
export function copyStrings(k: Kernel, t: Task, va: number, budget: { left: number }): string[] | number {
  const out: string[] = [];
  if (va === 0) return out;
  for (let i = 0; ; i++) {
    if (i >= MAX_ARG_STRINGS) return -E2BIG;
    const p = getUser64(k.mmctx, t.mm!, va + i * 8);
    if (p === null) return -EFAULT;
    if (p === 0) return out;
    const s = copyinString(k.mmctx, t.mm!, p, MAX_ARG_STRLEN);
    if (typeof s === "number") return s === -ENAMETOOLONG ? -E2BIG : s;
    budget.left -= s.length + 1 + 8;
    if (budget.left < 0) return -E2BIG;
    out.push(s);
  }
}

/** Parse a "#!" line: interpreter and optional single argument, or null when it is not a script. */
export function parseShebang(head: Uint8Array): { interp: string; arg: string | null } | number | null {
  if (head.length < 2 || head[0] !== 0x23 || head[1] !== 0x21) return null;
  let end = head.indexOf(0x0a, 2);
  if (end < 0) {
    // No newline within the buffer: Linux accepts it only if the interpreter name fits.
    end = head.length;
  }
  const line = bytesToStr(head.subarray(2, end)).replace(/[ \t]+$/, "");
  const m = /^[ \t]*([^ \t]+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) return -ENOEXEC;
  const arg = m[2] !== undefined ? m[2].replace(/^[ \t]+/, "") : "";
  return { interp: m[1], arg: arg === "" ? null : arg };
}

/**
 * de_thread: every other thread of the group goes away. Threads running on
 * another hart are sent SIGKILL and awaited (the syscall restarts when they
 * are gone). Returns 0 or -ERESTARTNOINTR (a signal never makes exec fail with EINTR).
 */
function killOtherThreads(k: Kernel, t: Task): number {
  const tg = t.tg;
  const remote = tg.threads.filter((th) => th !== t && th.cpu >= 0 && th.cpu !== k.active);
  if (remote.length > 0) {
    tg.execer = t;
    for (const th of remote) { th.pending |= sigBit(SIGKILL); th.interrupted = true; }
    sleepOn(t, tg.threadExit);
    return -ERESTARTNOINTR;
  }
  return 0;
}

/**
 * execve(filename, argv, envp) for task `t` (registers live in k.regs).
 * Returns JUSTRETURN on success, else -errno (the old program continues).
 */
export function doExecve(k: Kernel, t: Task, open: OpenExecFn, filename: string, argv: string[], envp: string[]): number {
  const tg = t.tg;
  if (tg.exiting || (tg.execer !== null && tg.execer !== t)) return -EAGAIN;
  const r = prepareExec(k, t, open, filename, argv, envp);
  if (typeof r === "number") {
    if (tg.execer === t) tg.execer = null;
    return r;
  }
  if (r.wait) return -ERESTARTNOINTR;
  return commitExec(k, t, r.prep);
}

interface Prepared {
  res: Exclude<ReturnType<typeof loadProgram>, number>;
  target: ExecTarget;
  args: string[];
  envp: string[];
  filename: string;
  creds: Creds;
}

/** Steps 1-3: everything that may still fail. The new address space is built but not yet in use. */
function prepareExec(k: Kernel, t: Task, open: OpenExecFn, filename: string, argv: string[], envp: string[]):
  { wait: false; prep: Prepared } | { wait: true } | number {
  const tg = t.tg;
  if (argv.length === 0) argv = [""]; // Linux 5.18+: never start a program with argc == 0

  // Find the real program: follow "#!" interpreters.
  let path = filename;
  let args = argv;
  let target = open(k, t, path);
  if (typeof target === "number") return target;
  for (let depth = 0; ; depth++) {
    const head = target.file.readAt(0, BINPRM_BUF_SIZE);
    const sb = parseShebang(head);
    if (sb === null) break;
    if (typeof sb === "number") return sb;
    if (depth >= MAX_RECURSION) return -ELOOP;
    args = [sb.interp, ...(sb.arg !== null ? [sb.arg] : []), path, ...args.slice(1)];
    path = sb.interp;
    const next = open(k, t, sb.interp);
    if (typeof next === "number") return next;
    target = next;
  }
  if ((target.inode.mode & S_IFMT) !== S_IFREG) return -EACCES;
  const elf = readElf(target.file);
  if (typeof elf === "number") return elf;
  // The dynamic loader named by PT_INTERP.
  let interp: ExecTarget | null = null;
  const pi = elf.phdrs.find((p) => p.type === PT_INTERP);
  if (pi) {
    if (pi.filesz < 2 || pi.filesz > 4096) return -ENOEXEC;
    const raw = target.file.readAt(pi.offset, pi.filesz);
    const nul = raw.indexOf(0);
    const name = bytesToStr(nul >= 0 ? raw.subarray(0, nul) : raw);
    if (name === "") return -ENOEXEC;
    const it = open(k, t, name);
    if (typeof it === "number") return it;
    interp = it;
  }
  // Credentials of the new program (set-user-ID / set-group-ID files).
  const old = tg.creds;
  const creds = { ...old, groups: [...old.groups] };
  const mode = target.inode.mode;
  if (mode & S_ISUID) creds.euid = target.inode.uid;
  if ((mode & S_ISGID) && (mode & S_IXGRP)) creds.egid = target.inode.gid;
  creds.suid = creds.euid; creds.fsuid = creds.euid;
  creds.sgid = creds.egid; creds.fsgid = creds.egid;

  const random = new Uint8Array(16);
  randomBytes(k.entropy, random);
  const strBytes = [...args, ...envp].reduce((n, s) => n + s.length + 1, 0);
  if (strBytes > ARG_MAX) return -E2BIG;
  const r = loadProgram(k.mmctx, target.file, elf, interp ? interp.file : null, {
    argv: args, envp, execfn: filename, creds, random, vdso: vdsoFile(k),
  });
  if (typeof r === "number") return r;
  // Threads running on other harts must be gone before the old address space can go.
  if (killOtherThreads(k, t)) {
    releaseMM(k.mmctx, r.mm);
    return { wait: true };
  }
  return { wait: false, prep: { res: r, target, args, envp, filename, creds } };
}

/** Steps 4-5: the point of no return. */
function commitExec(k: Kernel, t: Task, p: Prepared): number {
  const tg = t.tg;
  const { res: r, target, args, envp, filename, creds } = p;
  const old = tg.creds;
  for (const th of [...tg.threads]) if (th !== t) exitThread(k, th);
  tg.execer = null;
  if (t.tid !== tg.pid) {
    // A non-leader thread exec'd: it takes over the process's pid (Linux de_thread).
    if (k.tasks.get(t.tid) === t) k.tasks.delete(t.tid);
    t.tid = tg.pid;
    k.tasks.set(t.tid, t);
  }
  mmRelease(k, t);
  const oldMm = t.mm;
  t.mm = r.mm;
  activateMm(k.mmctx, k.active, r.mm);
  if (oldMm) { shmMmGone(k, oldMm, t.tg.pid); releaseMM(k.mmctx, oldMm); }
  // Files: a shared table is unshared, then close-on-exec descriptors close.
  if (t.files.refs > 1) {
    const nf = forkFdTable(t.files, k.mmctx);
    releaseFdTable(k, t.files);
    t.files = nf;
  }
  closeOnExec(k, t.files);
  // POSIX timers are deleted at exec (Linux exit_itimers); ids go on counting, so old kernel timers stay stale.
  tg.posixTimers = [];
  // Signals: handlers do not survive (the code is gone); ignored signals stay ignored.
  tg.sighand = {
    actions: tg.sighand.actions.map((a) => ({ handler: a.handler === SIG_IGN ? SIG_IGN : SIG_DFL, flags: 0, mask: 0n, restorer: 0 })),
  };
  t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  t.sigwaitSet = 0n;
  t.savedSigmask = null;
  // Identity.
  if (creds.euid !== old.euid || creds.egid !== old.egid) tg.pdeathSig = 0;
  tg.creds = creds;
  const base = filename.slice(filename.lastIndexOf("/") + 1);
  t.comm = base.slice(0, 15);
  tg.comm = t.comm;
  const tpe = tracepoints(k).process_exec;
  if (tpe) emit(tpe, { pid: tg.pid, path: filename });
  tg.exe = target.path;
  tg.cmdline = args;
  tg.environ = envp;
  tg.didExec = true;
  t.restart = null;
  t.sysNr = -1;
  t.futex = null;
  // Registers: everything zero but pc and sp (a0 = 0 also tells _start there is no rtld_fini).
  const regs = k.regs;
  regs.b.fill(0, 0, L.FCSR + 8);
  setReg(regs, REG_SP, r.sp);
  setPc(regs, r.entry);
  regs.w[L.PRIV / 4] = 0;
  return JUSTRETURN;
}
