// The strace-like syscall printer behind `tsix run --trace syscall`: one line
// per finished system call,
//     PID name(args) = result
// with paths and buffers shown as strings, flags symbolically (open, mmap,
// mprotect, clone, wait4, access, at-flags...), signals, ioctl and fcntl
// commands by name, pointers in hex, and errors as strace writes them:
//     = -1 ENOENT (No such file or directory)
// The hook runs after the call, so output buffers (read, readlink, getcwd,
// pipe2) already hold their data; calls that never return to their caller
// (exit, exit_group, rt_sigreturn) print "= ?". A call that blocks is printed
// once, when it completes.
//
// Concepts: C04 (system calls: number, arguments, handler, result), C06
// (bad pointers show as addresses and EFAULT).
import { unpack } from "../abi/layout.js";
import { PIPEFDS } from "../abi/fs.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { SYSCALL_NAMES } from "../abi/sysno.js";
import { errnoName, errnoMessage, JUSTRETURN } from "../abi/errno.js";
import { copyin, copyinString } from "../mm/uaccess.js";
import { getU64 } from "../abi/le.js";
import { strToBytes } from "../lib/bytestr.js";
import { subscribe } from "./tracepoint.js";
import { TTY_IOCTL_NAMES } from "../tty/tty_io.js";

/** Longest string shown before "..." (strace -s 32). */
export const STRING_LIMIT = 32;

/**
 * Argument kinds: d int, u unsigned, x pointer/hex, fd, dirfd, path, str,
 * ibuf (input buffer, length in the next argument), obuf (output buffer,
 * length = result), oflags, fdflags, mode, mode? (only with O_CREAT/O_TMPFILE),
 * prot, mapflags, clone, sig, sighow, waitopt, atflags, amode, whence, fcntl,
 * ioctl, clock, futexop, rlimit, grnd, pipefds, argv, skip.
 */
const SPECS: Record<string, string> = {
  read: "fd obuf u", write: "fd ibuf u", pread64: "fd obuf u d", pwrite64: "fd ibuf u d",
  readv: "fd x d", writev: "fd x d", preadv: "fd x d d", pwritev: "fd x d d",
  openat: "dirfd path oflags mode?", close: "fd", dup: "fd", dup3: "fd fd fdflags",
  fcntl: "fd fcntl x", ioctl: "fd ioctl x", lseek: "fd d whence", flock: "fd d",
  newfstatat: "dirfd path x atflags", fstat: "fd x", statx: "dirfd path atflags x x",
  faccessat: "dirfd path amode", faccessat2: "dirfd path amode atflags",
  readlinkat: "dirfd path obuf u", mkdirat: "dirfd path mode", mknodat: "dirfd path mode x",
  unlinkat: "dirfd path atflags", symlinkat: "path dirfd path", linkat: "dirfd path dirfd path atflags",
  renameat2: "dirfd path dirfd path x", chdir: "path", fchdir: "fd", chroot: "path", getcwd: "obuf u",
  fchmodat: "dirfd path mode", fchownat: "dirfd path d d atflags", fchmod: "fd mode", fchown: "fd d d",
  utimensat: "dirfd path x atflags", mount: "str path str x x", umount2: "path x",
  statfs: "path x", fstatfs: "fd x", truncate: "path d", ftruncate: "fd d", fallocate: "fd d d d",
  getdents64: "fd x u", pipe2: "pipefds fdflags", sendfile: "fd fd x u", fsync: "fd", fdatasync: "fd",
  sync: "", close_range: "u u x",
  execve: "path argv x", execveat: "dirfd path argv x atflags",
  exit: "d", exit_group: "d",
  mmap: "x u prot mapflags fd x", munmap: "x u", mprotect: "x u prot", brk: "x",
  mremap: "x u u x x", madvise: "x u d", msync: "x u d", mlock: "x u", munlock: "x u",
  clone: "clone x x x x", clone3: "x u", wait4: "d x waitopt x", waitid: "d d x waitopt x",
  kill: "d sig", tgkill: "d d sig", tkill: "d sig",
  rt_sigaction: "sig x x u", rt_sigprocmask: "sighow x x u", rt_sigreturn: "", rt_sigsuspend: "x u",
  rt_sigtimedwait: "x x x u", sigaltstack: "x x",
  set_tid_address: "x", set_robust_list: "x u", futex: "x futexop d x x d",
  clock_gettime: "clock x", clock_getres: "clock x", clock_nanosleep: "clock d x x", nanosleep: "x x",
  gettimeofday: "x x", setitimer: "d x x", getitimer: "d x",
  getrandom: "x u grnd", uname: "x", sysinfo: "x", prlimit64: "d rlimit x x", getrlimit: "rlimit x",
  setrlimit: "rlimit x", getrusage: "d x", times: "x", prctl: "d x x x x", umask: "mode",
  getpid: "", getppid: "", gettid: "", getuid: "", geteuid: "", getgid: "", getegid: "",
  setuid: "d", setgid: "d", setreuid: "d d", setregid: "d d", setresuid: "d d d", setresgid: "d d d",
  getgroups: "d x", setgroups: "d x", setfsuid: "d", setfsgid: "d",
  setpgid: "d d", getpgid: "d", setsid: "", getsid: "d", sched_yield: "",
  sched_getaffinity: "d u x", sched_setaffinity: "d u x", getcpu: "x x x",
  sched_setscheduler: "d d x", sched_getscheduler: "d", setpriority: "d d d", getpriority: "d d",
  ppoll: "x u x x u", pselect6: "d x x x x x", epoll_create1: "fdflags", epoll_ctl: "fd d fd x",
  epoll_pwait: "fd x d d x u", eventfd2: "u fdflags",
  socket: "d d d", connect: "fd x u", bind: "fd x u", listen: "fd d", accept4: "fd x x fdflags",
  getsockname: "fd x x", recvmsg: "fd x d", sendmsg: "fd x d", socketpair: "d d d x",
  riscv_hwprobe: "x u u x u", rseq: "x u x x", syslog: "d x d", vhangup: "",
  membarrier: "d d", memfd_create: "str x", pidfd_open: "d u",
  capget: "x x", capset: "x x", personality: "x", sethostname: "str u",
  shmget: "d u x", shmat: "d x x", shmdt: "x", shmctl: "d d x",
  semget: "d d x", semctl: "d d d x", semtimedop: "d x u x", msgget: "d x", msgsnd: "d x u d",
  msgrcv: "d x u d d", msgctl: "d d x",
};

/** Calls whose result is an address. */
const HEX_RESULT = new Set(["mmap", "brk", "mremap", "shmat"]);
/** Calls that do not return to the caller when they succeed. */
const NO_RETURN = new Set(["exit", "exit_group", "rt_sigreturn"]);

function flagNames(v: number, table: ReadonlyArray<readonly [number, string]>, zero = "0"): string {
  const parts: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) === bit) { parts.push(name); rest = (rest & ~bit) >>> 0; }
  }
  if (rest) parts.push("0x" + rest.toString(16));
  return parts.length ? parts.join("|") : zero;
}

const O_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0o20200000, "O_TMPFILE"], [0o100, "O_CREAT"], [0o200, "O_EXCL"], [0o400, "O_NOCTTY"], [0o1000, "O_TRUNC"],
  [0o2000, "O_APPEND"], [0o4000, "O_NONBLOCK"], [0o4010000, "O_SYNC"], [0o10000, "O_DSYNC"], [0o20000, "O_ASYNC"],
  [0o40000, "O_DIRECT"], [0o100000, "O_LARGEFILE"], [0o200000, "O_DIRECTORY"], [0o400000, "O_NOFOLLOW"],
  [0o1000000, "O_NOATIME"], [0o2000000, "O_CLOEXEC"], [0o10000000, "O_PATH"],
];

function openFlags(v: number): string {
  const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][v & 3];
  const rest = flagNames(v & ~3, O_FLAGS, "");
  return rest ? `${acc}|${rest}` : acc;
}

const PROT: ReadonlyArray<readonly [number, string]> = [[1, "PROT_READ"], [2, "PROT_WRITE"], [4, "PROT_EXEC"], [0x01000000, "PROT_GROWSDOWN"], [0x02000000, "PROT_GROWSUP"]];
const MAP: ReadonlyArray<readonly [number, string]> = [
  [0x10, "MAP_FIXED"], [0x20, "MAP_ANONYMOUS"], [0x100, "MAP_GROWSDOWN"], [0x800, "MAP_DENYWRITE"],
  [0x1000, "MAP_EXECUTABLE"], [0x2000, "MAP_LOCKED"], [0x4000, "MAP_NORESERVE"], [0x8000, "MAP_POPULATE"],
  [0x10000, "MAP_NONBLOCK"], [0x20000, "MAP_STACK"], [0x40000, "MAP_HUGETLB"], [0x100000, "MAP_FIXED_NOREPLACE"],
];

function mapFlags(v: number): string {
  const type = ["0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"][v & 3];
  const rest = flagNames(v & ~3, MAP, "");
  return rest ? `${type}|${rest}` : type;
}

const CLONE: ReadonlyArray<readonly [number, string]> = [
  [0x100, "CLONE_VM"], [0x200, "CLONE_FS"], [0x400, "CLONE_FILES"], [0x800, "CLONE_SIGHAND"], [0x1000, "CLONE_PIDFD"],
  [0x2000, "CLONE_PTRACE"], [0x4000, "CLONE_VFORK"], [0x8000, "CLONE_PARENT"], [0x10000, "CLONE_THREAD"],
  [0x20000, "CLONE_NEWNS"], [0x40000, "CLONE_SYSVSEM"], [0x80000, "CLONE_SETTLS"], [0x100000, "CLONE_PARENT_SETTID"],
  [0x200000, "CLONE_CHILD_CLEARTID"], [0x400000, "CLONE_DETACHED"], [0x800000, "CLONE_UNTRACED"],
  [0x1000000, "CLONE_CHILD_SETTID"], [0x2000000, "CLONE_NEWCGROUP"], [0x4000000, "CLONE_NEWUTS"],
  [0x8000000, "CLONE_NEWIPC"], [0x10000000, "CLONE_NEWUSER"], [0x20000000, "CLONE_NEWPID"],
  [0x40000000, "CLONE_NEWNET"], [0x80000000, "CLONE_IO"],
];

const SIGNALS = ["0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
  "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP",
  "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",
  "SIGPWR", "SIGSYS"];

export function signalName(s: number): string {
  if (s >= 0 && s < SIGNALS.length) return SIGNALS[s];
  if (s >= 32 && s <= 64) return s === 32 ? "SIGRTMIN" : `SIGRT_${s - 32}`;
  return String(s);
}

function cloneFlags(v: number): string {
  const sig = v & 0xff;
  const f = flagNames(v & ~0xff, CLONE, "");
  const parts = [f, sig ? signalName(sig) : ""].filter((x) => x);
  return "flags=" + (parts.length ? parts.join("|") : "0");
}

const WAIT: ReadonlyArray<readonly [number, string]> = [
  [1, "WNOHANG"], [2, "WUNTRACED"], [4, "WEXITED"], [8, "WCONTINUED"], [0x1000000, "WNOWAIT"],
  [0x20000000, "__WNOTHREAD"], [0x40000000, "__WALL"], [0x80000000, "__WCLONE"],
];
const AT: ReadonlyArray<readonly [number, string]> = [
  [0x100, "AT_SYMLINK_NOFOLLOW"], [0x200, "AT_REMOVEDIR"], [0x400, "AT_SYMLINK_FOLLOW"],
  [0x800, "AT_NO_AUTOMOUNT"], [0x1000, "AT_EMPTY_PATH"], [0x8000, "AT_RECURSIVE"],
];
const AMODE: ReadonlyArray<readonly [number, string]> = [[4, "R_OK"], [2, "W_OK"], [1, "X_OK"]];
const GRND: ReadonlyArray<readonly [number, string]> = [[1, "GRND_NONBLOCK"], [2, "GRND_RANDOM"], [4, "GRND_INSECURE"]];
const FDFLAGS: ReadonlyArray<readonly [number, string]> = [[0o2000000, "O_CLOEXEC"], [0o4000, "O_NONBLOCK"], [0o40000, "O_DIRECT"]];

const FCNTL: Record<number, string> = {
  0: "F_DUPFD", 1: "F_GETFD", 2: "F_SETFD", 3: "F_GETFL", 4: "F_SETFL", 5: "F_GETLK", 6: "F_SETLK", 7: "F_SETLKW",
  8: "F_SETOWN", 9: "F_GETOWN", 10: "F_SETSIG", 11: "F_GETSIG", 36: "F_OFD_GETLK", 37: "F_OFD_SETLK",
  38: "F_OFD_SETLKW", 1024: "F_SETLEASE", 1025: "F_GETLEASE", 1026: "F_NOTIFY", 1030: "F_DUPFD_CLOEXEC",
  1031: "F_SETPIPE_SZ", 1032: "F_GETPIPE_SZ", 1033: "F_ADD_SEALS", 1034: "F_GET_SEALS",
};
const CLOCKS = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
  "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"];
const FUTEX = ["FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
  "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET"];
const RLIMITS = ["RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
  "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
  "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"];
const OTHER_IOCTLS: Record<number, string> = { 0x5451: "FIOCLEX", 0x5450: "FIONCLEX", 0x5421: "FIONBIO", 0x5452: "FIOASYNC", 2: "FIGETBSZ" };

/** A register as a C int (the low 32 bits, signed). */
function i32(a: bigint): number {
  return Number(BigInt.asIntN(32, a));
}
/** A register as a signed long. */
function i64(a: bigint): string {
  return BigInt.asIntN(64, a).toString();
}
/** A register as an address (user addresses are below 2^39). */
function ptr(a: bigint): number {
  return Number(BigInt.asUintN(64, a));
}

function hex(a: bigint | number): string {
  const v = typeof a === "bigint" ? BigInt.asUintN(64, a) : a;
  return v === 0n || v === 0 ? "NULL" : "0x" + v.toString(16);
}

/** A C string literal as strace prints it. */
export function quote(bytes: Uint8Array, limit = STRING_LIMIT): string {
  let s = "\"";
  const n = Math.min(bytes.length, limit);
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    switch (c) {
      case 0x22: s += "\\\""; break;
      case 0x5c: s += "\\\\"; break;
      case 0x0a: s += "\\n"; break;
      case 0x0d: s += "\\r"; break;
      case 0x09: s += "\\t"; break;
      case 0x0c: s += "\\f"; break;
      case 0x0b: s += "\\v"; break;
      default:
        if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
        else {
          const next = i + 1 < n ? bytes[i + 1] : -1;
          // Octal like strace: short form unless a digit follows.
          s += "\\" + (next >= 0x30 && next <= 0x37 ? c.toString(8).padStart(3, "0") : c.toString(8));
        }
    }
  }
  s += "\"";
  if (bytes.length > limit) s += "...";
  return s;
}

function userString(k: Kernel, t: Task, va: number, limit: number): string {
  if (va === 0) return "NULL";
  if (!t.mm) return hex(va);
  const s = copyinString(k.mmctx, t.mm, va, 4096);
  if (typeof s === "number") return hex(va);
  return quote(strToBytes(s), limit);
}

function userBuf(k: Kernel, t: Task, va: number, len: number): string {
  if (va === 0) return "NULL";
  if (!t.mm || len < 0) return hex(va);
  const n = Math.min(len, STRING_LIMIT + 1);
  const b = new Uint8Array(n);
  if (copyin(k.mmctx, t.mm, va, b) < 0) return hex(va);
  return len > STRING_LIMIT ? quote(b.subarray(0, STRING_LIMIT), STRING_LIMIT) + "..." : quote(b, STRING_LIMIT);
}

function userArgv(k: Kernel, t: Task, va: number): string {
  if (va === 0) return "NULL";
  if (!t.mm) return hex(va);
  const out: string[] = [];
  const b = new Uint8Array(8);
  for (let i = 0; i < 32; i++) {
    if (copyin(k.mmctx, t.mm, va + i * 8, b) < 0) return hex(va);
    const p = getU64(b, 0);
    if (p === 0) return `[${out.join(", ")}]`;
    out.push(userString(k, t, p, STRING_LIMIT));
  }
  return `[${out.join(", ")}, ...]`;
}

/** Format one argument of kind `kind`. */
function formatArg(k: Kernel, t: Task, kind: string, a: bigint, all: bigint[], i: number, ret: number, name: string): string {
  switch (kind) {
    case "d": return i64(a);
    case "u": return BigInt.asUintN(64, a).toString();
    case "x": return hex(a);
    case "fd": return String(i32(a));
    case "dirfd": return i32(a) === -100 ? "AT_FDCWD" : String(i32(a));
    case "path": case "str": return userString(k, t, ptr(a), kind === "path" ? 4096 : STRING_LIMIT);
    case "ibuf": return userBuf(k, t, ptr(a), ptr(all[i + 1] ?? 0n));
    case "obuf": return ret >= 0 ? userBuf(k, t, ptr(a), name === "getcwd" ? ret - 1 : ret) : hex(a);
    case "oflags": return openFlags(i32(a));
    case "fdflags": return flagNames(i32(a), FDFLAGS);
    case "mode": return "0" + (i32(a) & 0o7777).toString(8);
    case "prot": return flagNames(i32(a), PROT, "PROT_NONE");
    case "mapflags": return mapFlags(i32(a));
    case "clone": return cloneFlags(i32(a) >>> 0);
    case "sig": return signalName(i32(a));
    case "sighow": return ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"][i32(a)] ?? String(i32(a));
    case "waitopt": return flagNames(i32(a), WAIT);
    case "atflags": return flagNames(i32(a), AT);
    case "amode": return flagNames(i32(a), AMODE, "F_OK");
    case "whence": return ["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"][i32(a)] ?? String(i32(a));
    case "fcntl": return FCNTL[i32(a)] ?? String(i32(a));
    case "ioctl": {
      const c = i32(a) >>> 0;
      return TTY_IOCTL_NAMES.get(c) ?? OTHER_IOCTLS[c] ?? "0x" + c.toString(16);
    }
    case "clock": return CLOCKS[i32(a)] ?? String(i32(a));
    case "futexop": {
      const op = i32(a);
      let s = FUTEX[op & 0x7f] ?? String(op & 0x7f);
      if (op & 128) s += "_PRIVATE";
      if (op & 256) s += "|FUTEX_CLOCK_REALTIME";
      return s;
    }
    case "rlimit": return RLIMITS[i32(a)] ?? String(i32(a));
    case "grnd": return flagNames(i32(a), GRND);
    case "pipefds": {
      if (ret < 0 || !t.mm) return hex(a);
      const b = new Uint8Array(PIPEFDS.size);
      if (copyin(k.mmctx, t.mm, ptr(a), b) < 0) return hex(a);
      const fds = unpack(PIPEFDS, b);
      return `[${fds.rfd}, ${fds.wfd}]`;
    }
    case "argv": return userArgv(k, t, ptr(a));
    default: return hex(a);
  }
}

/**
 * The result column: a value, an address, "-1 EXXX (message)", or "?" for
 * calls that do not return. `a0` is the register value a JUSTRETURN handler
 * left for the task (null when unknown).
 */
export function formatResult(name: string, ret: number, a0: bigint | null = null): string {
  if (ret === JUSTRETURN) {
    if (NO_RETURN.has(name) && name !== "rt_sigreturn") return "?";
    if (name === "execve" || name === "execveat") return "0";
    if (a0 === null) return "?";
    ret = Number(BigInt.asIntN(64, a0));
  }
  if (ret < 0 && ret >= -4095) return `-1 ${errnoName(-ret)} (${errnoMessage(-ret)})`;
  if (HEX_RESULT.has(name)) return "0x" + ret.toString(16);
  return String(ret);
}

/**
 * Format one finished syscall as a trace line (without the newline); `raw` =
 * the six argument registers, `a0` = the result a JUSTRETURN handler left.
 */
export function formatSyscall(k: Kernel, t: Task, nr: number, raw: bigint[], ret: number, a0: bigint | null = null): string {
  const name = SYSCALL_NAMES[nr] ?? `syscall_${nr}`;
  const spec = SPECS[name];
  const kinds = spec === undefined ? ["x", "x", "x"] : spec === "" ? [] : spec.split(" ");
  const parts: string[] = [];
  const execOk = (name === "execve" || name === "execveat") && ret === JUSTRETURN;
  for (let i = 0; i < kinds.length; i++) {
    let kind = kinds[i];
    if (kind === "mode?") {
      const fl = i32(raw[i - 1] ?? 0n);
      if (!(fl & 0o100) && (fl & 0o20200000) !== 0o20200000) continue;
      kind = "mode";
    }
    if (execOk) {
      // The old address space is gone: show what the kernel recorded for the new image.
      if (kind === "path") { parts.push(quote(strToBytes(t.tg.exe), 4096)); continue; }
      if (kind === "argv") { parts.push(`[${t.tg.cmdline.map((s) => quote(strToBytes(s))).join(", ")}]`); continue; }
      if (kind === "x") { parts.push(hex(raw[i] ?? 0n)); continue; }
    }
    try {
      parts.push(formatArg(k, t, kind, raw[i] ?? 0n, raw, i, ret, name));
    } catch {
      parts.push(hex(raw[i] ?? 0n));
    }
  }
  if (NO_RETURN.has(name) && name !== "rt_sigreturn" && ret >= 0) return `${t.tid} ${name}(${parts.join(", ")}) = ?`;
  return `${t.tid} ${name}(${parts.join(", ")}) = ${formatResult(name, ret, a0)}`;
}

/**
 * `tsix run --trace syscall`: print every finished syscall with `write`.
 * Returns the function that turns tracing off again.
 */
export function enableSyscallTrace(k: Kernel, write: (line: string) => void): () => void {
  return subscribe(k, "sys_exit", (ev) => write(formatSyscall(k, ev.t, ev.nr, ev.raw, ev.ret, ev.a0)));
}
