// The file-system part of the Linux riscv64 ABI (asm-generic): open flags,
// *at() flags, file types and mode bits, fcntl commands, poll bits, ioctl
// numbers and the byte layouts of the structs the fs syscalls exchange with
// user space (struct stat, statx, statfs, linux_dirent64, flock, pollfd,
// epoll_event). Every number here is what glibc on riscv64 passes.
//
// Concepts: C05 (the ABI), C63 (inode fields in struct stat), C66, C72.
import { layout } from "./layout.js";

// --- open(2) flags (asm-generic/fcntl.h) ---
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DSYNC = 0o10000;
export const FASYNC = 0o20000;
export const O_DIRECT = 0o40000;
export const O_LARGEFILE = 0o100000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_NOATIME = 0o1000000;
export const O_CLOEXEC = 0o2000000;
export const O_SYNC = 0o4010000;
export const O_PATH = 0o10000000;
export const O_TMPFILE = 0o20000000 | O_DIRECTORY;
/** Every flag bit openat accepts (anything else is EINVAL). */
export const O_VALID = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | FASYNC |
  O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | 0o20000000;

// --- *at() ---
export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_EACCESS = 0x200;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_STATX_SYNC_TYPE = 0x6000;
export const AT_RECURSIVE = 0x8000;
export const PATH_MAX = 4096;
export const NAME_MAX = 255;
/** Symlinks followed in one lookup before ELOOP (Linux's MAXSYMLINKS). */
export const MAXSYMLINKS = 40;

// --- file types and mode bits ---
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
export const S_IALLUGO = 0o7777;
export const S_IXGRP = 0o010;
export const DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

/** d_type for a mode. */
export function dtype(mode: number): number {
  return (mode & S_IFMT) >>> 12;
}

// --- access(2) ---
export const F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;
/** Permission masks (Linux MAY_*). */
export const MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;

// --- lseek ---
export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

// --- fcntl ---
export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7,
  F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11, F_SETOWN_EX = 15, F_GETOWN_EX = 16,
  F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38,
  F_SETLEASE = 1024, F_GETLEASE = 1025, F_NOTIFY = 1026, F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031,
  F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
export const FD_CLOEXEC = 1;
export const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
/** flock(2) */
export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

// --- generic ioctls (the FIO* numbers are in abi/ioctls.ts) ---
export const FIGETBSZ = 2;

// --- poll ---
export const POLLIN = 0x001, POLLPRI = 0x002, POLLOUT = 0x004, POLLERR = 0x008, POLLHUP = 0x010, POLLNVAL = 0x020,
  POLLRDNORM = 0x040, POLLRDBAND = 0x080, POLLWRNORM = 0x100, POLLWRBAND = 0x200, POLLMSG = 0x400, POLLRDHUP = 0x2000;
/** What a file without a poll operation reports: always readable and writable. */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

// --- epoll ---
export const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
export const EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010, EPOLLRDHUP = 0x2000,
  EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
export const EPOLL_CLOEXEC = O_CLOEXEC;

// --- renameat2 ---
export const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

// --- utimensat ---
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;

// --- fallocate ---
export const FALLOC_FL_KEEP_SIZE = 0x01, FALLOC_FL_PUNCH_HOLE = 0x02, FALLOC_FL_NO_HIDE_STALE = 0x04,
  FALLOC_FL_COLLAPSE_RANGE = 0x08, FALLOC_FL_ZERO_RANGE = 0x10, FALLOC_FL_INSERT_RANGE = 0x20, FALLOC_FL_UNSHARE_RANGE = 0x40;

// --- close_range ---
export const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

// --- mount(2) / umount2(2) ---
export const MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16, MS_REMOUNT = 32,
  MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096,
  MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768, MS_POSIXACL = 1 << 16, MS_UNBINDABLE = 1 << 17,
  MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_KERNMOUNT = 1 << 22,
  MS_I_VERSION = 1 << 23, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;
/** Per-mount flags (kept on the Mount; the rest are per-superblock or one-shot). */
export const MNT_FLAGS = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_NOSYMFOLLOW;
export const MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

// --- statx ---
export const STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_GID = 0x10,
  STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80, STATX_INO = 0x100, STATX_SIZE = 0x200,
  STATX_BLOCKS = 0x400, STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_MNT_ID = 0x1000;

// --- file-system magic numbers (statfs f_type) ---
export const TMPFS_MAGIC = 0x01021994;
export const PROC_SUPER_MAGIC = 0x9fa0;
export const SYSFS_MAGIC = 0x62656572;
export const DEVPTS_SUPER_MAGIC = 0x1cd1;
export const PIPEFS_MAGIC = 0x50495045;
export const ANON_INODE_FS_MAGIC = 0x09041934;
export const HOSTFS_SUPER_MAGIC = 0x00c0ffee;

// --- pipes ---
export const PIPE_BUF = 4096;
export const PIPE_DEF_SIZE = 65536;
/** /proc/sys/fs/pipe-max-size: the most an unprivileged F_SETPIPE_SZ may ask for. */
export const PIPE_MAX_SIZE = 1048576;

/** Largest count one read/write moves (Linux's MAX_RW_COUNT). */
export const MAX_RW_COUNT = 0x7ffff000;
/** Largest file offset / size (the kernel's MAX_LFS_FILESIZE, kept within exact doubles). */
export const MAX_LFS_FILESIZE = Number.MAX_SAFE_INTEGER;
export const IOV_MAX = 1024;

/** struct stat (asm-generic/stat.h, 128 bytes; the pads and __unused4/5 are left zero). */
export const STAT = layout(128, {
  st_dev: [0, "u64"], st_ino: [8, "u64"], st_mode: [16, "u32"], st_nlink: [20, "u32"],
  st_uid: [24, "u32"], st_gid: [28, "u32"], st_rdev: [32, "u64"], st_size: [48, "i64"],
  st_blksize: [56, "i32"], st_blocks: [64, "i64"],
  st_atime: [72, "i64"], st_atime_nsec: [80, "u64"], st_mtime: [88, "i64"], st_mtime_nsec: [96, "u64"],
  st_ctime: [104, "i64"], st_ctime_nsec: [112, "u64"],
});
/** struct statx (uapi/linux/stat.h, 256 bytes); each statx_timestamp is tv_sec (i64), tv_nsec (u32), a pad. */
export const STATX = layout(256, {
  stx_mask: [0, "u32"], stx_blksize: [4, "u32"], stx_attributes: [8, "u64"],
  stx_nlink: [16, "u32"], stx_uid: [20, "u32"], stx_gid: [24, "u32"], stx_mode: [28, "u16"],
  stx_ino: [32, "u64"], stx_size: [40, "u64"], stx_blocks: [48, "u64"], stx_attributes_mask: [56, "u64"],
  stx_atime_sec: [64, "i64"], stx_atime_nsec: [72, "u32"], stx_btime_sec: [80, "i64"], stx_btime_nsec: [88, "u32"],
  stx_ctime_sec: [96, "i64"], stx_ctime_nsec: [104, "u32"], stx_mtime_sec: [112, "i64"], stx_mtime_nsec: [120, "u32"],
  stx_rdev_major: [128, "u32"], stx_rdev_minor: [132, "u32"], stx_dev_major: [136, "u32"], stx_dev_minor: [140, "u32"],
  stx_mnt_id: [144, "u64"],
});
/** struct statfs (asm-generic/statfs.h: every count a __statfs_word, a signed long on 64-bit; 120 bytes); f_fsid is two ints. */
export const STATFS = layout(120, {
  f_type: [0, "i64"], f_bsize: [8, "i64"], f_blocks: [16, "i64"], f_bfree: [24, "i64"], f_bavail: [32, "i64"],
  f_files: [40, "i64"], f_ffree: [48, "i64"], f_fsid0: [56, "i32"], f_fsid1: [60, "i32"],
  f_namelen: [64, "i64"], f_frsize: [72, "i64"], f_flags: [80, "i64"],
});
/** struct flock (asm-generic/fcntl.h on 64-bit: l_type, l_whence shorts, then off_t start and len, pid). */
export const FLOCK = layout(32, {
  l_type: [0, "i16"], l_whence: [2, "i16"], l_start: [8, "i64"], l_len: [16, "i64"], l_pid: [24, "i32"],
});
/** The fixed head of struct linux_dirent64 (getdents64); d_name follows at 19, records 8-byte aligned. */
export const DIRENT64 = layout(19, { d_ino: [0, "u64"], d_off: [8, "i64"], d_reclen: [16, "u16"], d_type: [18, "u8"] });
/** pipe2's int[2]: read end, write end. */
export const PIPEFDS = layout(8, { rfd: [0, "i32"], wfd: [4, "i32"] });
/** struct pollfd (asm-generic/poll.h). */
export const POLLFD = layout(8, { fd: [0, "i32"], events: [4, "i16"], revents: [6, "i16"] });
/**
 * struct epoll_event (uapi/linux/eventpoll.h). Only x86-64 declares it
 * packed (EPOLL_PACKED); on riscv64 the u64 data is naturally aligned: 16
 * bytes, data at 8.
 */
export const EPOLL_EVENT = layout(16, { events: [0, "u32"], data: [8, "u64"] });

/** Struct sizes (from the layouts above). */
export const SIZEOF_STAT = STAT.size;
export const SIZEOF_STATX = STATX.size;
export const SIZEOF_STATFS = STATFS.size;
export const SIZEOF_FLOCK = FLOCK.size;
export const SIZEOF_POLLFD = POLLFD.size;
export const SIZEOF_EPOLL_EVENT = EPOLL_EVENT.size;
/** struct iovec (uapi/linux/uio.h): base address and length. */
export const IOVEC = layout(16, { iov_base: [0, "u64"], iov_len: [8, "u64"] });
export const SIZEOF_IOVEC = IOVEC.size;
export const MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;
export const EFD_SEMAPHORE = 1;
/** What an eventfd read returns and a write takes: one unsigned 64-bit counter value. */
export const EVENTFD_VALUE = layout(8, { value: [0, "u64"] });
