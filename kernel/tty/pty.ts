// Unix98 pseudo-terminals and the devpts file system (Linux's pty.c and
// devpts/inode.c). Opening /dev/ptmx (5,2) allocates a pair: the master is
// the opener's file, the slave appears as /dev/pts/N (136+N/256, N%256),
// owned by the opener, mode and group from devpts' mount options (Debian:
// gid=5,mode=620). Each end is a Tty with its own line discipline (n_tty.ts):
// what the master writes is the slave's input (so ^C typed into the master
// signals the slave's foreground group, and the slave's echo comes back to
// the master), what the slave writes goes through its output processing
// (ONLCR...) and becomes the master's input. The master's own termios is raw;
// the termios, window-size and job-control ioctls on the master act on the
// slave, as Linux's real_tty.
//
// Flow control: bytes an end cannot take yet wait in the pair's queue (up to
// PTY_BUF_LIMIT, Linux's flip-buffer limit); a writer that finds the queue
// full sleeps on its own tty's wait queue, which the reader's side wakes when
// it drains (the "unthrottle" driver hook).
//
// Lifetime: the slave opens with EIO while locked (TIOCSPTLCK; a new pair is
// locked until unlockpt). When the slave side's last file closes the master
// reads EIO and polls POLLHUP; when the master closes, the slave is hung up
// (its session leader gets SIGHUP and SIGCONT, reads return 0, writes EIO)
// and /dev/pts/N goes away; the pair is freed when both ends are closed.
//
// Concepts: C14 (devices are files: /dev/ptmx, /dev/pts/N), C26 (a pty's
// slave is a controlling terminal with sessions and a foreground group),
// C25 (job control through a pty).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { File, FileOps, IoCtx, Inode } from "../fs/vfs.js";
import { registerCharDevice, charDevices } from "../fs/chardev.js";
import { defineFsType, registerFsType, makedev, major, minor } from "../fs/fstypes.js";
import { createTmpfs, tmpfsAdd, tmpfsLookup } from "../fs/tmpfs/tmpfs.js";
import { openDentry } from "../fs/file.js";
import { lookupPath } from "../fs/namei.js";
import { installFd, fput } from "../fs/fdtable.js";
import { defineFileOps, iopsOf } from "../lib/fsops.js";
import { getUser32, putUser32 } from "../mm/uaccess.js";
import { wakeUp } from "../sched/wait.js";
import { sendSignalGroup } from "../signal/signal.js";
import { EAGAIN, EFAULT, EINVAL, EIO, ENOSPC, ENOTTY, ENXIO } from "../abi/errno.js";
import {
  O_ACCMODE, O_CLOEXEC, O_NOCTTY, O_NONBLOCK, POLLERR, POLLHUP, POLLIN, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM, S_IFCHR,
} from "../abi/fs.js";
import { SIGCONT, SIGHUP, SI_KERNEL } from "../abi/signal.js";
import {
  TCFLSH, FIONREAD, TIOCOUTQ, TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK, TIOCPKT, TIOCGPKT, TIOCGPTPEER, TIOCSIG, TIOCSPGRP,
  TIOCPKT_FLUSHREAD, TIOCPKT_FLUSHWRITE,
} from "../abi/ioctls.js";
import { TCIFLUSH, TCOFLUSH, TCIOFLUSH, B38400, CS8, CREAD, ICANON } from "../abi/termios.js";
import { RLIMIT_NOFILE } from "../abi/resource.js";
import { type Tty, type PtyPair, type DevptsState, createTty, defineTtyDriver, ttys } from "./tty.js";
import { nttyRead, nttyWrite, nttyPoll, nttyReceive, nttyRoom, inputAvailable, flushInput } from "./n_tty.js";
import { fileTty, openTty, ttyIoctlOn } from "./tty_io.js";
import { killPgrp } from "./job.js";

/** Bytes one end may have waiting for the other (Linux TTYB_DEFAULT_MEM_LIMIT). */
export const PTY_BUF_LIMIT = 65536;
/** Most pairs at once (Linux /proc/sys/kernel/pty/max default). */
export const PTY_MAX = 4096;
const PTM_MAJOR = 128, PTS_MAJOR = 136;

interface PtyFileInfo { tty: Tty; pty: number }

function pairOf(k: Kernel, f: File): PtyPair | undefined {
  const i = f.info as PtyFileInfo | null;
  return i ? k.tty.ptys.get(i.pty) : undefined;
}

function slaveDev(index: number): number { return makedev(PTS_MAJOR + (index >> 8), index & 0xff); }

/** The pair a /dev/pts/N device number names. */
function pairByRdev(k: Kernel, rdev: number): PtyPair | undefined {
  const ma = major(rdev);
  if (ma < PTS_MAJOR || ma > PTS_MAJOR + 7) return undefined;
  return k.tty.ptys.get((ma - PTS_MAJOR) * 256 + minor(rdev));
}

// ---------------------------------------------------------------- the link between the ends

/** Move what waits for `side` into its line discipline, as far as it has room. */
function pump(k: Kernel, pair: PtyPair, toMaster: boolean): void {
  const tty = toMaster ? pair.master : pair.slave;
  const q = toMaster ? pair.toMaster : pair.toSlave;
  // A canonical line being edited takes room too: a full line without its newline holds the writer back, as Linux.
  const room = nttyRoom(tty) - ((tty.termios.lflag & ICANON) ? tty.line.length + 1 : 0);
  if (room > 0 && q.length > 0) nttyReceive(k, tty, q.splice(0, Math.min(room, q.length)));
  tty.throttled = q.length > 0;
}

function ptyOfTty(k: Kernel, tty: Tty): PtyPair | undefined {
  const ma = major(tty.id);
  const base = ma >= PTS_MAJOR ? PTS_MAJOR : PTM_MAJOR;
  return k.tty.ptys.get((ma - base) * 256 + minor(tty.id));
}

/** The driver below a pty end: its output is the other end's input. */
function linkWrite(k: Kernel, tty: Tty, bytes: Uint8Array, toMaster: boolean): void {
  const pair = ptyOfTty(k, tty);
  if (!pair) return;
  if (!toMaster && pair.slaveFiles === 0 && pair.slaveClosed) return; // nobody will read it
  const q = toMaster ? pair.toMaster : pair.toSlave;
  for (let i = 0; i < bytes.length; i++) q.push(bytes[i]);
  pump(k, pair, toMaster);
}

/** The reader of one end made room: take more of the queue, and wake the other end's writers. */
function linkUnthrottle(k: Kernel, tty: Tty, isMaster: boolean): void {
  const pair = ptyOfTty(k, tty);
  if (!pair) return;
  pump(k, pair, isMaster);
  wakeUp(k, isMaster ? pair.slave.wait : pair.master.wait);
}

defineTtyDriver("pty_master", {
  write: (k, tty, b) => linkWrite(k, tty, b, false),
  unthrottle: (k, tty) => linkUnthrottle(k, tty, true),
});
defineTtyDriver("pty_slave", {
  write: (k, tty, b) => linkWrite(k, tty, b, true),
  unthrottle: (k, tty) => linkUnthrottle(k, tty, false),
});

/** Room left in the queue toward the other end. */
function space(pair: PtyPair, fromMaster: boolean): number {
  return PTY_BUF_LIMIT - (fromMaster ? pair.toSlave.length : pair.toMaster.length);
}

/** write(2) on either end: as much as the queue toward the other end takes. */
function linkedWrite(k: Kernel, t: Task, f: File, tty: Tty, pair: PtyPair, fromMaster: boolean, buf: Uint8Array, io: IoCtx): number {
  if (buf.length === 0) return 0;
  const room = space(pair, fromMaster);
  if (room <= 0) {
    if (f.flags & O_NONBLOCK) return -EAGAIN;
    io.wait = tty.wait;
    return -EAGAIN;
  }
  return nttyWrite(k, t, tty, f, buf.length > room ? buf.subarray(0, room) : buf, io);
}

// ---------------------------------------------------------------- allocation and release

/** The devpts instance (made on first use, as mounting or opening /dev/ptmx needs it). */
function devptsFs(k: Kernel): DevptsState {
  let d = k.tty.devpts;
  if (!d) {
    const { sb, root } = createTmpfs(k, 0o755);
    sb.fsType = "devpts";
    d = { sb, root, gid: -1, mode: 0o600 };
    k.tty.devpts = d;
    tmpfsAdd(k, root, "ptmx", S_IFCHR | 0o000, 0, 0, { rdev: makedev(5, 2) });
  }
  return d;
}

/** Mount options: gid=, mode=, ptmxmode= (others are accepted and ignored). */
function devptsOptions(k: Kernel, d: DevptsState, data: string): number {
  for (const opt of data.split(",")) {
    const [key, val] = opt.split("=");
    if (!key || val === undefined) continue;
    const n = key === "gid" ? parseInt(val, 10) : parseInt(val, 8);
    if (!Number.isFinite(n) || n < 0) return -EINVAL;
    if (key === "gid") d.gid = n;
    else if (key === "mode") d.mode = n & 0o7777;
    else if (key === "ptmxmode") {
      const ptmx = tmpfsLookup(d.root, "ptmx");
      if (ptmx) ptmx.mode = S_IFCHR | (n & 0o7777);
    }
  }
  return 0;
}

/** Offer "devpts" to mount(2) and register /dev/ptmx (5,2). */
export function registerDevpts(k: Kernel): void {
  registerFsType(k, "devpts");
  registerCharDevice(k, 5, 2, { name: "ptmx", fops: PTMX_FOPS });
}

defineFsType({
  name: "devpts",
  mount(k, _source, _flags, data) {
    const d = devptsFs(k);
    const r = devptsOptions(k, d, data);
    return r < 0 ? r : { sb: d.sb, root: d.root };
  },
});

function rawTermios(tty: Tty): void {
  const tm = tty.termios;
  tm.iflag = 0;
  tm.oflag = 0;
  tm.lflag = 0;
  tm.cflag = B38400 | CS8 | CREAD;
}

/** /dev/ptmx open: a new pair, locked, whose master is this file. */
function ptmxOpen(k: Kernel, t: Task, f: File): number {
  const d = devptsFs(k);
  let index = 0;
  while (k.tty.ptys.has(index)) index++;
  if (index >= PTY_MAX) return -ENOSPC;
  const master = createTty(makedev(PTM_MAJOR + (index >> 8), index & 0xff), `ptm${index}`, "pty_master");
  rawTermios(master);
  const slave = createTty(slaveDev(index), `pts/${index}`, "pty_slave");
  const pair: PtyPair = {
    index, master, slave, locked: true, packet: false, pktstatus: 0, masterFiles: 1, slaveFiles: 0,
    slaveClosed: false, hungUp: false, toMaster: [], toSlave: [],
  };
  k.tty.ptys.set(index, pair);
  ttys(k).set(master.id, master);
  ttys(k).set(slave.id, slave);
  // Straight into the table: registerCharDevice would also make a /dev node, and the node lives in devpts.
  charDevices(k).set((PTS_MAJOR + (index >> 8)) * 0x100000 + (index & 0xff), { name: `pts/${index}`, fops: PTS_FOPS });
  const c = t.tg.creds;
  tmpfsAdd(k, d.root, String(index), S_IFCHR | d.mode, c.fsuid, d.gid >= 0 ? d.gid : c.fsgid, { rdev: slave.id });
  f.info = { tty: master, pty: index } satisfies PtyFileInfo;
  return 0;
}

function removeNode(k: Kernel, pair: PtyPair): void {
  const d = k.tty.devpts;
  const name = String(pair.index);
  if (!d || !tmpfsLookup(d.root, name)) return;
  iopsOf(d.root).unlink?.(k, d.root, name);
}

function freePair(k: Kernel, pair: PtyPair): void {
  removeNode(k, pair);
  k.tty.ptys.delete(pair.index);
  ttys(k).delete(pair.master.id);
  ttys(k).delete(pair.slave.id);
  charDevices(k).delete((PTS_MAJOR + (pair.index >> 8)) * 0x100000 + (pair.index & 0xff));
}

/**
 * The master's last close hangs the slave up (Linux pty_close -> tty_vhangup):
 * every process of the slave's session loses it as controlling terminal, the
 * session leader gets SIGHUP and SIGCONT, and its files read 0 and write EIO.
 */
function hangupSlave(k: Kernel, pair: PtyPair): void {
  const s = pair.slave;
  pair.hungUp = true;
  if (s.session) {
    for (const tg of [...k.groups.values()]) {
      if (tg.sid !== s.session || tg.zombie) continue;
      if (tg.tty === s.id) tg.tty = 0;
      if (tg.pid !== tg.sid) continue;
      for (const sig of [SIGHUP, SIGCONT]) sendSignalGroup(k, tg, { signo: sig, code: SI_KERNEL, addr: 0, pid: 0, uid: 0, status: 0 });
    }
  }
  s.session = 0;
  s.pgrp = 0;
  pair.toSlave = [];
  wakeUp(k, s.wait);
  removeNode(k, pair);
}

function masterRelease(k: Kernel, f: File): void {
  const pair = pairOf(k, f);
  if (!pair) return;
  pair.masterFiles--;
  if (pair.masterFiles > 0) return;
  hangupSlave(k, pair);
  if (pair.slaveFiles === 0) freePair(k, pair);
}

function slaveRelease(k: Kernel, f: File): void {
  const pair = pairOf(k, f);
  if (!pair) return;
  pair.slaveFiles--;
  if (pair.slaveFiles > 0) return;
  pair.slaveClosed = true;
  wakeUp(k, pair.master.wait);
  if (pair.masterFiles === 0) freePair(k, pair);
}

/** /dev/pts/N open: EIO while locked or after the master closed. */
function ptsOpen(k: Kernel, t: Task, f: File): number {
  const pair = pairByRdev(k, f.inode.rdev);
  if (!pair) return -ENXIO;
  if (pair.hungUp || pair.locked) return -EIO;
  const r = openTty(k, t, f, pair.slave, false);
  if (r < 0) return r;
  f.info = { tty: pair.slave, pty: pair.index } satisfies PtyFileInfo;
  pair.slaveFiles++;
  pair.slaveClosed = false;
  return 0;
}

// ---------------------------------------------------------------- master file

function masterRead(k: Kernel, t: Task, f: File, buf: Uint8Array, _pos: number, io: IoCtx): number {
  const pair = pairOf(k, f);
  if (!pair) return -EIO;
  const m = pair.master;
  if (buf.length === 0) return 0;
  if (pair.packet && pair.pktstatus) {
    buf[0] = pair.pktstatus;
    pair.pktstatus = 0;
    return 1;
  }
  if (!inputAvailable(m, false) && pair.slaveClosed) return -EIO;
  if (!pair.packet) return nttyRead(k, t, m, f, buf, io);
  if (buf.length === 1) return nttyRead(k, t, m, f, buf.subarray(0, 0), io);
  const r = nttyRead(k, t, m, f, buf.subarray(1), io);
  if (r <= 0) return r;
  buf[0] = 0; // TIOCPKT_DATA
  return r + 1;
}

function masterWrite(k: Kernel, t: Task, f: File, buf: Uint8Array, _pos: number, io: IoCtx): number {
  const pair = pairOf(k, f);
  if (!pair) return -EIO;
  if (pair.slaveClosed && pair.slaveFiles === 0) return -EIO; // Linux n_tty_write: the other end has no files
  return linkedWrite(k, t, f, pair.master, pair, true, buf, io);
}

function masterPoll(k: Kernel, _t: Task, f: File, io: IoCtx): number {
  const pair = pairOf(k, f);
  if (!pair) return POLLERR | POLLHUP;
  const m = pair.master;
  io.wait = m.wait;
  let mask = 0;
  if (inputAvailable(m, true)) mask |= POLLIN | POLLRDNORM;
  if (pair.packet && pair.pktstatus) mask |= POLLPRI | POLLIN | POLLRDNORM;
  if (pair.slaveClosed) mask |= POLLHUP;
  if (space(pair, true) > 0 && !m.stopped) mask |= POLLOUT | POLLWRNORM;
  return mask;
}

function getInt(k: Kernel, t: Task, arg: number): number | null {
  return t.mm ? getUser32(k.mmctx, t.mm, arg) : null;
}

function putInt(k: Kernel, t: Task, arg: number, v: number): number {
  return t.mm && putUser32(k.mmctx, t.mm, arg, v) === 0 ? 0 : -EFAULT;
}

/** TIOCGPTPEER: open the slave of this master (Linux ptm_open_peer), a new descriptor. */
function openPeer(k: Kernel, t: Task, pair: PtyPair, flags: number): number {
  const d = lookupPath(k, t, `/dev/pts/${pair.index}`);
  if (typeof d === "number") return d;
  if (d.inode.rdev !== pair.slave.id) return -EIO;
  const f = openDentry(k, t, d, flags & (O_ACCMODE | O_NOCTTY | O_NONBLOCK));
  if (typeof f === "number") return f;
  const lim = t.tg.rlimits[RLIMIT_NOFILE];
  const fd = installFd(t.files, f, (flags & O_CLOEXEC) !== 0, 0, Math.min(lim ? lim.cur : 1024, 1 << 20), k.mmctx);
  if (fd < 0) fput(k, f);
  return fd;
}

/** Flushing one end's input: its queue too. */
function flushSide(pair: PtyPair, master: boolean): void {
  if (master) { flushInput(pair.master); pair.toMaster = []; }
  else { flushInput(pair.slave); pair.toSlave = []; }
}

function masterIoctl(k: Kernel, t: Task, f: File, cmd0: number, arg: number): number {
  const pair = pairOf(k, f);
  if (!pair) return -EIO;
  const cmd = cmd0 >>> 0;
  switch (cmd) {
    case TIOCGPTN: return putInt(k, t, arg, pair.index);
    case TIOCGPTLCK: return putInt(k, t, arg, pair.locked ? 1 : 0);
    case TIOCSPTLCK: {
      const v = getInt(k, t, arg);
      if (v === null) return -EFAULT;
      pair.locked = v !== 0;
      return 0;
    }
    case TIOCGPKT: return putInt(k, t, arg, pair.packet ? 1 : 0);
    case TIOCPKT: {
      const v = getInt(k, t, arg);
      if (v === null) return -EFAULT;
      if (v && !pair.packet) pair.pktstatus = 0;
      pair.packet = v !== 0;
      return 0;
    }
    case TIOCGPTPEER: return openPeer(k, t, pair, arg);
    case TIOCSIG: {
      if (arg < 1 || arg >= 65) return -EINVAL;
      if (pair.slave.pgrp) killPgrp(k, pair.slave.pgrp, arg);
      return 0;
    }
    // The master's own buffers.
    case FIONREAD: case TIOCOUTQ: return ttyIoctlOn(k, t, f, pair.master, cmd, arg, false);
    case TCFLSH: {
      if (arg !== TCIFLUSH && arg !== TCOFLUSH && arg !== TCIOFLUSH) return -EINVAL;
      if (arg !== TCOFLUSH) flushSide(pair, true);
      if (arg !== TCIFLUSH) flushSide(pair, false);
      return 0;
    }
    default: return ttyIoctlOn(k, t, f, pair.slave, cmd, arg, true);
  }
}

// ---------------------------------------------------------------- slave file

function slaveRead(k: Kernel, t: Task, f: File, buf: Uint8Array, _pos: number, io: IoCtx): number {
  const pair = pairOf(k, f);
  if (!pair || pair.hungUp) return 0;
  return nttyRead(k, t, pair.slave, f, buf, io);
}

function slaveWrite(k: Kernel, t: Task, f: File, buf: Uint8Array, _pos: number, io: IoCtx): number {
  const pair = pairOf(k, f);
  if (!pair || pair.hungUp) return -EIO;
  return linkedWrite(k, t, f, pair.slave, pair, false, buf, io);
}

function slavePoll(k: Kernel, _t: Task, f: File, io: IoCtx): number {
  const pair = pairOf(k, f);
  const hung = POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
  if (!pair || pair.hungUp) return hung;
  const s = pair.slave;
  let mask = nttyPoll(s, io) & ~(POLLOUT | POLLWRNORM);
  if (space(pair, false) > 0 && !s.stopped) mask |= POLLOUT | POLLWRNORM;
  return mask;
}

function slaveIoctl(k: Kernel, t: Task, f: File, cmd0: number, arg: number): number {
  const pair = pairOf(k, f);
  const cmd = cmd0 >>> 0;
  if (!pair || pair.hungUp) return cmd === TIOCSPGRP ? -ENOTTY : -EIO; // Linux hung_up_tty_ioctl
  switch (cmd) {
    case TIOCGPTN: case TIOCSPTLCK: case TIOCGPTLCK: case TIOCPKT: case TIOCGPKT: case TIOCSIG: return -ENOTTY;
    case TIOCGPTPEER: return -EIO; // only a master has a peer to open
    case TCFLSH: {
      const r = ttyIoctlOn(k, t, f, pair.slave, cmd, arg, false);
      if (r < 0) return r;
      // Input flushed: the queue toward the slave too; output flushed: what the master has not read.
      if (arg !== TCOFLUSH) {
        pair.toSlave = [];
        if (pair.packet) pair.pktstatus |= TIOCPKT_FLUSHREAD;
      }
      if (arg !== TCIFLUSH) {
        flushSide(pair, true);
        if (pair.packet) pair.pktstatus |= TIOCPKT_FLUSHWRITE;
      }
      wakeUp(k, pair.master.wait);
      return 0;
    }
    default: return ttyIoctlOn(k, t, f, pair.slave, cmd, arg, false);
  }
}

const masterOps: FileOps = {
  open: ptmxOpen, read: masterRead, write: masterWrite, poll: masterPoll, ioctl: masterIoctl, release: masterRelease,
};
const slaveOps: FileOps = {
  open: ptsOpen, read: slaveRead, write: slaveWrite, poll: slavePoll, ioctl: slaveIoctl, release: slaveRelease,
};
const PTMX_FOPS = defineFileOps("pty.master", masterOps);
const PTS_FOPS = defineFileOps("pty.slave", slaveOps);

/** Whether `f` is a pty master (for /proc views and tests). */
export function isPtyMaster(f: File): boolean {
  return f.ops === PTMX_FOPS && fileTty(f) !== null;
}

/** The devpts node of pair `index` (tests). */
export function ptsNode(k: Kernel, index: number): Inode | undefined {
  const d = k.tty.devpts;
  return d ? tmpfsLookup(d.root, String(index)) : undefined;
}
