// The virtual file system's data model (Linux names): an Inode is a file
// object of some file system; a Dentry names it in a directory tree and
// knows its parent (for getcwd and /proc/PID/cwd); a Mount glues a file
// system's root onto a dentry; a File is an open file (offset, flags) that fd
// tables share by reference count; an FdTable maps descriptor numbers to
// Files. File systems provide behaviour through operation tables (InodeOps,
// FileOps) so that tmpfs, procfs, devfs, pipes and host mounts all look the
// same to the syscalls.
//
// Conventions every FileOps follows:
//   - Results are a byte count / value >= 0 or -errno.
//   - An operation that would block returns -EAGAIN and, when the file is not
//     O_NONBLOCK, sets io.wait to the wait queue to sleep on; the syscall
//     layer then sleeps there and the syscall restarts when woken.
//   - poll returns the ready mask now and sets io.wait to the queue that is
//     woken (wakeUp) when the mask may have changed.
//   - Inode.refs counts open files and mappings (not dentries: dentries are
//     made by each path walk and carry no reference). When refs drops to 0,
//     evict runs if nlink is 0, else idle (iput in inode.ts).
//   - A file system that keeps its own attributes elsewhere (hostfs) provides
//     setattr; otherwise the VFS changes the Inode's fields itself.
//
// Concepts: C66 (fd table -> open-file table -> inode table, with reference
// counts), C67 (fds 0/1/2, dup), C68 (VFS and mounts).
import type { Task } from "../proc/task.js";
import type { WaitQueue } from "../sched/wait.js";
import type { BackingSource } from "../mm/backing.js";
import type { Kernel } from "../kernel.js";
import type { Pipe } from "./pipe.js";
import type { UnixSock } from "../net/unix.js";
import type { Iov } from "./read_write.js";
import type { InodeLocks } from "./locks.js";

export interface Timespec { sec: number; nsec: number }

export interface SuperBlock {
  dev: number;
  fsType: string;
  readOnly: boolean;
  /** File-system private data. */
  info: unknown;
  /** statfs f_type (TMPFS_MAGIC, PROC_SUPER_MAGIC...). */
  magic?: number;
  /** Name of the superblock's SuperOps (fs/ops.ts); absent: none. */
  sops?: string;
}

/** Operations of a superblock (looked up by SuperBlock.sops). */
export interface SuperOps {
  /** Numbers for statfs(2); absent: everything 0 but the block size. */
  statfs?(k: Kernel, sb: SuperBlock): StatFs;
  /** File-system options for /proc/mounts ("size=1024k"), or "". */
  showOptions?(sb: SuperBlock): string;
}

/** What statfs(2) reports (counts in f_bsize blocks). */
export interface StatFs {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
}

export interface Inode {
  ino: number;
  sb: SuperBlock;
  mode: number;       // S_IFMT type bits | permission bits
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  rdev: number;
  /** Names of the inode's operation tables (fs/ops.ts: iopsOf, inodeFops). */
  iops: string;
  fops: string;
  /** File-system private data. */
  info: unknown;
  /** Open files + mappings (+ exec references) referring to this inode. */
  refs: number;
  /** How many mounts sit on this inode (a fast check for the path walk). */
  mounted?: number;
  /** The pipe of a FIFO (or of an anonymous pipe), made at first open. */
  pipe?: Pipe;
  /** The AF_UNIX socket bound to this path (net/unix.ts), while it is open. */
  sock?: UnixSock;
  /** Byte-range (fcntl, OFD) and flock locks on the file. */
  locks?: InodeLocks;
}

/** Attribute changes (chmod, chown, utimensat) passed to InodeOps.setattr. */
export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  atime?: Timespec;
  mtime?: Timespec;
}

/**
 * Results of a directory listing. `off` is the directory position just after
 * this entry (getdents' d_off): stable cookies let a listing resume correctly
 * while entries are being removed (rm -rf). Without it the index + 1 is used.
 */
export interface DirEntry { name: string; ino: number; type: number /* DT_* */; off?: number }

export interface InodeOps {
  lookup?(k: Kernel, dir: Inode, name: string): Inode | number;
  create?(k: Kernel, dir: Inode, name: string, mode: number, t: Task): Inode | number;
  mknod?(k: Kernel, dir: Inode, name: string, mode: number, rdev: number, t: Task): Inode | number;
  mkdir?(k: Kernel, dir: Inode, name: string, mode: number, t: Task): Inode | number;
  unlink?(k: Kernel, dir: Inode, name: string): number;
  rmdir?(k: Kernel, dir: Inode, name: string): number;
  rename?(k: Kernel, oldDir: Inode, oldName: string, newDir: Inode, newName: string, flags: number): number;
  link?(k: Kernel, target: Inode, dir: Inode, name: string): number;
  symlink?(k: Kernel, dir: Inode, name: string, target: string, t: Task): Inode | number;
  readlink?(k: Kernel, inode: Inode, t: Task): string | number;
  /**
   * Magic links (/proc/PID/fd/N, /proc/PID/exe, cwd, root): following the
   * link jumps straight to a dentry (so /dev/fd/63 reopens the very pipe,
   * and exe works after the file was deleted). Return a Dentry, or a path
   * string to walk like readlink's, or -errno. Checked before readlink.
   */
  followLink?(k: Kernel, t: Task, inode: Inode): Dentry | string | number;
  readdir?(k: Kernel, dir: Inode, t: Task): DirEntry[] | number;
  truncate?(k: Kernel, inode: Inode, size: number): number;
  /** Page `index` of the file as a guest frame (a new reference), 0 when out of memory, -errno when the file system is full (SIGBUS); makes mmap possible. */
  getPage?(k: Kernel, inode: Inode, index: number): number;
  /**
   * Reclaim's pageout (mm/reclaim.ts, Linux's ->writepage): write page
   * `index` of the file, whose bytes are `bytes` (the page-cache frame),
   * back to the backing store through the file system's normal write path,
   * never past i_size and never changing the size. It must not wait (it
   * runs in kernel context, in a fault or in kswapd): 0 once written (or
   * nothing needed writing), -EAGAIN when the write would have to wait (the
   * page stays dirty and is skipped), another -errno when it failed.
   */
  writePage?(k: Kernel, inode: Inode, index: number, bytes: Uint8Array): number;
  /**
   * swapon of a regular file (mm/swap.ts): where each of the file's first
   * `pages` 4 KiB pages lies on the file system's block device, as Linux's
   * bmap-based setup_swap_extents: the first of its blocks (of blockSize
   * bytes), or -1 when the page's blocks are not one contiguous run (that
   * page is not used); -EINVAL when the file has a hole. A file system
   * without it cannot hold swap (tmpfs: EINVAL, as Linux).
   */
  swapMap?(k: Kernel, inode: Inode, pages: number): { dev: number; blockSize: number; blocks: Int32Array } | number;
  /**
   * execve is about to map this file, before its point of no return: make its
   * pages available without waiting (0), or -errno / a restart code (the
   * syscall reruns; hostfs on a host that answers later reads the file here,
   * because the loader's own accesses after that point could not wait).
   */
  prepareExec?(k: Kernel, inode: Inode): number;
  /** Write cached pages (stores through shared mappings) back to the backing store (msync); 0 or -errno. */
  writeback?(k: Kernel, inode: Inode): number;
  /** Called when refs drops to 0 and nlink is 0 (free the storage). */
  evict?(k: Kernel, inode: Inode): void;
  /** Called when refs drops to 0 while the inode still has links (drop caches, write back). */
  idle?(k: Kernel, inode: Inode): void;
  /** Change attributes in the backing store; the VFS updates the Inode fields after success. */
  setattr?(k: Kernel, inode: Inode, attr: SetAttr): number;
  /** Refresh the Inode's fields from the backing store before stat (hostfs). */
  revalidate?(k: Kernel, inode: Inode): void;
  /**
   * Extended attributes (fs/xattr.ts checks permissions, namespaces and sizes
   * first; these only store). A file system without them leaves all four out:
   * get/set/remove give EOPNOTSUPP and the list is empty. Names are full
   * ("user.x"), byte strings. getxattr: the value or -ENODATA; setxattr:
   * XATTR_CREATE gives -EEXIST and XATTR_REPLACE -ENODATA, -ENOSPC or -ERANGE
   * when it does not fit; removexattr: -ENODATA when absent.
   */
  getxattr?(k: Kernel, inode: Inode, name: string): Uint8Array | number;
  setxattr?(k: Kernel, inode: Inode, name: string, value: Uint8Array, flags: number): number;
  listxattr?(k: Kernel, inode: Inode): string[] | number;
  removexattr?(k: Kernel, inode: Inode, name: string): number;
}

/**
 * Per-call I/O context: where a blocking operation asks to sleep. For poll,
 * `also` is a second queue whose wake-up changes the file's readiness too
 * (a connected datagram socket is not writable while its peer's receive
 * queue is full: the peer's read wakes the peer's queue, Linux's peer_wait).
 */
export interface IoCtx { wait: WaitQueue | null; also?: WaitQueue | null }

export interface FileOps {
  read?(k: Kernel, t: Task, f: File, buf: Uint8Array, pos: number, io: IoCtx): number;
  write?(k: Kernel, t: Task, f: File, buf: Uint8Array, pos: number, io: IoCtx): number;
  /**
   * read(2) of a stream straight into the caller's iovecs (from byte `skip`,
   * at most `want` bytes), without a kernel buffer: a socket copies its
   * queued bytes out once. Only what reached the user is consumed; -EFAULT
   * when nothing could; -EAGAIN with io.wait to sleep. doReadv uses it when
   * present instead of read.
   */
  readUser?(k: Kernel, t: Task, f: File, iov: readonly Iov[], skip: number, want: number, io: IoCtx): number;
  /**
   * write(2) of a stream straight from the caller's iovecs (from byte
   * `skip`, at most `want` bytes): returns the bytes taken (fewer when a
   * user page cannot be read: -EFAULT when none), or -errno, -EAGAIN with
   * io.wait to sleep. doWritev uses it when present instead of write.
   */
  writeUser?(k: Kernel, t: Task, f: File, iov: readonly Iov[], skip: number, want: number, io: IoCtx): number;
  /** Return the readiness mask (POLLIN | POLLOUT | ...), registering `io.wait` for poll/select sleeps. */
  poll?(k: Kernel, t: Task, f: File, io: IoCtx): number;
  ioctl?(k: Kernel, t: Task, f: File, cmd: number, arg: number): number;
  open?(k: Kernel, t: Task, f: File): number;
  release?(k: Kernel, f: File): void;
  /** Seeking is refused with ESPIPE when absent and the file is not a regular file/dir. */
  llseek?(k: Kernel, f: File, offset: number, whence: number): number;
  /** `t`: the caller, which may sleep (-ERESTARTSYS) while a disk writes (block device files). */
  fsync?(k: Kernel, f: File, t?: Task): number;
  /** Something for mmap to map other than the inode's pages (/dev/zero). */
  mmap?(k: Kernel, f: File): BackingSource | number;
  /**
   * A file that moves one record per call (eventfd: 8 bytes). read gets a
   * buffer of at most this many bytes and is called once, whatever the
   * count; a write must be exactly one record (EINVAL otherwise), and writev
   * writes one per iovec, as Linux's loop over ->write. Never a loop over
   * the count.
   */
  recordSize?: number;
  /** Lines of its own that /proc/PID/fdinfo/N shows after pos, flags, mnt_id and ino (timerfd). */
  fdinfo?(k: Kernel, f: File): string;
}

export interface Mount {
  id: number;
  sb: SuperBlock;
  root: Dentry;
  /** Where it is mounted (null for the root mount). */
  mountpoint: Dentry | null;
  parent: Mount | null;
  source: string;
  flags: number;
}

export interface Dentry {
  name: string;
  parent: Dentry | null;
  inode: Inode;
  mount: Mount;
}

export interface File {
  dentry: Dentry;
  inode: Inode;
  /** O_* flags as opened (access mode, O_APPEND, O_NONBLOCK...). */
  flags: number;
  pos: number;
  refs: number;
  /** Name of the file operations (fs/ops.ts: fopsOf). */
  ops: string;
  /** Per-open private state (a pipe end, a directory cursor, a tty...). */
  info: unknown;
  /**
   * getdents' snapshot of a directory whose entries carry no `off` cookies
   * (hostfs, procfs): positions are indexes into it, so they stay stable while
   * entries are removed; it is taken again when the position goes back to 0.
   */
  dirCache?: DirEntry[];
}

export interface FdEntry { file: File; cloexec: boolean }

export interface FdTable {
  fds: (FdEntry | null)[];
  /** Tasks sharing this table (CLONE_FILES). */
  refs: number;
  /** Descriptor slots charged to RAM (kmem.ts): the table's length when it last grew. */
  charged: number;
}

export interface FsContext {
  root: Dentry;
  cwd: Dentry;
  umask: number;
  /** Tasks sharing this context (CLONE_FS). */
  refs: number;
}

/** The file of an inode as something a VMA can map. */
export type InodeMapping = BackingSource;
