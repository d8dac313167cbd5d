// System calls of the terminal and kernel-log area: syslog(2) (what dmesg
// and klogd use: read all, read and consume, clear, console level, buffer
// size) and vhangup(2). The tty ioctls themselves arrive through ioctl(2) on
// a tty file (kernel/tty/tty_io.ts).
//
// Concepts: C10 (dmesg shows the boot log), C26 (hanging up the controlling
// terminal).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyout } from "../mm/uaccess.js";
import { EFAULT, EINVAL, EPERM } from "../abi/errno.js";
import {
  syslogState, readAllRecords, unreadBytes, kmsgRead, logEnd, recordsFrom, formatRecord,
} from "../fs/proc/kmsg.js";
import { ttyById } from "../tty/tty.js";
import { killPgrp, sessionClearTty } from "../tty/job.js";
import { SIGHUP } from "../abi/signal.js";
import {
  SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF, SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD, SYSLOG_ACTION_SIZE_BUFFER,
} from "../abi/syslog.js";


/** Whether `t` may use syslog action `type` (Linux check_syslog_permissions). */
function syslogAllowed(k: Kernel, t: Task, type: number): boolean {
  if (t.tg.creds.euid === 0) return true;
  const restricted = k.sysctl.dmesgRestrict === 1;
  return !restricted && (type === SYSLOG_ACTION_READ_ALL || type === SYSLOG_ACTION_SIZE_BUFFER);
}

/** The size of the log buffer as syslog reports it: enough for every record, a power of two. */
function bufferSize(k: Kernel): number {
  let n = 0;
  for (const l of recordsFrom(k, k.log.first)) n += formatRecord(l).length + 8;
  let size = 1 << 17;
  while (size < n) size *= 2;
  return size;
}

function copyTo(k: Kernel, t: Task, va: number, b: Uint8Array): number {
  if (b.length === 0) return 0;
  return t.mm && copyout(k.mmctx, t.mm, va, b) === 0 ? b.length : -EFAULT;
}

function sysSyslog(k: Kernel, t: Task): number {
  const type = argInt(k, 0), buf = argU(k, 1), len = argInt(k, 2);
  if (type < 0 || type > SYSLOG_ACTION_SIZE_BUFFER) return -EINVAL;
  if (type === SYSLOG_ACTION_CLOSE || type === SYSLOG_ACTION_OPEN) return 0;
  if (!syslogAllowed(k, t, type)) return -EPERM;
  const s = syslogState(k);
  switch (type) {
    case SYSLOG_ACTION_READ: {
      if (!buf || len < 0) return -EINVAL;
      if (len === 0) return 0;
      const tmp = new Uint8Array(Math.min(len, 1 << 20));
      const n = kmsgRead(k, t, tmp, false);
      if (n <= 0) return n;
      return copyTo(k, t, buf, tmp.subarray(0, n));
    }
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR: {
      if (!buf || len < 0) return -EINVAL;
      const r = copyTo(k, t, buf, readAllRecords(k, len));
      if (r >= 0 && type === SYSLOG_ACTION_READ_CLEAR) s.clearSeq = logEnd(k);
      return r;
    }
    case SYSLOG_ACTION_CLEAR: s.clearSeq = logEnd(k); return 0;
    case SYSLOG_ACTION_CONSOLE_OFF: s.consoleOn = false; return 0;
    case SYSLOG_ACTION_CONSOLE_ON: s.consoleOn = true; return 0;
    case SYSLOG_ACTION_CONSOLE_LEVEL:
      if (len < 1 || len > 8) return -EINVAL;
      s.consoleLevel = Math.max(len, 1);
      s.consoleOn = true;
      return 0;
    case SYSLOG_ACTION_SIZE_UNREAD: return unreadBytes(k);
    case SYSLOG_ACTION_SIZE_BUFFER: return bufferSize(k);
    default: return -EINVAL;
  }
}

/** vhangup(2): hang up the caller's controlling terminal (root only). */
function sysVhangup(k: Kernel, t: Task): number {
  if (t.tg.creds.euid !== 0) return -EPERM;
  const tty = ttyById(k, t.tg.tty);
  if (!tty || !tty.session) return 0;
  if (tty.pgrp) killPgrp(k, tty.pgrp, SIGHUP);
  sessionClearTty(k, tty.session);
  tty.session = 0;
  tty.pgrp = 0;
  return 0;
}

export function registerProcTtySyscalls(table: SyscallTable): void {
  table[N.SYS_syslog] = sysSyslog;
  table[N.SYS_vhangup] = sysVhangup;
}
