// The inotify file: inotify_init1 makes one (an anonymous inode, like
// Linux's "anon_inode:inotify"), read(2) returns whole struct
// inotify_events (EINVAL when the buffer cannot hold the first), it blocks
// while the queue is empty (or EAGAIN with IN_NONBLOCK), poll/epoll/select
// see it readable while events wait, and FIONREAD says how many bytes they
// take. Watches are added and removed here for syscalls/inotify.ts; the
// events come from the VFS hooks of fs/fsnotify.ts. Closing the file drops
// its watches and gives its instance back to the user's count.
//
// Concepts: C47 (event notification through a pollable file), C68 (VFS
// events), C72 (a watch needs read permission on the inode).
import type { Kernel } from "../kernel.js";
import type { File, Inode } from "./vfs.js";
import { createWaitQueue } from "../sched/wait.js";
import { anonFile } from "./file.js";
import { defineFileOps } from "../lib/fsops.js";
import { putUser32 } from "../mm/uaccess.js";
import { strToBytes } from "../lib/bytestr.js";
import { putU32 } from "../abi/le.js";
import { O_NONBLOCK, POLLIN, POLLRDNORM } from "../abi/fs.js";
import { FIONREAD } from "../abi/ioctls.js";
import { EAGAIN, EINVAL, EEXIST, ENOSPC, EMFILE, EFAULT, ENOTTY } from "../abi/errno.js";
import { IN_ALL_EVENTS, IN_MASK_ADD, IN_MASK_CREATE, IN_ONESHOT, IN_EXCL_UNLINK, INOTIFY_EVENT_SIZE } from "../abi/inotify.js";
import { type InotifyGroup, inotifyState, inotifyUser, inodeKey, eventSize, dropWatch, dequeueEvent } from "./fsnotify.js";

export const inotifyFops = defineFileOps("inotify", {
  read(k, _t, f, buf, _pos, io) {
    const g = f.info as InotifyGroup;
    if (g.queue.length === 0) {
      if (!(f.flags & O_NONBLOCK)) io.wait = g.wq;
      return -EAGAIN;
    }
    let off = 0;
    while (g.queue.length > 0) {
      const ev = g.queue[0];
      const size = eventSize(ev.name);
      if (off + size > buf.length) break;
      buf.fill(0, off, off + size);
      putU32(buf, off, ev.wd >>> 0);
      putU32(buf, off + 4, ev.mask);
      putU32(buf, off + 8, ev.cookie);
      putU32(buf, off + 12, size - INOTIFY_EVENT_SIZE);
      if (ev.name.length > 0) buf.set(strToBytes(ev.name), off + INOTIFY_EVENT_SIZE);
      off += size;
      dequeueEvent(k, g);
    }
    return off === 0 ? -EINVAL : off;
  },
  poll(_k, _t, f, io) {
    const g = f.info as InotifyGroup;
    io.wait = g.wq;
    return g.queue.length > 0 ? POLLIN | POLLRDNORM : 0;
  },
  ioctl(k, t, f, cmd, arg) {
    if (cmd !== FIONREAD) return -ENOTTY;
    return putUser32(k.mmctx, t.mm!, arg, (f.info as InotifyGroup).bytes) < 0 ? -EFAULT : 0;
  },
  release(k, f) {
    const g = f.info as InotifyGroup;
    for (const w of g.watches.slice()) dropWatch(k, w, false);
    while (g.queue.length > 0) dequeueEvent(k, g);
    inotifyUser(inotifyState(k), g.uid).instances--;
  },
});

/** inotify_init1: a new instance for real uid `uid` (EMFILE past max_user_instances). */
export function createInotify(k: Kernel, uid: number, flags: number): File | number {
  const s = inotifyState(k);
  const u = inotifyUser(s, uid);
  if (u.instances >= s.maxInstances) return -EMFILE;
  u.instances++;
  const g: InotifyGroup = { uid, watches: [], nextWd: 1, queue: [], bytes: 0, maxEvents: s.maxQueued, wq: createWaitQueue("inotify") };
  return anonFile(k, "inotify", inotifyFops, flags & O_NONBLOCK, g);
}

export function isInotifyFile(f: File): boolean {
  return f.ops === inotifyFops;
}

/**
 * Add a watch on `ino` or update the group's existing one (its mask
 * replaced, or OR-ed with IN_MASK_ADD; EEXIST with IN_MASK_CREATE).
 * Returns the watch descriptor, or ENOSPC past max_user_watches.
 */
export function addWatch(k: Kernel, f: File, ino: Inode, mask: number): number {
  const g = f.info as InotifyGroup;
  const s = inotifyState(k);
  const key = inodeKey(ino);
  const keep = (mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)) >>> 0;
  const old = g.watches.find((w) => w.key === key);
  if (old) {
    if (mask & IN_MASK_CREATE) return -EEXIST;
    old.mask = (mask & IN_MASK_ADD ? old.mask | keep : keep) >>> 0;
    return old.wd;
  }
  const u = inotifyUser(s, g.uid);
  if (u.watches >= s.maxWatches) return -ENOSPC;
  const w = { wd: g.nextWd++, mask: keep, key, group: g };
  g.watches.push(w);
  let list = s.byKey.get(key);
  if (!list) { list = []; s.byKey.set(key, list); }
  list.push(w);
  s.watchCount++;
  u.watches++;
  return w.wd;
}

/** inotify_rm_watch: IN_IGNORED is queued; EINVAL for a descriptor the group does not have. */
export function rmWatch(k: Kernel, f: File, wd: number): number {
  const g = f.info as InotifyGroup;
  const w = g.watches.find((x) => x.wd === wd);
  if (!w) return -EINVAL;
  dropWatch(k, w, true);
  return 0;
}
