// inotify's ABI (linux/inotify.h): event bits, watch flags, init1 flags and
// struct inotify_event's size.
export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
export const IN_ATTRIB = 0x4;
export const IN_CLOSE_WRITE = 0x8;
export const IN_CLOSE_NOWRITE = 0x10;
export const IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40;
export const IN_MOVED_TO = 0x80;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_DELETE_SELF = 0x400;
export const IN_MOVE_SELF = 0x800;
export const IN_ALL_EVENTS = 0xfff;
export const IN_UNMOUNT = 0x2000;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
export const IN_ONLYDIR = 0x01000000;
export const IN_DONT_FOLLOW = 0x02000000;
export const IN_EXCL_UNLINK = 0x04000000;
export const IN_MASK_CREATE = 0x10000000;
export const IN_MASK_ADD = 0x20000000;
export const IN_ISDIR = 0x40000000;
export const IN_ONESHOT = 0x80000000;
/** Every bit inotify_add_watch accepts (Linux's ALL_INOTIFY_BITS). */
export const ALL_INOTIFY_BITS = (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW |
  IN_EXCL_UNLINK | IN_MASK_ADD | IN_MASK_CREATE | IN_ISDIR | IN_ONESHOT) >>> 0;
/** sizeof(struct inotify_event): wd, mask, cookie, len; the name follows, NUL-padded to a multiple of it. */
export const INOTIFY_EVENT_SIZE = 16;
/** inotify_init1 flags (O_NONBLOCK, O_CLOEXEC). */
export const IN_NONBLOCK = 0o4000;
export const IN_CLOEXEC = 0o2000000;
/** The /proc/sys/fs/inotify defaults. */
export const INOTIFY_MAX_QUEUED_EVENTS = 16384;
export const INOTIFY_MAX_USER_INSTANCES = 128;
export const INOTIFY_MAX_USER_WATCHES = 8192;
