// The kernel log: a ring of lines with timestamps, read by dmesg, /proc/kmsg
// and syslog(2). Boot stages, oopses, OOM kills and unknown syscalls land here.
//
// Concepts: C10 (boot log), C56 (OOM messages in dmesg).

import type { Kernel } from "./kernel.js";
import { nowNs } from "./time/clock.js";
import { toHost } from "./lib/bytestr.js";

export interface LogLine { timeNs: number; level: number; text: string }

export interface KernelLog {
  lines: LogLine[];
  capacity: number;
  /** Sequence number of the first line still in the ring. */
  first: number;
}

export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;

export function createLog(capacity = 1024): KernelLog {
  return { lines: [], capacity, first: 0 };
}

export function klog(log: KernelLog, timeNs: number, level: number, text: string): void {
  log.lines.push({ timeNs, level, text });
  if (log.lines.length > log.capacity) {
    log.lines.shift();
    log.first++;
  }
}

/** dmesg format: "[    0.012345] text". */
export function formatLine(l: LogLine): string {
  const s = (l.timeNs / 1e9).toFixed(6);
  return `[${s.padStart(12)}] ${l.text}`;
}

/** Log an informational line at the current kernel time. */
export function logInfo(k: Kernel, text: string): void {
  const timeNs = nowNs(k);
  klog(k.log, timeNs, KERN_INFO, text);
  // The optional echo to the host (--verbose, tests) is a host attachment, not log state.
  const echo = k.host.logEcho;
  if (echo) echo(toHost(formatLine({ timeNs, level: KERN_INFO, text }))); // lines hold byte strings: show them as UTF-8
}
