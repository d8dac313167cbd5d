// epoll: an interest list of (descriptor, open file) pairs with the events
// each wants, kept in an anonymous file ("anon_inode:[eventpoll]").
// epoll_wait asks each watched file for its readiness (level-triggered; an
// EPOLLET request is served level-triggered too, which is always correct if
// the caller reads until EAGAIN); EPOLLONESHOT disarms an entry after it
// reports once. An epoll file is itself pollable (readable when any entry is
// ready), so epolls nest. Entries whose file has been closed everywhere
// disappear, as in Linux.
//
// Concepts: C47 (I/O multiplexing: epoll), C34 (waiting on many queues at once).
import { KMEM_EPITEM, kmemCharge, kmemUncharge } from "../mm/kmem.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File } from "./vfs.js";
import { type WaitQueue, createWaitQueue, wakeUp } from "../sched/wait.js";
import { filePoll, addPoller } from "./poll.js";
import { anonFile } from "./file.js";
import {
  EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP, EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE, EPOLLWAKEUP,
  EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD, POLLIN, POLLRDNORM, POLLPRI, POLLRDBAND, POLLWRNORM, POLLWRBAND, POLLMSG,
} from "../abi/fs.js";
import { EEXIST, ENOENT, EINVAL, EPERM, ELOOP, ENOMEM } from "../abi/errno.js";
import { fopsOf, defineFileOps } from "../lib/fsops.js";

export interface EpItem {
  fd: number;
  file: File;
  events: number;
  data: bigint;
  /** EPOLLONESHOT entry that has fired (re-armed by EPOLL_CTL_MOD). */
  disarmed: boolean;
}

export interface EventPoll {
  items: EpItem[];
  /** Woken when a watched file may have become ready (for nested polling of this epoll). */
  wq: WaitQueue;
}

const EVENT_BITS = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP | POLLPRI | POLLRDNORM | POLLRDBAND |
  POLLWRNORM | POLLWRBAND | POLLMSG;
const FLAG_BITS = EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP;

function epOf(f: File): EventPoll {
  return f.info as EventPoll;
}

export const epollFops = defineFileOps("eventpoll", {
  poll(k, t, f, io) {
    const ep = epOf(f);
    io.wait = ep.wq;
    return collect(k, t, ep, 1, ep.wq, false).length > 0 ? POLLIN | POLLRDNORM : 0;
  },
  release(k, f) {
    const ep = epOf(f);
    kmemUncharge(k.pm, ep.items.length * KMEM_EPITEM);
    ep.items = [];
  },
});

export function isEpollFile(f: File): boolean {
  return f.ops === epollFops;
}

export function createEpollFile(k: Kernel, flags: number): File {
  const ep: EventPoll = { items: [], wq: createWaitQueue("eventpoll") };
  return anonFile(k, "[eventpoll]", epollFops, flags, ep);
}

/** Whether `target` (an epoll) watches `ep`'s file, directly or through nested epolls (would be a loop). */
function reaches(from: File, to: File, depth = 0): boolean {
  if (from === to) return true;
  if (depth > 5) return true;
  for (const it of epOf(from).items) if (isEpollFile(it.file) && reaches(it.file, to, depth + 1)) return true;
  return false;
}

/** epoll_ctl on an epoll file. `events`/`data` are ignored for DEL. */
export function epollCtl(k: Kernel, epf: File, op: number, fd: number, target: File, events: number, data: bigint): number {
  const ep = epOf(epf);
  if (target === epf) return -EINVAL;
  if (!fopsOf(target).poll) return -EPERM; // regular files and directories cannot be watched
  // Linux's do_epoll_ctl checks in this order: EPOLLEXCLUSIVE (never with MOD; with ADD only on a
  // non-epoll target and with the few events it allows), then the ADD loop check, then whether
  // the entry exists. An exclusive watch of an epoll must fail: stress-ng --epoll tries one and
  // expects EINVAL; it stayed, and the next EPOLL_CTL_ADD of that epoll met EEXIST.
  if (op !== EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE)) {
    if (op === EPOLL_CTL_MOD) return -EINVAL;
    if (op === EPOLL_CTL_ADD && (isEpollFile(target) ||
      (events & ~(EPOLLEXCLUSIVE | EPOLLET | EPOLLWAKEUP | EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP)))) return -EINVAL;
  }
  if (op === EPOLL_CTL_ADD && isEpollFile(target) && reaches(target, epf)) return -ELOOP;
  const i = ep.items.findIndex((x) => x.fd === fd && x.file === target);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (i >= 0) return -EEXIST;
      // Each watch is kernel memory charged to RAM (Linux's epitem): ENOMEM when there is none.
      if (!kmemCharge(k.mmctx, KMEM_EPITEM)) return -ENOMEM;
      ep.items.push({ fd, file: target, events: (events & (EVENT_BITS | FLAG_BITS)) >>> 0, data, disarmed: false });
      break;
    case EPOLL_CTL_MOD:
      if (i < 0) return -ENOENT;
      if (ep.items[i].events & EPOLLEXCLUSIVE) return -EINVAL; // an exclusive watch cannot be modified
      ep.items[i] = { ...ep.items[i], events: (events & (EVENT_BITS | FLAG_BITS)) >>> 0, data, disarmed: false };
      break;
    case EPOLL_CTL_DEL:
      if (i < 0) return -ENOENT;
      ep.items.splice(i, 1);
      kmemUncharge(k.pm, KMEM_EPITEM);
      break;
    default:
      return -EINVAL;
  }
  wakeUp(k, ep.wq);
  return 0;
}

/** One ready event. */
export interface EpEvent { events: number; data: bigint }

/**
 * The ready entries (at most `max`), registering `pq` on every watched
 * file's queue. With `consume`, one-shot entries that report are disarmed.
 */
export function collect(k: Kernel, t: Task, ep: EventPoll, max: number, pq: WaitQueue | null, consume = true): EpEvent[] {
  const out: EpEvent[] = [];
  const watched = ep.items.length;
  ep.items = ep.items.filter((it) => it.file.refs > 0);
  kmemUncharge(k.pm, (watched - ep.items.length) * KMEM_EPITEM);
  for (const it of ep.items) {
    if (it.disarmed) continue;
    const mask = filePoll(k, t, it.file, pq) & ((it.events & EVENT_BITS) | EPOLLERR | EPOLLHUP);
    if (mask === 0 || out.length >= max) continue;
    out.push({ events: mask >>> 0, data: it.data });
    if (consume && (it.events & EPOLLONESHOT)) it.disarmed = true;
  }
  if (pq && pq !== ep.wq) addPoller(ep.wq, pq);
  return out;
}

export function epollOf(f: File): EventPoll | null {
  return isEpollFile(f) ? epOf(f) : null;
}
