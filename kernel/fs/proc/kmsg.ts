// Reading the kernel log: the record format syslog(2) and /proc/kmsg use
// ("<level>[seconds] text\n"), the destructive reader position that
// /proc/kmsg and SYSLOG_ACTION_READ share, the clear mark of
// SYSLOG_ACTION_CLEAR, and the console log level. The log ring itself is
// kernel/log.ts.
//
// Concepts: C10 (the boot log, dmesg), C56 (OOM kills in the log).
import type { Kernel } from "../../kernel.js";
import { addWakeTimer } from "../../time/timer.js";
import { nowNs } from "../../time/clock.js";
import type { Task } from "../../proc/task.js";
import { formatLine, type LogLine } from "../../log.js";
import { createWaitQueue, sleepOn, type WaitQueue } from "../../sched/wait.js";
import { EAGAIN, ERESTARTSYS } from "../../abi/errno.js";
import { strToBytes } from "../../lib/bytestr.js";

export interface SyslogState {
  /** Sequence number of the next record /proc/kmsg and SYSLOG_ACTION_READ return. */
  readSeq: number;
  /** Records before this one were cleared (SYSLOG_ACTION_CLEAR). */
  clearSeq: number;
  /** Messages below this level go to the console (SYSLOG_ACTION_CONSOLE_LEVEL). */
  consoleLevel: number;
  consoleOn: boolean;
  /** Readers of /proc/kmsg waiting for new records. */
  wait: WaitQueue;
}

/** How often a blocked /proc/kmsg reader looks for new records (the log ring wakes nobody). */
const KMSG_POLL_NS = 100_000_000;

export function createSyslogState(): SyslogState {
  return { readSeq: 0, clearSeq: 0, consoleLevel: 7, consoleOn: true, wait: createWaitQueue("syslog") };
}

/** The syslog reader's state (k.syslog, made at boot). */
export function syslogState(k: Kernel): SyslogState {
  return k.syslog;
}

/** Sequence number after the newest record. */
export function logEnd(k: Kernel): number {
  return k.log.first + k.log.lines.length;
}

/** One record as syslog(2) returns it. */
export function formatRecord(l: LogLine): string {
  return `<${l.level}>${formatLine(l)}\n`;
}

/** Records from sequence number `from` on (those still in the ring). */
export function recordsFrom(k: Kernel, from: number): LogLine[] {
  const start = Math.max(0, from - k.log.first);
  return k.log.lines.slice(start);
}


/** SYSLOG_ACTION_READ_ALL: the newest records since the clear mark that fit in `len` bytes. */
export function readAllRecords(k: Kernel, len: number): Uint8Array {
  const recs = recordsFrom(k, syslogState(k).clearSeq).map((l) => strToBytes(formatRecord(l)));
  let total = 0;
  let i = recs.length;
  while (i > 0 && total + recs[i - 1].length <= len) total += recs[--i].length;
  const out = new Uint8Array(total);
  let p = 0;
  for (; i < recs.length; i++) { out.set(recs[i], p); p += recs[i].length; }
  return out;
}

/** Bytes of unread records (SYSLOG_ACTION_SIZE_UNREAD). */
export function unreadBytes(k: Kernel): number {
  let n = 0;
  for (const l of recordsFrom(k, syslogState(k).readSeq)) n += strToBytes(formatRecord(l)).length;
  return n;
}

/**
 * Destructive read (/proc/kmsg, SYSLOG_ACTION_READ): whole records while
 * they fit (at least part of one). With nothing new it blocks, looking again
 * every 100 ms, or fails with EAGAIN for a non-blocking reader.
 */
export function kmsgRead(k: Kernel, t: Task, buf: Uint8Array, nonblock: boolean): number {
  const s = syslogState(k);
  if (s.readSeq < k.log.first) s.readSeq = k.log.first;
  let n = 0;
  while (s.readSeq < logEnd(k)) {
    const rec = strToBytes(formatRecord(k.log.lines[s.readSeq - k.log.first]));
    if (n + rec.length > buf.length) {
      if (n === 0) { buf.set(rec.subarray(0, buf.length)); n = buf.length; s.readSeq++; }
      break;
    }
    buf.set(rec, n);
    n += rec.length;
    s.readSeq++;
  }
  if (n > 0 || buf.length === 0) return n;
  if (nonblock) return -EAGAIN;
  if (t.interrupted) return -ERESTARTSYS;
  const at = nowNs(k) + KMSG_POLL_NS;
  sleepOn(t, s.wait, at);
  addWakeTimer(k, t, at);
  return -ERESTARTSYS;
}
