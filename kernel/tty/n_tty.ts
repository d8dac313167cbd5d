// The line discipline (Linux's n_tty): what a terminal does between the
// device and read()/write().
//   Input: ISTRIP, IXON flow control (^S/^Q), ISIG (^C SIGINT, ^\ SIGQUIT,
//   ^Z SIGTSTP to the foreground process group), IGNCR/ICRNL/INLCR, then in
//   canonical mode line editing (ERASE, WERASE, KILL, LNEXT, REPRINT, EOF,
//   EOL, EOL2) with a line released to readers at its end; in non-canonical
//   mode bytes are readable at once, governed by VMIN/VTIME.
//   Echo: ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL (^X), through the
//   same output processing as written data.
//   Output: OPOST with ONLCR, OCRNL, ONOCR, ONLRET, OLCUC and tab expansion,
//   tracking the column so that erasing a tab moves back the right amount.
// Reads block with the VFS convention (-EAGAIN + io.wait) or, for VTIME
// timeouts, sleep with a deadline and return -ERESTARTSYS themselves.
//
// Concepts: C26 (^C/^Z signal the foreground group; background reads get
// SIGTTIN, background writes with TOSTOP get SIGTTOU), C22 (a reader blocks
// on the tty's wait queue until a line arrives).
import type { Kernel } from "../kernel.js";
import { addWakeTimer } from "../time/timer.js";
import { nowNs } from "../time/clock.js";
import type { Task } from "../proc/task.js";
import type { File, IoCtx } from "../fs/vfs.js";
import { sleepOn, wakeUp } from "../sched/wait.js";
import { EAGAIN, ERESTARTSYS } from "../abi/errno.js";
import { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU } from "../abi/signal.js";
import { type Tty, N_TTY_BUF_SIZE, driverWrite, ttyDriver } from "./tty.js";
import { killPgrp, ttyCheckChange } from "./job.js";
import * as T from "../abi/termios.js";
import { tracepoints, emit } from "../trace/tracepoint.js";
import { O_NONBLOCK, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from "../abi/fs.js";

function iscntrl(c: number): boolean { return c < 0x20 || c === 0x7f; }
function isContinuation(c: number): boolean { return (c & 0xc0) === 0x80; }
function isalnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// ---------------------------------------------------------------- output

/** Process one output byte (Linux do_output_char), appending to `out`. */
function opostChar(tty: Tty, c: number, out: number[]): void {
  const o = tty.termios.oflag;
  if (!(o & T.OPOST)) { out.push(c); trackColumn(tty, c); return; }
  switch (c) {
    case 10:
      if (o & T.ONLRET) tty.column = 0;
      if (o & T.ONLCR) { tty.column = 0; out.push(13, 10); return; }
      out.push(10);
      return;
    case 13:
      if ((o & T.ONOCR) && tty.column === 0) return;
      if (o & T.OCRNL) {
        if (o & T.ONLRET) tty.column = 0;
        out.push(10);
        return;
      }
      tty.column = 0;
      out.push(13);
      return;
    case 9: {
      const spaces = 8 - (tty.column & 7);
      tty.column += spaces;
      if ((o & T.TABDLY) === T.XTABS) { for (let i = 0; i < spaces; i++) out.push(32); return; }
      out.push(9);
      return;
    }
    case 8:
      if (tty.column > 0) tty.column--;
      out.push(8);
      return;
    default:
      if (!iscntrl(c)) {
        if ((o & T.OLCUC) && c >= 0x61 && c <= 0x7a) c -= 0x20;
        if (!isContinuation(c)) tty.column++;
      }
      out.push(c);
  }
}

/** Column bookkeeping for raw (non-OPOST) output. */
function trackColumn(tty: Tty, c: number): void {
  if (c === 13 || c === 10) tty.column = c === 13 ? 0 : tty.column;
  else if (c === 8) { if (tty.column > 0) tty.column--; }
  else if (c === 9) tty.column = (tty.column | 7) + 1;
  else if (!iscntrl(c) && !isContinuation(c)) tty.column++;
}

/** Write bytes through output processing to the driver (also used by echo). */
export function ttyOutput(k: Kernel, tty: Tty, bytes: ArrayLike<number>): void {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) opostChar(tty, bytes[i], out);
  driverWrite(k, tty, Uint8Array.from(out));
}

// ---------------------------------------------------------------- echo

/** Echo one input byte (Linux echo_char): control characters as ^X under ECHOCTL. */
function echoChar(tty: Tty, c: number, out: number[]): void {
  if ((tty.termios.lflag & T.ECHOCTL) && iscntrl(c) && c !== 9) {
    opostChar(tty, 0x5e, out);
    opostChar(tty, c ^ 0x40, out);
  } else {
    opostChar(tty, c, out);
  }
}

function echoRaw(tty: Tty, c: number, out: number[]): void {
  opostChar(tty, c, out);
}

/** Start of a new input line: remember where its echo begins (for tab erase). */
function noteCanonColumn(tty: Tty): void {
  if (tty.line.length === 0) tty.canonColumn = tty.column;
}

/** Erase back (ERASE, WERASE, KILL), echoing the visual erase (Linux eraser()). */
function eraser(tty: Tty, c: number, out: number[]): void {
  const tm = tty.termios;
  const L = tm.lflag;
  const kind = c === tm.cc[T.VERASE] ? "erase" : c === tm.cc[T.VWERASE] ? "werase" : "kill";
  if (tty.line.length === 0) return;
  const echo = (L & T.ECHO) !== 0;
  if (kind === "kill") {
    if (!echo) { tty.line = []; return; }
    if (!(L & T.ECHOK) || !(L & T.ECHOKE) || !(L & T.ECHOE)) {
      tty.line = [];
      echoChar(tty, c, out);
      if (L & T.ECHOK) echoRaw(tty, 10, out);
      return;
    }
  }
  let seenAlnum = false;
  while (tty.line.length > 0) {
    // One (possibly multi-byte UTF-8) character: continuation bytes, then the lead byte.
    let cnt = 0;
    let ch = 0;
    do {
      ch = tty.line[tty.line.length - 1 - cnt];
      cnt++;
    } while (isContinuation(ch) && cnt < tty.line.length);
    if (kind === "werase") {
      if (isalnum(ch) || ch === 0x5f) seenAlnum = true;
      else if (seenAlnum) break;
    }
    tty.line.length -= cnt;
    if (echo) {
      if (kind === "erase" && !(L & T.ECHOE)) {
        echoChar(tty, tm.cc[T.VERASE], out);
      } else if (ch === 9) {
        // Recompute where the tab started from the start of the line.
        let col = tty.canonColumn;
        for (const b of tty.line) {
          if (b === 9) col = (col | 7) + 1;
          else if (iscntrl(b)) { if (L & T.ECHOCTL) col += 2; }
          else if (!isContinuation(b)) col++;
        }
        let n = tty.column - col;
        while (n-- > 0) echoRaw(tty, 8, out);
      } else {
        if (iscntrl(ch) && (L & T.ECHOCTL)) out.push(8, 32, 8), tty.column = Math.max(0, tty.column - 1);
        if (!iscntrl(ch) || (L & T.ECHOCTL)) out.push(8, 32, 8), tty.column = Math.max(0, tty.column - 1);
      }
    }
    if (kind === "erase") break;
  }
}

// ---------------------------------------------------------------- input

/** How many more input bytes the line discipline accepts now (0 = throttle the device). */
export function nttyRoom(tty: Tty): number {
  return Math.max(0, N_TTY_BUF_SIZE - tty.rbuf.length);
}

/** A complete line (or the EOF mark, `term` < 0 and an empty line) becomes readable. */
function commitLine(tty: Tty, term: number): void {
  const n = tty.line.length + (term >= 0 ? 1 : 0);
  for (const b of tty.line) tty.rbuf.push(b);
  if (term >= 0) tty.rbuf.push(term);
  tty.lineLens.push(n);
  tty.line = [];
}

/** Input-side flush (TCIFLUSH, and ISIG without NOFLSH). */
export function flushInput(tty: Tty): void {
  tty.rbuf = [];
  tty.lineLens = [];
  tty.line = [];
  tty.lnext = false;
}

function isig(k: Kernel, tty: Tty, sig: number, c: number, out: number[]): void {
  const tm = tty.termios;
  if (!(tm.lflag & T.NOFLSH)) flushInput(tty);
  if (tm.iflag & T.IXON) tty.stopped = false;
  if (tm.lflag & T.ECHO) echoChar(tty, c, out);
  tty.stats.signals++;
  // Echo first, so that "^C" appears before whatever the signal causes.
  flushEcho(k, tty, out);
  const tp = tracepoints(k).tty_signal;
  if (tp) emit(tp, { tty: tty.name, sig, pgrp: tty.pgrp });
  killPgrp(k, tty.pgrp, sig);
}

function flushEcho(k: Kernel, tty: Tty, out: number[]): void {
  if (out.length === 0) return;
  driverWrite(k, tty, Uint8Array.from(out));
  out.length = 0;
}

/** Whether `c` is the (enabled) special character at index `i`. */
function isCc(tty: Tty, c: number, i: number): boolean {
  const v = tty.termios.cc[i];
  return v === c && v !== 0;
}

function receiveChar(k: Kernel, tty: Tty, c: number, out: number[]): boolean {
  const tm = tty.termios;
  const I = tm.iflag, L = tm.lflag;
  if (I & T.ISTRIP) c &= 0x7f;
  if (tty.lnext) {
    tty.lnext = false;
    if (L & T.ICANON) {
      if (tty.line.length >= N_TTY_BUF_SIZE - 1) return false;
      if (L & T.ECHO) {
        // Undo the "^\b" shown for LNEXT, then echo the literal character.
        noteCanonColumn(tty);
        echoChar(tty, c, out);
      }
      tty.line.push(c);
      return false;
    }
    if (L & T.ECHO) echoChar(tty, c, out);
    tty.rbuf.push(c);
    return true;
  }
  if (I & T.IXON) {
    if (isCc(tty, c, T.VSTART)) { tty.stopped = false; return true; }
    if (isCc(tty, c, T.VSTOP)) { tty.stopped = true; return false; }
    if ((I & T.IXANY) && tty.stopped) tty.stopped = false;
  }
  if (L & T.ISIG) {
    const sig = isCc(tty, c, T.VINTR) ? SIGINT : isCc(tty, c, T.VQUIT) ? SIGQUIT : isCc(tty, c, T.VSUSP) ? SIGTSTP : 0;
    if (sig) { isig(k, tty, sig, c, out); return true; }
  }
  if (c === 13) {
    if (I & T.IGNCR) return false;
    if (I & T.ICRNL) c = 10;
  } else if (c === 10 && (I & T.INLCR)) {
    c = 13;
  }
  if ((I & T.IUCLC) && (L & T.IEXTEN) && c >= 0x41 && c <= 0x5a) c += 0x20;
  if (!(L & T.ICANON)) {
    if (L & T.ECHO) echoChar(tty, c, out);
    tty.rbuf.push(c);
    return true;
  }
  // Canonical mode: line editing.
  if (isCc(tty, c, T.VERASE) || isCc(tty, c, T.VKILL) || ((L & T.IEXTEN) && isCc(tty, c, T.VWERASE))) {
    eraser(tty, c, out);
    return false;
  }
  if ((L & T.IEXTEN) && isCc(tty, c, T.VLNEXT)) {
    tty.lnext = true;
    if ((L & T.ECHO) && (L & T.ECHOCTL)) {
      noteCanonColumn(tty);
      out.push(0x5e, 8); // "^" then back over it: the next character replaces it
    }
    return false;
  }
  if ((L & T.IEXTEN) && (L & T.ECHO) && isCc(tty, c, T.VREPRINT)) {
    echoChar(tty, c, out);
    echoRaw(tty, 10, out);
    tty.canonColumn = tty.column;
    for (const b of tty.line) echoChar(tty, b, out);
    return false;
  }
  if (c === 10) {
    if (L & (T.ECHO | T.ECHONL)) echoRaw(tty, 10, out);
    commitLine(tty, 10);
    return true;
  }
  if (isCc(tty, c, T.VEOF)) {
    commitLine(tty, -1);
    return true;
  }
  if (isCc(tty, c, T.VEOL) || ((L & T.IEXTEN) && isCc(tty, c, T.VEOL2))) {
    if (L & T.ECHO) { noteCanonColumn(tty); echoChar(tty, c, out); }
    commitLine(tty, c);
    return true;
  }
  if (tty.line.length >= N_TTY_BUF_SIZE - 1) {
    if (I & T.IMAXBEL) echoRaw(tty, 7, out);
    return false;
  }
  if (L & T.ECHO) { noteCanonColumn(tty); echoChar(tty, c, out); }
  tty.line.push(c);
  return false;
}

/**
 * Input from the device (the UART interrupt handler, TIOCSTI, tests). Bytes
 * beyond nttyRoom() are dropped; drivers that can hold input ask first.
 */
export function nttyReceive(k: Kernel, tty: Tty, bytes: ArrayLike<number>): void {
  const out: number[] = [];
  let wake = false;
  const wasStopped = tty.stopped;
  for (let i = 0; i < bytes.length; i++) {
    if (tty.rbuf.length >= N_TTY_BUF_SIZE) break;
    tty.stats.rx++;
    if (receiveChar(k, tty, bytes[i], out)) wake = true;
  }
  if (bytes.length > 0) tty.lastRxNs = nowNs(k);
  flushEcho(k, tty, out);
  if (wake || (wasStopped && !tty.stopped)) wakeUp(k, tty.wait);
}

// ---------------------------------------------------------------- read / write / poll

/** Whether a read would return now (Linux input_available_p). */
export function inputAvailable(tty: Tty, forPoll: boolean): boolean {
  const tm = tty.termios;
  if (tm.lflag & T.ICANON) return tty.lineLens.length > 0 || tty.rbuf.length > 0;
  const min = tm.cc[T.VMIN], time = tm.cc[T.VTIME];
  const amt = forPoll && !time && min ? min : 1;
  return tty.rbuf.length >= amt;
}

function take(tty: Tty, buf: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) buf[i] = tty.rbuf[i];
  tty.rbuf.splice(0, n);
  return n;
}

function afterRead(k: Kernel, tty: Tty): void {
  if (tty.throttled && nttyRoom(tty) > 0) {
    tty.throttled = false;
    ttyDriver(tty.driver)?.unthrottle?.(k, tty);
  }
}

/**
 * Sleep on the tty until woken or `deadline` (ns); the read restarts then.
 * -ERESTARTSYS either way: with a signal pending (no sleep) the read
 * restarts afresh or fails with EINTR, as signal delivery decides.
 */
function sleepUntil(k: Kernel, t: Task, tty: Tty, deadline: number): number {
  if (t.interrupted) { clearDeadline(t); return -ERESTARTSYS; }
  sleepOn(t, tty.wait, deadline);
  addWakeTimer(k, t, deadline);
  return -ERESTARTSYS;
}

function clearDeadline(t: Task): void {
  if (t.restart?.kind === "tty_read") t.restart = null;
}

/** read(2) on a tty. */
export function nttyRead(k: Kernel, t: Task, tty: Tty, f: File, buf: Uint8Array, io: IoCtx): number {
  const jc = ttyCheckChange(k, t, tty, SIGTTIN);
  if (jc !== 0) return jc;
  const tm = tty.termios;
  const nonblock = (f.flags & O_NONBLOCK) !== 0;
  if (buf.length === 0) return 0;
  if (tm.lflag & T.ICANON) {
    clearDeadline(t);
    // Bytes left over from non-canonical mode count as one line.
    if (tty.lineLens.length === 0 && tty.rbuf.length > 0) tty.lineLens.push(tty.rbuf.length);
    if (tty.lineLens.length > 0) {
      const len = tty.lineLens[0];
      const n = Math.min(len, buf.length);
      take(tty, buf, n);
      if (n === len) tty.lineLens.shift(); else tty.lineLens[0] = len - n;
      afterRead(k, tty);
      return n;
    }
    if (tty.hostEof) return 0;
    if (nonblock) return -EAGAIN;
    io.wait = tty.wait;
    return -EAGAIN;
  }
  const min = tm.cc[T.VMIN], time = tm.cc[T.VTIME];
  const avail = tty.rbuf.length;
  const need = Math.min(min, buf.length);
  const now = nowNs(k);
  const done = (n: number): number => {
    clearDeadline(t);
    take(tty, buf, n);
    afterRead(k, tty);
    return n;
  };
  if (avail > 0 && (avail >= need || nonblock)) return done(Math.min(avail, buf.length));
  if (tty.hostEof) return done(Math.min(avail, buf.length));
  if (min === 0 && time === 0) return done(0);
  if (nonblock) return -EAGAIN;
  if (time === 0) { io.wait = tty.wait; return -EAGAIN; }
  const tenths = time * 100_000_000;
  if (min === 0) {
    // A read timer: up to VTIME for the first byte.
    let deadline = t.restart?.kind === "tty_read" ? t.restart.deadline : 0;
    if (!deadline) {
      deadline = now + tenths;
      t.restart = { kind: "tty_read", deadline };
    }
    if (now >= deadline) return done(0);
    return sleepUntil(k, t, tty, deadline);
  }
  // An inter-byte timer: it starts with the first byte.
  if (avail === 0) { io.wait = tty.wait; return -EAGAIN; }
  const deadline = tty.lastRxNs + tenths;
  if (now >= deadline) return done(Math.min(avail, buf.length));
  return sleepUntil(k, t, tty, deadline);
}

/** write(2) on a tty. */
export function nttyWrite(k: Kernel, t: Task, tty: Tty, f: File, buf: Uint8Array, io: IoCtx): number {
  if (tty.termios.lflag & T.TOSTOP) {
    const jc = ttyCheckChange(k, t, tty, SIGTTOU);
    if (jc !== 0) return jc;
  }
  if (tty.stopped) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    io.wait = tty.wait;
    return -EAGAIN;
  }
  if (buf.length === 0) return 0;
  if (!(tty.termios.oflag & T.OPOST)) {
    for (let i = 0; i < buf.length; i++) trackColumn(tty, buf[i]);
    driverWrite(k, tty, buf.slice());
    return buf.length;
  }
  ttyOutput(k, tty, buf);
  return buf.length;
}

/** poll(2) readiness of a tty; registers the tty's wait queue. */
export function nttyPoll(tty: Tty, io: IoCtx): number {
  let mask = 0;
  if (inputAvailable(tty, true) || tty.hostEof) mask |= POLLIN | POLLRDNORM;
  if (!tty.stopped) mask |= POLLOUT | POLLWRNORM;
  io.wait = tty.wait;
  return mask;
}

/** Bytes a read could return now (FIONREAD): complete lines in canonical mode. */
export function nttyReadable(tty: Tty): number {
  if (tty.termios.lflag & T.ICANON) {
    let n = 0;
    for (const l of tty.lineLens) n += l;
    return Math.max(n, tty.lineLens.length === 0 ? tty.rbuf.length : n);
  }
  return tty.rbuf.length;
}

/**
 * New termios settings take effect (Linux n_tty_set_termios): leaving
 * canonical mode makes the partly edited line readable; entering it turns
 * pending raw bytes into one line.
 */
export function nttySetTermios(k: Kernel, tty: Tty, old: T.Termios): void {
  const wasCanon = (old.lflag & T.ICANON) !== 0;
  const canon = (tty.termios.lflag & T.ICANON) !== 0;
  if (wasCanon && !canon) {
    for (const b of tty.line) tty.rbuf.push(b);
    tty.line = [];
    tty.lineLens = [];
  } else if (!wasCanon && canon) {
    tty.lineLens = tty.rbuf.length > 0 ? [tty.rbuf.length] : [];
  }
  if (!(tty.termios.iflag & T.IXON) && tty.stopped) tty.stopped = false;
  wakeUp(k, tty.wait);
}

