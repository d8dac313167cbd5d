// File-system event notification (Linux's fsnotify) and inotify's groups:
// the VFS calls one hook per operation - open, close, read, write, attribute
// change, create, delete, rename - wherever that operation happens for every
// file system (so tmpfs, ext2, vfat and host directories all report the
// changes the guest makes), and the hook queues a struct inotify_event in
// every inotify instance that watches the inode or its directory.
//   - Watches are keyed by inode identity ("dev:ino"), not by an object: an
//     ext2 inode evicted and read back is still watched, and the whole state
//     is plain data (Maps, arrays, numbers) that a snapshot copies.
//   - A child's events (open, access, modify, attrib, close) go to a watch on
//     the inode itself (no name) and to a watch on its directory (with the
//     name); name events (create, delete, moved from/to) go to the
//     directory; delete-self and move-self to the inode. IN_ISDIR marks a
//     directory subject.
//   - An event equal to the last unread one is dropped (coalescing); when
//     max_queued_events are queued one IN_Q_OVERFLOW (wd -1) ends the queue
//     and later events are lost, as on Linux.
//   - A watch goes away with IN_IGNORED after inotify_rm_watch, after its
//     inode's last link is gone (after IN_DELETE_SELF) and after its first
//     event with IN_ONESHOT.
// The inotify file and the syscalls are fs/inotify.ts and syscalls/inotify.ts.
//
// Concepts: C68 (the VFS: one hook per operation serves every file system),
// C47 (event notification through a pollable file), C84 (state as data).
import type { Kernel } from "../kernel.js";
import type { Inode, Dentry, File } from "./vfs.js";
import { type WaitQueue, wakeUp } from "../sched/wait.js";
import { isDir } from "./inode.js";
import { O_ACCMODE, O_RDONLY, O_PATH } from "../abi/fs.js";
import { kmemCharge, kmemFits, kmemForceCharge, kmemUncharge } from "../mm/kmem.js";
import {
  IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE, IN_OPEN, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE,
  IN_DELETE_SELF, IN_MOVE_SELF, IN_ALL_EVENTS, IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR, IN_ONESHOT, INOTIFY_EVENT_SIZE,
  INOTIFY_MAX_QUEUED_EVENTS, INOTIFY_MAX_USER_INSTANCES, INOTIFY_MAX_USER_WATCHES,
} from "../abi/inotify.js";

/** One queued event; `name` is a byte string, "" for none. */
export interface InotifyEvent { wd: number; mask: number; cookie: number; name: string }

/** One inotify instance (the object behind an inotify fd). */
export interface InotifyGroup {
  /** The real uid that made it (its watches and instance count against that user's limits). */
  uid: number;
  watches: InotifyWatch[];
  nextWd: number;
  queue: InotifyEvent[];
  /** Bytes the queue takes as struct inotify_events (FIONREAD). */
  bytes: number;
  /** max_queued_events when the instance was made. */
  maxEvents: number;
  wq: WaitQueue;
}

export interface InotifyWatch { wd: number; mask: number; key: string; group: InotifyGroup }

/** Per-user counts against max_user_instances and max_user_watches. */
export interface InotifyUser { instances: number; watches: number }

export interface InotifyState {
  /** Watches by inode identity (inodeKey). */
  byKey: Map<string, InotifyWatch[]>;
  /** Watches in the system: the hooks return at once while there are none. */
  watchCount: number;
  /** The last rename cookie handed out. */
  cookie: number;
  maxQueued: number;
  maxInstances: number;
  maxWatches: number;
  users: Map<number, InotifyUser>;
}

/** The notification state, made at first use (it lives in k.vfs). */
export function inotifyState(k: Kernel): InotifyState {
  let s = k.vfs.inotify;
  if (!s) {
    s = {
      byKey: new Map(), watchCount: 0, cookie: 0, maxQueued: INOTIFY_MAX_QUEUED_EVENTS,
      maxInstances: INOTIFY_MAX_USER_INSTANCES, maxWatches: INOTIFY_MAX_USER_WATCHES, users: new Map(),
    };
    k.vfs.inotify = s;
  }
  return s;
}

export function inotifyUser(s: InotifyState, uid: number): InotifyUser {
  let u = s.users.get(uid);
  if (!u) { u = { instances: 0, watches: 0 }; s.users.set(uid, u); }
  return u;
}

/** An inode's identity across evictions: its device and number. */
export function inodeKey(ino: Inode): string {
  return `${ino.sb.dev}:${ino.ino}`;
}

/** Size of an event as read(2) returns it: the header and the name NUL-padded to a multiple of 16. */
export function eventSize(name: string): number {
  return INOTIFY_EVENT_SIZE + (name.length === 0 ? 0 : Math.ceil((name.length + 1) / INOTIFY_EVENT_SIZE) * INOTIFY_EVENT_SIZE);
}

/** RAM that queued events leave to everything else (bytes). */
const INOTIFY_HEADROOM = 2 * 1024 * 1024;

/** Kernel memory a queued event is charged (kmem.ts): its bytes as read(2) returns them and the record around them. */
export function eventCharge(ev: InotifyEvent): number {
  return eventSize(ev.name) + 64;
}

/**
 * Queue an event in a group: dropped when equal to the last unread one;
 * IN_Q_OVERFLOW once max_queued_events wait, or when RAM has no room for
 * the event (queued events are charged to the guest's RAM, so a reader
 * that never reads cannot grow the host's memory past --mem).
 */
export function queueEvent(k: Kernel, g: InotifyGroup, ev: InotifyEvent): void {
  const q = g.queue;
  const last = q.length > 0 ? q[q.length - 1] : null;
  if (last && last.wd === ev.wd && last.mask === ev.mask && last.cookie === ev.cookie && last.name === ev.name) return;
  // An event never takes the last INOTIFY_HEADROOM of RAM: the operations that make events (creating a file...) must still work.
  if (q.length >= g.maxEvents || !kmemFits(k.mmctx, eventCharge(ev) + INOTIFY_HEADROOM) || !kmemCharge(k.mmctx, eventCharge(ev))) {
    if (last && last.mask === IN_Q_OVERFLOW) return; // one overflow event marks the loss
    ev = { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: "" };
    kmemForceCharge(k.pm, eventCharge(ev));
  }
  q.push(ev);
  g.bytes += eventSize(ev.name);
  wakeUp(k, g.wq);
}

/** Take the first queued event off (read, or the group's close) and give back its charge. */
export function dequeueEvent(k: Kernel, g: InotifyGroup): void {
  const ev = g.queue.shift();
  if (!ev) return;
  g.bytes -= eventSize(ev.name);
  kmemUncharge(k.pm, eventCharge(ev));
}

/** Take a watch away (rm_watch, the inode's deletion, IN_ONESHOT, the group's close): IN_IGNORED unless the group is going. */
export function dropWatch(k: Kernel, w: InotifyWatch, ignored: boolean): void {
  const s = inotifyState(k);
  const list = s.byKey.get(w.key);
  if (list) {
    const i = list.indexOf(w);
    if (i >= 0) {
      list.splice(i, 1);
      s.watchCount--;
      inotifyUser(s, w.group.uid).watches--;
    }
    if (list.length === 0) s.byKey.delete(w.key);
  }
  const j = w.group.watches.indexOf(w);
  if (j >= 0) w.group.watches.splice(j, 1);
  if (ignored) queueEvent(k, w.group, { wd: w.wd, mask: IN_IGNORED, cookie: 0, name: "" });
}

/** Deliver `mask` on `ino` to the watches that want it (with `name` when they watch its directory). */
function deliver(k: Kernel, s: InotifyState, ino: Inode, mask: number, name: string, cookie: number, isdir: boolean): void {
  const list = s.byKey.get(inodeKey(ino));
  if (!list) return;
  for (const w of list.slice()) {
    if (!(w.mask & mask & IN_ALL_EVENTS)) continue;
    queueEvent(k, w.group, { wd: w.wd, mask: (mask | (isdir ? IN_ISDIR : 0)) >>> 0, cookie, name });
    if (w.mask & IN_ONESHOT) dropWatch(k, w, true);
  }
}

/** Whether any watch exists (the hooks' fast path). */
function active(k: Kernel): InotifyState | null {
  const s = k.vfs.inotify;
  return s && s.watchCount > 0 ? s : null;
}

/** An event on a child (open, access, modify, attrib, close): its directory's watches with its name, then its own. */
export function fsnotifyChild(k: Kernel, d: Dentry, mask: number): void {
  const s = active(k);
  if (!s) return;
  const dir = isDir(d.inode);
  // The directory's watch first, then the inode's own (Linux's fsnotify_handle_event order).
  if (d.parent && d.parent.inode !== d.inode) deliver(k, s, d.parent.inode, mask, d.name, 0, dir);
  deliver(k, s, d.inode, mask, "", 0, dir);
}

/** A name appeared in `dir` (create, mkdir, mknod, symlink, link, bind). */
export function fsnotifyCreate(k: Kernel, dir: Inode, name: string, child: Inode | null): void {
  const s = active(k);
  if (!s) return;
  deliver(k, s, dir, IN_CREATE, name, 0, child !== null && isDir(child));
}

/** A link count changed without a name event on the inode itself (link, unlink of one of several names). */
export function fsnotifyLinkCount(k: Kernel, ino: Inode): void {
  const s = active(k);
  if (!s) return;
  deliver(k, s, ino, IN_ATTRIB, "", 0, isDir(ino));
}

/**
 * `name` was removed from `dir` (unlink, rmdir): the victim hears IN_ATTRIB
 * (a file), IN_DELETE_SELF and IN_IGNORED once its last link is gone, then
 * the directory hears IN_DELETE - Linux's order.
 */
export function fsnotifyDelete(k: Kernel, dir: Inode, name: string, victim: Inode): void {
  const s = active(k);
  if (!s) return;
  const isdir = isDir(victim);
  if (!isdir) deliver(k, s, victim, IN_ATTRIB, "", 0, false);
  if (victim.nlink === 0 || isdir) inodeGone(k, s, victim);
  deliver(k, s, dir, IN_DELETE, name, 0, isdir);
}

/** The inode's last link is gone: IN_DELETE_SELF to its watches, which then go (IN_IGNORED). */
function inodeGone(k: Kernel, s: InotifyState, ino: Inode): void {
  deliver(k, s, ino, IN_DELETE_SELF, "", 0, false);
  const list = s.byKey.get(inodeKey(ino));
  if (list) for (const w of list.slice()) dropWatch(k, w, true);
}

/**
 * A rename: IN_MOVED_FROM and IN_MOVED_TO with one new cookie, IN_ATTRIB
 * (and IN_DELETE_SELF when it was its last link) on a replaced target, then
 * IN_MOVE_SELF on the moved inode.
 */
export function fsnotifyMove(k: Kernel, oldDir: Inode, oldName: string, newDir: Inode, newName: string, moved: Inode, target: Inode | null): void {
  const s = active(k);
  if (!s) return;
  const cookie = ++s.cookie >>> 0;
  const isdir = isDir(moved);
  deliver(k, s, oldDir, IN_MOVED_FROM, oldName, cookie, isdir);
  deliver(k, s, newDir, IN_MOVED_TO, newName, cookie, isdir);
  if (target) {
    if (!isDir(target)) deliver(k, s, target, IN_ATTRIB, "", 0, false);
    if (target.nlink === 0 || isDir(target)) inodeGone(k, s, target);
  }
  deliver(k, s, moved, IN_MOVE_SELF, "", 0, false);
}

/** A file was opened (not O_PATH). */
export function fsnotifyOpen(k: Kernel, f: File): void {
  if (!active(k) || (f.flags & O_PATH)) return;
  fsnotifyChild(k, f.dentry, IN_OPEN);
}

/** The last reference of an open file went: IN_CLOSE_WRITE or IN_CLOSE_NOWRITE. */
export function fsnotifyClose(k: Kernel, f: File): void {
  if (!active(k) || (f.flags & O_PATH)) return;
  fsnotifyChild(k, f.dentry, (f.flags & O_ACCMODE) === O_RDONLY ? IN_CLOSE_NOWRITE : IN_CLOSE_WRITE);
}

/** Data was read from (IN_ACCESS) or written to (IN_MODIFY) an open file. */
export function fsnotifyAccess(k: Kernel, f: File): void {
  if (active(k)) fsnotifyChild(k, f.dentry, IN_ACCESS);
}
export function fsnotifyModify(k: Kernel, f: File): void {
  if (active(k)) fsnotifyChild(k, f.dentry, IN_MODIFY);
}
