// Host file sharing: the interface a host implements so that the kernel's
// hostfs (kernel/fs/hostfs/hostfs.ts) can show one of its directories in
// the guest (`tsix run --mount HOST:GUEST`). host/node/hostfs.ts implements
// it on Node's fs, synchronously (the default) or asynchronously; a browser
// host would on OPFS or a server's files. The kernel imports this file
// type-only.
//
// Objects are named by HANDLES, not path names: a handle names one host
// object (the Node adapter uses O_PATH descriptors); `name` arguments are
// single components looked up in a directory handle without following a
// symbolic link (the host refuses "", ".", ".." and "/"). Results are a
// value, or -errno (Linux numbering). Names and link targets, both ways, are
// the kernel's byte strings (one char per byte, kernel/lib/bytestr.ts): the
// host uses them as the exact bytes of its file names (the Node adapter
// through latin1 Buffers), never as UTF-16 text.
//
// The completion rule (as for every host interface in host/, see
// host/block.ts): every operation but close either answers AT ONCE - it
// returns its result, the fast path, as Node's synchronous calls do - or
// returns a pending ticket ({ pending: ticket }) and answers LATER: the host
// keeps the result until takeCompleted() collects it, and calls the
// function registered with onCompletion, from its event loop and never
// while the kernel is running, so that its owner hands the answers to the
// kernel (kernel/index.ts: hostComplete) between run slices. The kernel
// never waits synchronously: a task whose operation is pending sleeps, the
// completion wakes it, and its syscall (or page fault) runs again and
// consumes the result that came (kernel/fs/hostfs/hostfs.ts says how a
// write or create is never done twice). While an operation is pending the
// host owns copies of what it was given: read answers with the bytes it
// read (a Uint8Array, or -errno) instead of filling `buf` late, and write
// copies `data` when it is called. close never pends: the host may finish
// it in the background.
//
// Concepts: C68 (a VFS over a foreign file system), C13 (requests that
// complete later, as a controller's do).

/** A host object handed out by the HostFs (the Node adapter: an O_PATH or an open descriptor). */
export type HostHandle = number;

/** File attributes as the host reports them for a handle (the object itself, links not followed). */
export interface HostStat {
  mode: number;      // S_IFMT type bits | permission bits
  size: number;
  nlink: number;
  ino: number;
  uid: number;
  gid: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  /** The object's identity on the host (device, inode number, birth time): equal ids, same object. */
  id: string;
}

export interface HostDirEntry { name: string; type: number /* DT_* */; ino?: number }

export interface HostStatFs { bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number }

/** An operation the host will answer later. */
export interface HostPending { readonly pending: number }

/** What an operation answers: at once (T), or later (a ticket whose result has the same type, read's being its bytes). */
export type HostAnswer<T> = T | HostPending;

/** A result that came later: a handle or count or -errno, a name, attributes, a directory, or the bytes a read got. */
export type HostResult = number | string | HostStat | HostDirEntry[] | HostStatFs | Uint8Array;

/** A finished ticket and its result. */
export interface HostCompletion { readonly ticket: number; readonly result: HostResult }

export interface HostFs {
  /** A new handle on the shared directory itself. */
  root(): HostAnswer<HostHandle | number>;
  /** A new handle on entry `name` of directory `dir` (a symbolic link is not followed: the handle is the link). */
  lookup(dir: HostHandle, name: string): HostAnswer<HostHandle | number>;
  stat(h: HostHandle): HostAnswer<HostStat | number>;
  /** Let go of a handle or descriptor. Never pending. */
  close(h: HostHandle): void;
  /** A new descriptor for I/O on the object `h` names; `acc` is O_RDONLY (0), O_WRONLY (1) or O_RDWR (2). Never creates or truncates. */
  open(h: HostHandle, acc: number): HostAnswer<HostHandle | number>;
  /** Read into buf at once (count), or later: the completion's result is the bytes read (at most buf.length) or -errno. */
  read(fd: HostHandle, pos: number, buf: Uint8Array): HostAnswer<number>;
  write(fd: HostHandle, pos: number, data: Uint8Array): HostAnswer<number>;
  fsync(fd: HostHandle): HostAnswer<number>;
  readdir(dir: HostHandle): HostAnswer<HostDirEntry[] | number>;
  readlink(dir: HostHandle, name: string): HostAnswer<string | number>;
  /** Create a regular file that must not exist yet (O_CREAT | O_EXCL). */
  create(dir: HostHandle, name: string, mode: number): HostAnswer<number>;
  mkdir(dir: HostHandle, name: string, mode: number): HostAnswer<number>;
  symlink(target: string, dir: HostHandle, name: string): HostAnswer<number>;
  link(dir: HostHandle, name: string, newDir: HostHandle, newName: string): HostAnswer<number>;
  unlink(dir: HostHandle, name: string): HostAnswer<number>;
  rmdir(dir: HostHandle, name: string): HostAnswer<number>;
  /** rename(2) (replacing the target). There is no exchange: the guest gets EINVAL for RENAME_EXCHANGE. */
  rename(dir: HostHandle, name: string, newDir: HostHandle, newName: string): HostAnswer<number>;
  /** On the object `h` names (for a symbolic link, utimes changes the link's own times). */
  truncate(h: HostHandle, size: number): HostAnswer<number>;
  chmod(h: HostHandle, mode: number): HostAnswer<number>;
  utimes(h: HostHandle, atimeMs: number, mtimeMs: number): HostAnswer<number>;
  statfs?(): HostAnswer<HostStatFs | number>;
  readOnly?: boolean;
  /** Tickets answered since the last call (hosts that answer later). */
  takeCompleted?(): HostCompletion[];
  /** Operations started and not yet collected with takeCompleted. */
  inFlight?(): number;
  /** Register the host function called (from the event loop) when an answer is ready; null to stop. */
  onCompletion?(cb: (() => void) | null): void;
}
