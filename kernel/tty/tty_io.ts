// The tty as a file: open (acquiring a controlling terminal as Linux's
// tty_open does), read/write/poll through the line discipline, and the
// terminal ioctls shells and readline use (TCGETS/TCSETS*, TIOCGPGRP/
// TIOCSPGRP, TIOCGWINSZ/TIOCSWINSZ, TIOCSCTTY/TIOCNOTTY, FIONREAD...).
// Character devices: /dev/tty (5,0: the caller's controlling terminal,
// ENXIO without one), /dev/console (5,1) and /dev/ttyS0 (4,64) for the UART
// console.
//
// Concepts: C14 (devices are files), C26 (sessions, controlling tty,
// foreground process group), C25 (job control).
import { pack, unpack } from "../abi/layout.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, FileOps, IoCtx } from "../fs/vfs.js";
import { registerCharDevice } from "../fs/chardev.js";
import { makedev, major, minor } from "../fs/fstypes.js";
import { copyin, copyout, getUser32, putUser32 } from "../mm/uaccess.js";
import { EFAULT, EINVAL, EIO, ENOTTY, ENXIO, EPERM, ESRCH, EBUSY } from "../abi/errno.js";
import { SIGTTOU, SIGWINCH } from "../abi/signal.js";
import { type Tty, ttys, ttyById } from "./tty.js";
import * as T from "../abi/termios.js";
import { nttyRead, nttyWrite, nttyPoll, nttyReceive, nttyReadable, nttySetTermios, flushInput, ttyOutput } from "./n_tty.js";
import { O_NONBLOCK, O_NOCTTY, O_ACCMODE, O_WRONLY } from "../abi/fs.js";
import {
  ttyCheckChange, procSetTty, sessionClearTty, disassociateCtty, killPgrp, pgrpExists, sessionAlive, ttySessionStale,
} from "./job.js";
import { wakeUp } from "../sched/wait.js";
import {
  TCGETS, TCSETS, TCSETSW, TCSETSF, TCGETA, TCSETA, TCSETAW, TCSETAF, TCSBRK, TCXONC, TCFLSH, TIOCEXCL, TIOCNXCL, TIOCSCTTY, TIOCGPGRP, TIOCSPGRP, TIOCOUTQ, TIOCSTI, TIOCGWINSZ, TIOCSWINSZ, TIOCMGET, TIOCMBIS, TIOCMBIC, TIOCMSET, TIOCGSOFTCAR, TIOCSSOFTCAR, FIONREAD, TIOCLINUX, TIOCCONS, TIOCGSERIAL, TIOCPKT, FIONBIO, TIOCNOTTY, TIOCSETD, TIOCGETD, TCSBRKP, TIOCSBRK, TIOCCBRK, TIOCGSID, TCGETS2, TCSETS2, TCSETSW2, TCSETSF2, TIOCGDEV, TIOCVHANGUP, TIOCGEXCL, FIONCLEX, FIOCLEX, FIOASYNC, TIOCGLCKTRMIOS, TIOCSLCKTRMIOS,
} from "../abi/ioctls.js";
import {
  TCOOFF, TCOON, TCIOFF, TCION, TCIFLUSH, TCOFLUSH, TCIOFLUSH, TIOCM_LE, TIOCM_DTR, TIOCM_RTS, TIOCM_CTS, TIOCM_CAR, TIOCM_DSR,
} from "../abi/termios.js";
import { defineFileOps } from "../lib/fsops.js";

// ioctl request codes (asm-generic/ioctls.h)

/** Names of the tty ioctls (for the syscall trace). */
export const TTY_IOCTL_NAMES: ReadonlyMap<number, string> = new Map([
  [TCGETS, "TCGETS"], [TCSETS, "TCSETS"], [TCSETSW, "TCSETSW"], [TCSETSF, "TCSETSF"], [TCGETA, "TCGETA"],
  [TCSETA, "TCSETA"], [TCSETAW, "TCSETAW"], [TCSETAF, "TCSETAF"], [TCSBRK, "TCSBRK"], [TCXONC, "TCXONC"],
  [TCFLSH, "TCFLSH"], [TIOCEXCL, "TIOCEXCL"], [TIOCNXCL, "TIOCNXCL"], [TIOCSCTTY, "TIOCSCTTY"],
  [TIOCGPGRP, "TIOCGPGRP"], [TIOCSPGRP, "TIOCSPGRP"], [TIOCOUTQ, "TIOCOUTQ"], [TIOCSTI, "TIOCSTI"],
  [TIOCGWINSZ, "TIOCGWINSZ"], [TIOCSWINSZ, "TIOCSWINSZ"], [TIOCMGET, "TIOCMGET"], [TIOCMBIS, "TIOCMBIS"],
  [TIOCMBIC, "TIOCMBIC"], [TIOCMSET, "TIOCMSET"], [FIONREAD, "FIONREAD"], [TIOCLINUX, "TIOCLINUX"],
  [TIOCCONS, "TIOCCONS"], [TIOCGSERIAL, "TIOCGSERIAL"], [FIONBIO, "FIONBIO"], [TIOCNOTTY, "TIOCNOTTY"],
  [TIOCSETD, "TIOCSETD"], [TIOCGETD, "TIOCGETD"], [TCSBRKP, "TCSBRKP"], [TIOCGSID, "TIOCGSID"],
  [TCGETS2, "TCGETS2"], [TCSETS2, "TCSETS2"], [TCSETSW2, "TCSETSW2"], [TCSETSF2, "TCSETSF2"],
  [TIOCGDEV, "TIOCGDEV"], [TIOCVHANGUP, "TIOCVHANGUP"], [FIONCLEX, "FIONCLEX"], [FIOCLEX, "FIOCLEX"],
  [FIOASYNC, "FIOASYNC"], [TIOCSBRK, "TIOCSBRK"], [TIOCCBRK, "TIOCCBRK"], [TIOCPKT, "TIOCPKT"],
]);

void TIOCM_LE;

/** The tty behind an open file (set by open). */
export function fileTty(f: File): Tty | null {
  const i = f.info as { tty?: Tty } | null;
  return i && typeof i === "object" && i.tty ? i.tty : null;
}

function isRoot(t: Task): boolean {
  return t.tg.creds.euid === 0;
}

/**
 * Opening a tty (Linux tty_open): TIOCEXCL refuses non-root, and a session
 * leader without a controlling terminal that opens a free tty without
 * O_NOCTTY acquires it - except through /dev/console and /dev/tty.
 */
export function openTty(k: Kernel, t: Task, f: File, tty: Tty, noctty: boolean): number {
  if (tty.exclusive && !isRoot(t)) return -EBUSY;
  f.info = { tty };
  if (ttySessionStale(k, tty)) { tty.session = 0; tty.pgrp = 0; }
  const tg = t.tg;
  noctty ||= (f.flags & O_NOCTTY) !== 0;
  if (!noctty && tg.pid === tg.sid && tg.tty === 0 && tty.session === 0 && (f.flags & O_ACCMODE) !== O_WRONLY) {
    procSetTty(tg, tty);
  }
  return 0;
}

function ttyRead(k: Kernel, t: Task, f: File, buf: Uint8Array, _pos: number, io: IoCtx): number {
  const tty = fileTty(f);
  return tty ? nttyRead(k, t, tty, f, buf, io) : -EIO;
}

function ttyWrite(k: Kernel, t: Task, f: File, buf: Uint8Array, _pos: number, io: IoCtx): number {
  const tty = fileTty(f);
  return tty ? nttyWrite(k, t, tty, f, buf, io) : -EIO;
}

function ttyPoll(_k: Kernel, _t: Task, f: File, io: IoCtx): number {
  const tty = fileTty(f);
  return tty ? nttyPoll(tty, io) : 0x18; // POLLERR | POLLHUP
}

function getInt(k: Kernel, t: Task, arg: number): number | null {
  return t.mm ? getUser32(k.mmctx, t.mm, arg) : null;
}

function putInt(k: Kernel, t: Task, arg: number, v: number): number {
  return t.mm && putUser32(k.mmctx, t.mm, arg, v) === 0 ? 0 : -EFAULT;
}

/** TCSETS* / TCSETA*: install new settings (after draining or flushing input as asked). */
/** Linux's unset_locked_termios: the locked parts of `nt` keep their `old` values. */
function keepLocked(tty: Tty, old: T.Termios, nt: T.Termios): void {
  const l = tty.lockedTermios;
  if (!l) return;
  nt.iflag = (nt.iflag & ~l.iflag) | (old.iflag & l.iflag);
  nt.oflag = (nt.oflag & ~l.oflag) | (old.oflag & l.oflag);
  nt.cflag = (nt.cflag & ~l.cflag) | (old.cflag & l.cflag);
  nt.lflag = (nt.lflag & ~l.lflag) | (old.lflag & l.lflag);
  if (l.line) nt.line = old.line;
  for (let i = 0; i < T.NCCS; i++) if (l.cc[i]) nt.cc[i] = old.cc[i];
}

/** TIOCSLCKTRMIOS: root only (CAP_SYS_ADMIN in Linux), checked before the struct is read. */
function setLockedTermios(k: Kernel, t: Task, tty: Tty, arg: number): number {
  if (!isRoot(t)) return -EPERM;
  const b = new Uint8Array(T.TERMIOS_SIZE);
  if (!t.mm || copyin(k.mmctx, t.mm, arg, b) < 0) return -EFAULT;
  tty.lockedTermios = T.decodeTermios(b);
  return 0;
}

function setTermios(k: Kernel, t: Task, tty: Tty, arg: number, size: number, flush: boolean): number {
  const jc = ttyCheckChange(k, t, tty, SIGTTOU);
  if (jc !== 0) return jc;
  const b = new Uint8Array(size);
  if (!t.mm || copyin(k.mmctx, t.mm, arg, b) < 0) return -EFAULT;
  const nt = T.decodeTermios(b);
  if (flush) flushInput(tty);
  const old = tty.termios;
  keepLocked(tty, old, nt);
  tty.termios = nt;
  nttySetTermios(k, tty, old);
  return 0;
}

/** struct termio (TCGETA/TCSETA): the old 16-bit-flag layout. */
function termioBytes(tm: T.Termios): Uint8Array {
  const b = pack(T.TERMIO, { c_iflag: tm.iflag, c_oflag: tm.oflag, c_cflag: tm.cflag, c_lflag: tm.lflag, c_line: tm.line });
  for (let i = 0; i < T.NCC; i++) b[T.TERMIO_CC + i] = tm.cc[i];
  return b;
}

function setTermio(k: Kernel, t: Task, tty: Tty, arg: number, flush: boolean): number {
  const jc = ttyCheckChange(k, t, tty, SIGTTOU);
  if (jc !== 0) return jc;
  const b = new Uint8Array(T.TERMIO.size);
  if (!t.mm || copyin(k.mmctx, t.mm, arg, b) < 0) return -EFAULT;
  const v = unpack(T.TERMIO, b);
  const old = tty.termios;
  const nt = T.copyTermios(old);
  // termio holds only the low 16 bits of each flag word; the rest stay.
  nt.iflag = (old.iflag & ~0xffff) | v.c_iflag;
  nt.oflag = (old.oflag & ~0xffff) | v.c_oflag;
  nt.cflag = (old.cflag & ~0xffff) | v.c_cflag;
  nt.lflag = (old.lflag & ~0xffff) | v.c_lflag;
  nt.line = v.c_line;
  for (let i = 0; i < T.NCC; i++) nt.cc[i] = b[T.TERMIO_CC + i];
  keepLocked(tty, old, nt);
  if (flush) flushInput(tty);
  tty.termios = nt;
  nttySetTermios(k, tty, old);
  return 0;
}

/** TIOCSCTTY (Linux tiocsctty). */
function tiocsctty(k: Kernel, t: Task, f: File, tty: Tty, arg: number): number {
  const tg = t.tg;
  if (ttySessionStale(k, tty)) { tty.session = 0; tty.pgrp = 0; }
  if (tg.pid === tg.sid && tty.session === tg.sid) return 0;
  if (tg.pid !== tg.sid || tg.tty !== 0) return -EPERM;
  if (tty.session !== 0) {
    // Stealing another session's terminal: root with arg == 1 only.
    if (arg === 1 && isRoot(t)) sessionClearTty(k, tty.session);
    else return -EPERM;
  }
  if ((f.flags & O_ACCMODE) === O_WRONLY && !isRoot(t)) return -EPERM;
  procSetTty(tg, tty);
  return 0;
}

/** TIOCSPGRP (Linux tiocspgrp). */
function tiocspgrp(k: Kernel, t: Task, tty: Tty, arg: number): number {
  const jc = ttyCheckChange(k, t, tty, SIGTTOU);
  if (jc === -EIO) return -ENOTTY;
  if (jc !== 0) return jc;
  if (t.tg.tty !== tty.id || tty.session !== t.tg.sid) return -ENOTTY;
  const pgrp = getInt(k, t, arg);
  if (pgrp === null) return -EFAULT;
  if (pgrp < 0) return -EINVAL;
  if (!pgrpExists(k, pgrp)) return -ESRCH;
  if (!pgrpExists(k, pgrp, tty.session)) return -EPERM;
  tty.pgrp = pgrp;
  return 0;
}

function ttyIoctl(k: Kernel, t: Task, f: File, cmd0: number, arg: number): number {
  const tty = fileTty(f);
  if (!tty) return -EIO;
  return ttyIoctlOn(k, t, f, tty, cmd0, arg, false);
}

/**
 * The terminal ioctls on `tty`. `viaMaster`: the call came through a pty
 * master and acts on its slave (Linux's real_tty): the "is it your
 * controlling terminal" checks of TIOCGPGRP and TIOCGSID do not apply then.
 */
export function ttyIoctlOn(k: Kernel, t: Task, f: File, tty: Tty, cmd0: number, arg: number, viaMaster: boolean): number {
  const cmd = cmd0 >>> 0;
  const mm = t.mm;
  const out = (b: Uint8Array): number => (mm && copyout(k.mmctx, mm, arg, b) === 0 ? 0 : -EFAULT);
  switch (cmd) {
    case TCGETS: return out(T.encodeTermios(tty.termios));
    case TCGETS2: return out(T.encodeTermios(tty.termios, true));
    case TCSETS: case TCSETSW: return setTermios(k, t, tty, arg, T.TERMIOS_SIZE, false);
    case TCSETSF: return setTermios(k, t, tty, arg, T.TERMIOS_SIZE, true);
    case TCSETS2: case TCSETSW2: return setTermios(k, t, tty, arg, T.TERMIOS2_SIZE, false);
    case TCSETSF2: return setTermios(k, t, tty, arg, T.TERMIOS2_SIZE, true);
    case TCGETA: return out(termioBytes(tty.termios));
    case TIOCGLCKTRMIOS: return tty.lockedTermios ? out(T.encodeTermios(tty.lockedTermios)) : out(new Uint8Array(T.TERMIOS_SIZE));
    case TIOCSLCKTRMIOS: return setLockedTermios(k, t, tty, arg);
    case TCSETA: case TCSETAW: return setTermio(k, t, tty, arg, false);
    case TCSETAF: return setTermio(k, t, tty, arg, true);
    case TIOCGWINSZ: {
      const w = tty.winsize;
      return out(pack(T.WINSIZE, { ws_row: w.row, ws_col: w.col, ws_xpixel: w.xpixel, ws_ypixel: w.ypixel }));
    }
    case TIOCSWINSZ: {
      const b = new Uint8Array(T.WINSIZE.size);
      if (!mm || copyin(k.mmctx, mm, arg, b) < 0) return -EFAULT;
      const w = unpack(T.WINSIZE, b);
      setWinsize(k, tty, w.ws_row, w.ws_col, w.ws_xpixel, w.ws_ypixel);
      return 0;
    }
    case TIOCGPGRP:
      if (!viaMaster && t.tg.tty !== tty.id) return -ENOTTY;
      return putInt(k, t, arg, tty.pgrp);
    case TIOCSPGRP: return tiocspgrp(k, t, tty, arg);
    case TIOCGSID:
      if ((!viaMaster && t.tg.tty !== tty.id) || !tty.session) return -ENOTTY;
      return putInt(k, t, arg, tty.session);
    case TIOCSCTTY: return tiocsctty(k, t, f, tty, arg);
    case TIOCNOTTY:
      if (t.tg.tty !== tty.id) return -ENOTTY;
      if (t.tg.pid === t.tg.sid) disassociateCtty(k, t.tg, false);
      else t.tg.tty = 0;
      return 0;
    case FIONREAD: return putInt(k, t, arg, nttyReadable(tty));
    case TIOCOUTQ: return putInt(k, t, arg, 0); // output leaves at once
    case TCFLSH: {
      const jc = ttyCheckChange(k, t, tty, SIGTTOU);
      if (jc !== 0) return jc;
      if (arg !== TCIFLUSH && arg !== TCOFLUSH && arg !== TCIOFLUSH) return -EINVAL;
      if (arg !== TCOFLUSH) flushInput(tty);
      return 0;
    }
    case TCXONC: {
      const jc = ttyCheckChange(k, t, tty, SIGTTOU);
      if (jc !== 0) return jc;
      switch (arg) {
        case TCOOFF: tty.stopped = true; return 0;
        case TCOON: tty.stopped = false; wakeUp(k, tty.wait); return 0;
        case TCIOFF: if (tty.termios.cc[T.VSTOP]) ttyOutput(k, tty, [tty.termios.cc[T.VSTOP]]); return 0;
        case TCION: if (tty.termios.cc[T.VSTART]) ttyOutput(k, tty, [tty.termios.cc[T.VSTART]]); return 0;
        default: return -EINVAL;
      }
    }
    case TCSBRK: case TCSBRKP: case TIOCSBRK: case TIOCCBRK: return 0; // output is always drained
    case TIOCSTI: {
      if (t.tg.tty !== tty.id && !isRoot(t)) return -EPERM;
      const b = new Uint8Array(1);
      if (!mm || copyin(k.mmctx, mm, arg, b) < 0) return -EFAULT;
      nttyReceive(k, tty, b);
      return 0;
    }
    case TIOCEXCL: tty.exclusive = true; return 0;
    case TIOCNXCL: tty.exclusive = false; return 0;
    case TIOCGEXCL: return putInt(k, t, arg, tty.exclusive ? 1 : 0);
    case TIOCGETD: return putInt(k, t, arg, tty.termios.line);
    case TIOCSETD: {
      const v = getInt(k, t, arg);
      if (v === null) return -EFAULT;
      return v === 0 ? 0 : -EINVAL; // only N_TTY
    }
    case TIOCGDEV: return putInt(k, t, arg, tty.id);
    case TIOCMGET: return putInt(k, t, arg, TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_CAR | TIOCM_DSR);
    case TIOCMSET: case TIOCMBIS: case TIOCMBIC: return getInt(k, t, arg) === null ? -EFAULT : 0;
    case TIOCGSOFTCAR: return putInt(k, t, arg, (tty.termios.cflag & T.CLOCAL) ? 1 : 0);
    case TIOCSSOFTCAR: {
      const v = getInt(k, t, arg);
      if (v === null) return -EFAULT;
      tty.termios.cflag = v ? tty.termios.cflag | T.CLOCAL : tty.termios.cflag & ~T.CLOCAL;
      return 0;
    }
    case TIOCCONS: return isRoot(t) ? 0 : -EPERM;
    case TIOCVHANGUP:
      if (!isRoot(t)) return -EPERM;
      if (tty.session) {
        killPgrp(k, tty.pgrp, 1);
        sessionClearTty(k, tty.session);
        tty.session = 0;
        tty.pgrp = 0;
      }
      return 0;
    case FIONBIO: {
      const v = getInt(k, t, arg);
      if (v === null) return -EFAULT;
      f.flags = v ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
      return 0;
    }
    case FIOASYNC: return 0;
    default: return -ENOTTY;
  }
}

/** A new window size: SIGWINCH to the foreground group when it changed (TIOCSWINSZ, host resize). */
export function setWinsize(k: Kernel, tty: Tty, row: number, col: number, xpixel = 0, ypixel = 0): void {
  const w = tty.winsize;
  if (w.row === row && w.col === col && w.xpixel === xpixel && w.ypixel === ypixel) return;
  tty.winsize = { row, col, xpixel, ypixel };
  if (tty.pgrp) killPgrp(k, tty.pgrp, SIGWINCH);
}

/** File operations of every tty; `open` is per device. */
const ttyOps: FileOps = {
  read: ttyRead,
  write: ttyWrite,
  poll: ttyPoll,
  ioctl: ttyIoctl,
};
export const ttyFops = defineFileOps("tty", ttyOps);

/** /dev/tty (5,0): the caller's controlling terminal. */
const TTY_CURRENT_FOPS = defineFileOps("tty.current", {
  ...ttyOps,
  open(k2, t, f) {
    const tty = ttyById(k2, t.tg.tty);
    if (!tty) return -ENXIO;
    return openTty(k2, t, f, tty, true);
  },
});

/** /dev/console (5,1): the console tty. */
const TTY_CONSOLE_FOPS = defineFileOps("tty.console", {
  ...ttyOps,
  open(k2, t, f) {
    const tty = consoleTty(k2);
    return tty ? openTty(k2, t, f, tty, true) : -ENXIO;
  },
});

/** A tty under its own device number (/dev/ttyS0): the device number is the tty's id. */
const TTY_DEVICE_FOPS = defineFileOps("tty.device", {
  ...ttyOps,
  open(k2, t, f) {
    const tt = ttyById(k2, f.inode.rdev);
    return tt ? openTty(k2, t, f, tt, false) : -ENXIO;
  },
});

/** The console tty (the one /dev/console redirects to). */
export function consoleTty(k: Kernel): Tty | undefined {
  const id = k.tty.consoleTty;
  return id === null ? undefined : ttyById(k, id);
}

/**
 * Register the tty character devices: /dev/tty (5,0) opens the caller's
 * controlling terminal; /dev/console (5,1) the console tty (never acquired
 * as a controlling terminal by opening it, as in Linux); and `tty` itself
 * under its own device number.
 */
export function registerTtyDevices(k: Kernel, console: Tty): void {
  k.tty.consoleTty = console.id;
  registerCharDevice(k, 5, 0, { name: "tty", fops: TTY_CURRENT_FOPS });
  registerCharDevice(k, 5, 1, { name: "console", fops: TTY_CONSOLE_FOPS });
  registerTtyDevice(k, console);
}

/** Register a tty under its own device number (/dev/ttyS0, later ptys). */
export function registerTtyDevice(k: Kernel, tty: Tty): void {
  const id = tty.id;
  ttys(k).set(id, tty);
  registerCharDevice(k, major(id), minor(id), { name: tty.name, fops: TTY_DEVICE_FOPS });
}

/** Make `tty` the controlling terminal of process `pid`'s session (boot code: init on the console). */
export function setControllingTty(k: Kernel, pid: number, tty: Tty): number {
  const tg = k.groups.get(pid);
  if (!tg) return -ESRCH;
  if (tty.session && tty.session !== tg.sid && sessionAlive(k, tty.session)) sessionClearTty(k, tty.session);
  procSetTty(tg, tty);
  return 0;
}

export const CONSOLE_DEV = makedev(5, 1);
export const TTY_DEV = makedev(5, 0);
export const TTYS0_DEV = makedev(4, 64);
