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
//
// Concepts: C66 (fd table -> open-file table -> inode table, with reference
// counts), C67 (fds 0/1/2, dup), C68 (VFS and mounts).
import type { Task } from "../proc/task.js";
import type { WaitQueue } from "../sched/wait.js";
import type { MappableFile } from "../mm/mm.js";
import type { Kernel } from "../kernel.js";

export interface Timespec { sec: number; nsec: number }

export interface SuperBlock {
  dev: number;
  fsType: string;
  readOnly: boolean;
  /** File-system private data. */
  info: unknown;
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
  iops: InodeOps;
  fops: FileOps;
  /** File-system private data. */
  info: unknown;
  /** Open files + dentries + mappings referring to this inode. */
  refs: number;
}

/** Results of a directory listing. */
export interface DirEntry { name: string; ino: number; type: number /* DT_* */ }

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
  readdir?(k: Kernel, dir: Inode, t: Task): DirEntry[] | number;
  truncate?(k: Kernel, inode: Inode, size: number): number;
  /** Page `index` of the file as a guest frame (a new reference), or 0 on failure; makes mmap possible. */
  getPage?(k: Kernel, inode: Inode, index: number): number;
  /** Called when refs drops to 0 and nlink is 0 (free the storage). */
  evict?(k: Kernel, inode: Inode): void;
}

/** Per-call I/O context: where a blocking operation asks to sleep. */
export interface IoCtx { wait: WaitQueue | null }

export interface FileOps {
  read?(k: Kernel, t: Task, f: File, buf: Uint8Array, pos: number, io: IoCtx): number;
  write?(k: Kernel, t: Task, f: File, buf: Uint8Array, pos: number, io: IoCtx): number;
  /** Return the readiness mask (POLLIN | POLLOUT | ...), registering `io.wait` for poll/select sleeps. */
  poll?(k: Kernel, t: Task, f: File, io: IoCtx): number;
  ioctl?(k: Kernel, t: Task, f: File, cmd: number, arg: number): number;
  open?(k: Kernel, t: Task, f: File): number;
  release?(k: Kernel, f: File): void;
  /** Seeking is refused with ESPIPE when absent and the file is not a regular file/dir. */
  llseek?(k: Kernel, f: File, offset: number, whence: number): number;
  fsync?(k: Kernel, f: File): number;
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
  ops: FileOps;
  /** Per-open private state (a pipe end, a directory cursor, a tty...). */
  info: unknown;
}

export interface FdEntry { file: File; cloexec: boolean }

export interface FdTable {
  fds: (FdEntry | null)[];
  /** Tasks sharing this table (CLONE_FILES). */
  refs: number;
}

export interface FsContext {
  root: Dentry;
  cwd: Dentry;
  umask: number;
  /** Tasks sharing this context (CLONE_FS). */
  refs: number;
}

/** The file of an inode as something a VMA can map. */
export type InodeMapping = MappableFile;
