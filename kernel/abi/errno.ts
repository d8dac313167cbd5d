// Linux errno values (asm-generic/errno-base.h, errno.h) and their messages.
// Syscall handlers return -errno; these names are the only way code spells them.
// Concepts: C05 (the POSIX/Linux error interface), C06 (EFAULT for bad pointers).

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const ENOTBLK = 15;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ETXTBSY = 26;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const EPIPE = 32;
export const EDOM = 33;
export const ERANGE = 34;
export const EDEADLK = 35;
export const ENAMETOOLONG = 36;
export const ENOLCK = 37;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const ENOMSG = 42;
export const EIDRM = 43;
export const ENOSTR = 60;
export const ENODATA = 61;
export const ETIME = 62;
export const EOVERFLOW = 75;
export const EBADFD = 77;
export const EILSEQ = 84;
export const ENOTSOCK = 88;
export const EDESTADDRREQ = 89;
export const EMSGSIZE = 90;
export const EPROTOTYPE = 91;
export const ENOPROTOOPT = 92;
export const EPROTONOSUPPORT = 93;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
export const EADDRINUSE = 98;
export const EADDRNOTAVAIL = 99;
export const ENETUNREACH = 101;
export const ECONNABORTED = 103;
export const ECONNRESET = 104;
export const ENOBUFS = 105;
export const EISCONN = 106;
export const ENOTCONN = 107;
export const ETIMEDOUT = 110;
export const ECONNREFUSED = 111;
export const EHOSTUNREACH = 113;
export const EALREADY = 114;
export const EINPROGRESS = 115;
export const ESTALE = 116;
export const EDQUOT = 122;
export const ECANCELED = 125;
export const EOWNERDEAD = 130;
export const ENOTRECOVERABLE = 131;

// Linux's restart codes (include/linux/errno.h): kernel-internal, never seen
// by user programs. A handler returns one when it cannot finish now: it put
// the task to sleep (blocking is a state; the syscall reruns when the task is
// woken), or a signal is pending. The code says what a signal does to the
// syscall (kernel/signal/signal.ts obeys it, as Linux's arch signal code does):
//   ERESTARTSYS            restarts, unless a handler without SA_RESTART runs (then EINTR);
//   ERESTARTNOINTR         always restarts (fork's vfork wait, execve's de_thread);
//   ERESTARTNOHAND         restarts only when no handler runs (sigsuspend, ppoll, pselect6, epoll_pwait);
//   ERESTART_RESTARTBLOCK  as NOHAND, and a restart continues from the saved
//                          restart block (nanosleep, timed futex waits): the deadline stays.
// A handler that returns -EINTR itself means it: that EINTR is final (rt_sigtimedwait).
export const ERESTARTSYS = 512;
export const ERESTARTNOINTR = 513;
export const ERESTARTNOHAND = 514;
export const ERESTART_RESTARTBLOCK = 516;

/** Whether a handler's result is one of the restart codes (negated). */
export function isRestart(ret: number): boolean {
  // 515 between them is Linux's ENOIOCTLCMD, not a restart code.
  return ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK && ret !== -515;
}

const TABLE: ReadonlyArray<readonly [number, string, string]> = [
  [1, "EPERM", "Operation not permitted"],
  [2, "ENOENT", "No such file or directory"],
  [3, "ESRCH", "No such process"],
  [4, "EINTR", "Interrupted system call"],
  [5, "EIO", "I/O error"],
  [6, "ENXIO", "No such device or address"],
  [7, "E2BIG", "Argument list too long"],
  [8, "ENOEXEC", "Exec format error"],
  [9, "EBADF", "Bad file descriptor"],
  [10, "ECHILD", "No child processes"],
  [11, "EAGAIN", "Try again"],
  [12, "ENOMEM", "Out of memory"],
  [13, "EACCES", "Permission denied"],
  [14, "EFAULT", "Bad address"],
  [15, "ENOTBLK", "Block device required"],
  [16, "EBUSY", "Device or resource busy"],
  [17, "EEXIST", "File exists"],
  [18, "EXDEV", "Cross-device link"],
  [19, "ENODEV", "No such device"],
  [20, "ENOTDIR", "Not a directory"],
  [21, "EISDIR", "Is a directory"],
  [22, "EINVAL", "Invalid argument"],
  [23, "ENFILE", "File table overflow"],
  [24, "EMFILE", "Too many open files"],
  [25, "ENOTTY", "Not a typewriter"],
  [26, "ETXTBSY", "Text file busy"],
  [27, "EFBIG", "File too large"],
  [28, "ENOSPC", "No space left on device"],
  [29, "ESPIPE", "Illegal seek"],
  [30, "EROFS", "Read-only file system"],
  [31, "EMLINK", "Too many links"],
  [32, "EPIPE", "Broken pipe"],
  [33, "EDOM", "Math argument out of domain of func"],
  [34, "ERANGE", "Math result not representable"],
  [35, "EDEADLK", "Resource deadlock would occur"],
  [36, "ENAMETOOLONG", "File name too long"],
  [37, "ENOLCK", "No record locks available"],
  [38, "ENOSYS", "Invalid system call number"],
  [39, "ENOTEMPTY", "Directory not empty"],
  [40, "ELOOP", "Too many symbolic links encountered"],
  [42, "ENOMSG", "No message of desired type"],
  [43, "EIDRM", "Identifier removed"],
  [60, "ENOSTR", "Device not a stream"],
  [61, "ENODATA", "No data available"],
  [62, "ETIME", "Timer expired"],
  [75, "EOVERFLOW", "Value too large for defined data type"],
  [77, "EBADFD", "File descriptor in bad state"],
  [84, "EILSEQ", "Illegal byte sequence"],
  [88, "ENOTSOCK", "Socket operation on non-socket"],
  [89, "EDESTADDRREQ", "Destination address required"],
  [90, "EMSGSIZE", "Message too long"],
  [91, "EPROTOTYPE", "Protocol wrong type for socket"],
  [92, "ENOPROTOOPT", "Protocol not available"],
  [93, "EPROTONOSUPPORT", "Protocol not supported"],
  [95, "EOPNOTSUPP", "Operation not supported on transport endpoint"],
  [97, "EAFNOSUPPORT", "Address family not supported by protocol"],
  [98, "EADDRINUSE", "Address already in use"],
  [99, "EADDRNOTAVAIL", "Cannot assign requested address"],
  [101, "ENETUNREACH", "Network is unreachable"],
  [103, "ECONNABORTED", "Software caused connection abort"],
  [104, "ECONNRESET", "Connection reset by peer"],
  [105, "ENOBUFS", "No buffer space available"],
  [106, "EISCONN", "Transport endpoint is already connected"],
  [107, "ENOTCONN", "Transport endpoint is not connected"],
  [110, "ETIMEDOUT", "Connection timed out"],
  [111, "ECONNREFUSED", "Connection refused"],
  [113, "EHOSTUNREACH", "No route to host"],
  [114, "EALREADY", "Operation already in progress"],
  [115, "EINPROGRESS", "Operation now in progress"],
  [116, "ESTALE", "Stale file handle"],
  [122, "EDQUOT", "Quota exceeded"],
  [125, "ECANCELED", "Operation Canceled"],
  [130, "EOWNERDEAD", "Owner died"],
  [131, "ENOTRECOVERABLE", "State not recoverable"],
];
const BY_NUM = new Map<number, readonly [number, string, string]>(TABLE.map((r) => [r[0], r]));

/** The symbolic name of errno `e` (positive), e.g. "ENOENT". */
export function errnoName(e: number): string { return BY_NUM.get(e)?.[1] ?? `E${e}`; }
/** strerror(e). */
export function errnoMessage(e: number): string { return BY_NUM.get(e)?.[2] ?? `Unknown error ${e}`; }
/** Whether `r` (a syscall result) is -errno for a known errno or any value in -4095..-1. */
export function isErrorResult(r: number): boolean { return r < 0 && r >= -4095; }

// tsix's own handler results beside the restart codes (never seen by user programs).

/** Returned by handlers that have set the user registers themselves. */
export const JUSTRETURN = -0x100000;

/**
 * Returned by a handler that has done one budget of a long operation (a huge
 * read, write or sendfile) and saved its progress in the task: the task stays
 * runnable with its pc on the ecall, the hart goes back to the run loop (timers
 * fire, the host gets a turn, other tasks run if its slice is over) and the
 * syscall carries on from where it stopped when the task next runs. A signal
 * is delivered only after the rerun has returned its count (signal.ts).
 */
export const RESTART_YIELD = -0x100001;
