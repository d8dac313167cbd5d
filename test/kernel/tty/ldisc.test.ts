// The line discipline, driven directly: bytes in as if typed, echo out as a
// terminal would show it, reads as a program would see them; ^C/^Z/^\ signal
// the foreground process group; termios, window size and process-group
// ioctls round-trip through user memory; background reads and writes get
// SIGTTIN/SIGTTOU. Also the UART console driver: input through the UART's
// registers and interrupt, throttling, output through THR.
// Concepts: C26, C25, C13, C11.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import type { Kernel } from "../../../kernel/index.js";
import { createVm } from "../../../vmm/vmm.js";
import { newThreadGroup, newTask } from "../../../kernel/proc/spawn.js";
import type { Task } from "../../../kernel/proc/task.js";
import type { File, FsContext, IoCtx } from "../../../kernel/fs/vfs.js";
import { createFdTable } from "../../../kernel/fs/fdtable.js";
import { makedev } from "../../../kernel/fs/fstypes.js";
import { createMM, mapRegion } from "../../../kernel/mm/mm.js";
import { PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED } from "../../../kernel/abi/mman.js";
import { copyin, copyout } from "../../../kernel/mm/uaccess.js";
import { createTty, registerTty, defineTtyDriver, type Tty } from "../../../kernel/tty/tty.js";
import { nttyReceive, nttyRead, nttyWrite, nttyPoll } from "../../../kernel/tty/n_tty.js";
import { POLLIN, POLLOUT } from "../../../kernel/abi/fs.js";
import { ttyFops } from "../../../kernel/tty/tty_io.js";
import { TCGETS, TCSETS, TCSETSF, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, TIOCNOTTY, FIONREAD, TIOCGSID, TCFLSH, TCGETS2 } from "../../../kernel/abi/ioctls.js";
import * as T from "../../../kernel/abi/termios.js";
import { sigBit } from "../../../kernel/abi/signal.js";
import { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIG_IGN } from "../../../kernel/abi/signal.js";
import { fileOps } from "../../../kernel/lib/fsops.js";
import { initConsole, consoleInput, consoleEndOfInput, uartStats } from "../../../kernel/drivers/uart.js";
import { lookupCharDevice } from "../../../kernel/fs/chardev.js";
import { EAGAIN, EIO, ERESTARTSYS, ENOTTY, ENXIO, EPERM } from "../../../kernel/abi/errno.js";

const core = loadCore();
const dec = new TextDecoder();
const enc = new TextEncoder();
const UBUF = 0x10000;

interface Rig { k: Kernel; tty: Tty; out: () => string; task: (pid: number, parentPid?: number) => Task }

/** What the capturing driver got, per kernel (a driver is code shared by every kernel; its output is per rig). */
const captured = new WeakMap<Kernel, string>();
defineTtyDriver("test", { write: (k, _t, b) => { captured.set(k, (captured.get(k) ?? "") + dec.decode(b)); } });

/** A kernel with a tty on a capturing driver, and helpers to make processes. */
function rig(): Rig {
  const k = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, clock: "instret" }).kernel;
  const tty = registerTty(k, createTty(makedev(136, 0), "pts/0", "test"));
  const task = (pid: number, parentPid?: number): Task => {
    const parent = parentPid !== undefined ? k.groups.get(parentPid) ?? null : null;
    const tg = newThreadGroup(k, pid, parent);
    const t = newTask(k, pid, tg, createFdTable(), { umask: 0o22, refs: 1 } as unknown as FsContext);
    const mm = createMM(k.mmctx)!;
    mapRegion(k.mmctx, mm, UBUF, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
    t.mm = mm;
    t.state = "R";
    return t;
  };
  return { k, tty, out: () => { const s = captured.get(k) ?? ""; captured.set(k, ""); return s; }, task };
}

function file(tty: Tty, flags = 2): File {
  return { flags, info: { tty }, pos: 0, refs: 1, ops: ttyFops } as unknown as File;
}

function read(r: Rig, t: Task, f: File, n = 256): { n: number; s: string; io: IoCtx } {
  const buf = new Uint8Array(n);
  const io: IoCtx = { wait: null };
  const got = nttyRead(r.k, t, r.tty, f, buf, io);
  return { n: got, s: got > 0 ? dec.decode(buf.subarray(0, got)) : "", io };
}

function type(r: Rig, s: string): void {
  nttyReceive(r.k, r.tty, enc.encode(s));
}

function ioctl(r: Rig, t: Task, f: File, cmd: number, arg = UBUF): number {
  return fileOps(ttyFops).ioctl!(r.k, t, f, cmd, arg);
}

function getTermios(r: Rig, t: Task, f: File): T.Termios {
  assert.equal(ioctl(r, t, f, TCGETS), 0);
  const b = new Uint8Array(T.TERMIOS_SIZE);
  copyin(r.k.mmctx, t.mm!, UBUF, b);
  return T.decodeTermios(b);
}

function setTermios(r: Rig, t: Task, f: File, tm: T.Termios, cmd = TCSETS): number {
  copyout(r.k.mmctx, t.mm!, UBUF, T.encodeTermios(tm));
  return ioctl(r, t, f, cmd);
}

function putInt(r: Rig, t: Task, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  copyout(r.k.mmctx, t.mm!, UBUF, b);
}

function getInt(r: Rig, t: Task): number {
  const b = new Uint8Array(4);
  copyin(r.k.mmctx, t.mm!, UBUF, b);
  return new DataView(b.buffer).getInt32(0, true);
}

/** A session leader (pid 100) owning the tty, with a shell-like foreground group. */
function session(r: Rig): { t: Task; f: File } {
  const t = r.task(100);
  const f = file(r.tty);
  assert.equal(ioctl(r, t, f, TIOCSCTTY, 0), 0);
  return { t, f };
}

test("canonical mode: echo with ONLCR, a line is readable only when complete", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "hello");
  assert.equal(r.out(), "hello");
  const blocked = read(r, t, f);
  assert.equal(blocked.n, -EAGAIN);
  assert.equal(blocked.io.wait, r.tty.wait, "a blocking read names the tty's wait queue");
  type(r, "\r");
  assert.equal(r.out(), "\r\n", "CR is echoed as a newline, translated to CR LF on output");
  const got = read(r, t, f);
  assert.equal(got.s, "hello\n", "ICRNL turned the CR into NL");
});

test("canonical mode: a read returns at most one line, and partial reads keep the rest", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "one\ntwo\n");
  assert.equal(read(r, t, f).s, "one\n");
  assert.equal(read(r, t, f, 2).s, "tw");
  assert.equal(read(r, t, f).s, "o\n");
  assert.equal(read(r, t, f).n, -EAGAIN);
});

test("line editing: ERASE, WERASE, KILL and their echo", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "abc\x7f\x7fd\n");
  assert.equal(r.out(), "abc\b \b\b \bd\r\n", "ECHOE erases visually");
  assert.equal(read(r, t, f).s, "ad\n");
  type(r, "foo bar\x17baz\n");
  assert.equal(read(r, t, f).s, "foo baz\n", "^W erased the last word");
  r.out();
  type(r, "gone\x15kept\n");
  assert.equal(r.out(), "gone\b \b\b \b\b \b\b \bkept\r\n", "ECHOKE erases the killed line");
  assert.equal(read(r, t, f).s, "kept\n");
  type(r, "x\x01\x7f\n");
  assert.equal(r.out(), "x^A\b \b\b \b\r\n", "a control character echoes as ^A and takes two columns");
  assert.equal(read(r, t, f).s, "x\n");
  type(r, "\tz\x7f\x7f\n");
  assert.equal(r.out(), "\tz\b \b" + "\b".repeat(8) + "\r\n", "erasing a tab moves back to where it started");
  assert.equal(read(r, t, f).s, "\n");
  type(r, "é\x7f!\n");
  assert.equal(read(r, t, f).s, "!\n", "a multi-byte UTF-8 character is erased whole");
});

test("EOF: ^D ends a line without a newline; ^D on an empty line reads as end of file", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "abc\x04");
  assert.equal(r.out(), "abc", "^D is not echoed");
  assert.equal(read(r, t, f).s, "abc");
  type(r, "\x04");
  assert.equal(read(r, t, f).n, 0);
  assert.equal(read(r, t, f).n, -EAGAIN, "the EOF mark is consumed");
});

test("LNEXT takes the next character literally; EOL ends a line", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "a\x16\x7fb\n");
  assert.equal(read(r, t, f).s, "a\x7fb\n");
  const tm = getTermios(r, t, f);
  tm.cc[T.VEOL] = ";".charCodeAt(0);
  assert.equal(setTermios(r, t, f, tm), 0);
  type(r, "x;y");
  assert.equal(read(r, t, f).s, "x;");
});

test("^C sends SIGINT to the foreground process group only, echoes ^C and flushes input", () => {
  const r = rig();
  const { t: shell, f } = session(r);
  const job = r.task(200, 100);
  job.tg.pgid = 200;
  const job2 = r.task(201, 100);
  job2.tg.pgid = 200;
  putInt(r, shell, 200);
  assert.equal(ioctl(r, shell, f, TIOCSPGRP), 0);
  type(r, "partial\x03");
  assert.equal(r.out(), "partial^C");
  assert.ok(job.tg.sharedPending & sigBit(SIGINT), "job got SIGINT");
  assert.ok(job2.tg.sharedPending & sigBit(SIGINT), "the whole group got it");
  assert.equal(shell.tg.sharedPending & sigBit(SIGINT), 0n, "the background shell did not");
  type(r, "\n");
  assert.equal(read(r, job, f).s, "\n", "the partial line was flushed");
  type(r, "\x1a");
  assert.ok(job.tg.sharedPending & sigBit(SIGTSTP), "^Z is SIGTSTP");
  type(r, "\x1c");
  assert.ok(job.tg.sharedPending & sigBit(SIGQUIT), "^\\ is SIGQUIT");
});

test("ISIG off: ^C is an ordinary byte", () => {
  const r = rig();
  const { t, f } = session(r);
  const tm = getTermios(r, t, f);
  tm.lflag &= ~(T.ISIG | T.ICANON | T.ECHO);
  assert.equal(setTermios(r, t, f, tm), 0);
  type(r, "\x03");
  assert.equal(t.tg.sharedPending & sigBit(SIGINT), 0n);
  assert.equal(read(r, t, f).s, "\x03");
});

test("non-canonical mode: VMIN/VTIME; leaving canonical mode releases the edited line", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "ab");
  assert.equal(r.out(), "ab");
  const tm = getTermios(r, t, f);
  tm.lflag &= ~(T.ICANON | T.ECHO);
  tm.cc[T.VMIN] = 1;
  tm.cc[T.VTIME] = 0;
  assert.equal(setTermios(r, t, f, tm), 0);
  assert.equal(read(r, t, f).s, "ab", "the partly edited line became readable");
  assert.equal(read(r, t, f).n, -EAGAIN, "VMIN=1: blocks for a byte");
  type(r, "\r");
  assert.equal(read(r, t, f).s, "\n", "ICRNL still applies");
  assert.equal(r.out(), "", "no echo");
  tm.cc[T.VMIN] = 3;
  assert.equal(setTermios(r, t, f, tm), 0);
  type(r, "xy");
  assert.equal(read(r, t, f).n, -EAGAIN, "VMIN=3: two bytes are not enough");
  assert.equal(nttyPoll(r.tty, { wait: null }) & POLLIN, 0, "poll agrees");
  type(r, "z");
  assert.equal(nttyPoll(r.tty, { wait: null }) & POLLIN, POLLIN);
  assert.equal(read(r, t, f).s, "xyz");
  tm.cc[T.VMIN] = 0;
  assert.equal(setTermios(r, t, f, tm), 0);
  assert.equal(read(r, t, f).n, 0, "VMIN=0 VTIME=0: polling read returns 0 at once");
  tm.cc[T.VTIME] = 5;
  assert.equal(setTermios(r, t, f, tm), 0);
  const timed = read(r, t, f);
  assert.equal(timed.n, -512, "VTIME: the reader sleeps (ERESTARTSYS) with a deadline");
  assert.equal(t.state, "S");
  assert.ok(t.wakeAt > 0);
  assert.ok(r.k.timers.some((x) => x.kind === "wake" && x.task === t), "a timer will wake it");
});

test("raw echo with ECHOCTL shows control characters as ^X", () => {
  const r = rig();
  const { t, f } = session(r);
  const tm = getTermios(r, t, f);
  tm.lflag &= ~T.ICANON;
  tm.iflag &= ~T.ICRNL;
  assert.equal(setTermios(r, t, f, tm), 0);
  type(r, "a\x1b\r");
  assert.equal(r.out(), "a^[^M");
});

test("output processing: ONLCR, tabs expanded with XTABS, raw output without OPOST", () => {
  const r = rig();
  const { t, f } = session(r);
  const io: IoCtx = { wait: null };
  assert.equal(nttyWrite(r.k, t, r.tty, f, enc.encode("a\nb"), io), 3);
  assert.equal(r.out(), "a\r\nb");
  const tm = getTermios(r, t, f);
  tm.oflag |= T.XTABS;
  assert.equal(setTermios(r, t, f, tm), 0);
  nttyWrite(r.k, t, r.tty, f, enc.encode("\rab\tc"), io);
  assert.equal(r.out(), "\rab      c");
  tm.oflag &= ~T.OPOST;
  assert.equal(setTermios(r, t, f, tm), 0);
  nttyWrite(r.k, t, r.tty, f, enc.encode("x\ny"), io);
  assert.equal(r.out(), "x\ny");
});

test("^S stops output (writers block), ^Q restarts it", () => {
  const r = rig();
  const { t, f } = session(r);
  type(r, "\x13");
  const io: IoCtx = { wait: null };
  assert.equal(nttyWrite(r.k, t, r.tty, f, enc.encode("x"), io), -EAGAIN);
  assert.equal(io.wait, r.tty.wait);
  assert.equal(nttyPoll(r.tty, { wait: null }) & POLLOUT, 0);
  type(r, "\x11");
  assert.equal(nttyWrite(r.k, t, r.tty, f, enc.encode("x"), io), 1);
  assert.equal(r.out(), "x");
});

test("termios round trip through TCGETS/TCSETS and TCGETS2; TCSETSF flushes input", () => {
  const r = rig();
  const { t, f } = session(r);
  const tm = getTermios(r, t, f);
  assert.equal(tm.iflag, T.ICRNL | T.IXON);
  assert.equal(tm.oflag, T.OPOST | T.ONLCR);
  assert.equal(tm.lflag, 0x8a3b);
  assert.equal(tm.cflag, 0x4bf);
  assert.deepEqual(tm.cc.slice(0, 17), [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0]);
  tm.lflag &= ~(T.ICANON | T.ECHO | T.ISIG);
  tm.cc[T.VMIN] = 0;
  assert.equal(setTermios(r, t, f, tm), 0);
  assert.deepEqual(getTermios(r, t, f), tm);
  assert.equal(ioctl(r, t, f, TCGETS2), 0);
  const b = new Uint8Array(T.TERMIOS2_SIZE);
  copyin(r.k.mmctx, t.mm!, UBUF, b);
  assert.equal(new DataView(b.buffer).getUint32(36, true), 38400, "c_ispeed");
  type(r, "junk");
  assert.equal(setTermios(r, t, f, tm, TCSETSF), 0);
  assert.equal(read(r, t, f).n, 0, "input was flushed");
  type(r, "more");
  assert.equal(ioctl(r, t, f, FIONREAD), 0);
  assert.equal(getInt(r, t), 4);
  assert.equal(ioctl(r, t, f, TCFLSH, 0), 0);
  assert.equal(read(r, t, f).n, 0);
});

test("window size: TIOCSWINSZ stores it and sends SIGWINCH to the foreground group", () => {
  const r = rig();
  const { t, f } = session(r);
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 50, true);
  dv.setUint16(2, 132, true);
  copyout(r.k.mmctx, t.mm!, UBUF, b);
  t.tg.sighand.actions[SIGWINCH].handler = 0x1234; // a handler, so the signal is not dropped as ignored
  assert.equal(ioctl(r, t, f, TIOCSWINSZ), 0);
  assert.ok(t.tg.sharedPending & sigBit(SIGWINCH));
  copyout(r.k.mmctx, t.mm!, UBUF, new Uint8Array(8));
  assert.equal(ioctl(r, t, f, TIOCGWINSZ), 0);
  copyin(r.k.mmctx, t.mm!, UBUF, b);
  assert.equal(dv.getUint16(0, true), 50);
  assert.equal(dv.getUint16(2, true), 132);
});

test("sessions: TIOCSCTTY rules, TIOCGSID, TIOCGPGRP/TIOCSPGRP checks, TIOCNOTTY", () => {
  const r = rig();
  const f = file(r.tty);
  const leader = r.task(100);
  const other = r.task(300);
  const child = r.task(101, 100);
  assert.equal(ioctl(r, child, f, TIOCSCTTY, 0), -EPERM, "not a session leader");
  assert.equal(ioctl(r, leader, f, TIOCSCTTY, 0), 0);
  assert.equal(leader.tg.tty, r.tty.id);
  assert.equal(r.tty.session, 100);
  assert.equal(ioctl(r, other, f, TIOCSCTTY, 0), -EPERM, "the tty belongs to another session");
  assert.equal(ioctl(r, other, f, TIOCGPGRP), -ENOTTY, "not its controlling tty");
  assert.equal(ioctl(r, leader, f, TIOCGSID), 0);
  assert.equal(getInt(r, leader), 100);
  putInt(r, leader, 999);
  assert.equal(ioctl(r, leader, f, TIOCSPGRP), -3, "no such process group: ESRCH");
  putInt(r, leader, 300);
  assert.equal(ioctl(r, leader, f, TIOCSPGRP), -EPERM, "a group of another session");
  child.tg.pgid = 101;
  putInt(r, leader, 101);
  assert.equal(ioctl(r, leader, f, TIOCSPGRP), 0);
  assert.equal(ioctl(r, leader, f, TIOCGPGRP), 0);
  assert.equal(getInt(r, leader), 101);
  // The leader gives the terminal up: the foreground group gets SIGHUP, everyone loses it.
  child.tg.sighand.actions[1].handler = 0x1000;
  child.tg.tty = r.tty.id;
  assert.equal(ioctl(r, leader, f, TIOCNOTTY), 0);
  assert.equal(leader.tg.tty, 0);
  assert.equal(child.tg.tty, 0);
  assert.equal(r.tty.session, 0);
  assert.ok(child.tg.sharedPending & sigBit(1), "SIGHUP to the foreground group");
  assert.equal(ioctl(r, other, f, TIOCSCTTY, 0), 0, "free again");
});

test("job control: background read gets SIGTTIN (EIO when ignored), TOSTOP write gets SIGTTOU", () => {
  const r = rig();
  const { t: shell, f } = session(r);
  const fg = r.task(200, 100);
  fg.tg.pgid = 200;
  const bg = r.task(300, 100);
  bg.tg.pgid = 300;
  putInt(r, shell, 200);
  assert.equal(ioctl(r, shell, f, TIOCSPGRP), 0);
  type(r, "line\n");
  assert.equal(read(r, bg, f).n, -ERESTARTSYS, "background read");
  assert.ok(bg.tg.sharedPending & sigBit(SIGTTIN), "SIGTTIN to the background group");
  assert.equal(read(r, fg, f).s, "line\n", "the foreground reads");
  bg.tg.sharedPending = 0n;
  bg.tg.sighand.actions[SIGTTIN].handler = SIG_IGN;
  assert.equal(read(r, bg, f).n, -EIO, "SIGTTIN ignored: EIO");
  const io: IoCtx = { wait: null };
  assert.equal(nttyWrite(r.k, bg, r.tty, f, enc.encode("x"), io), 1, "background writes are fine without TOSTOP");
  const tm = getTermios(r, shell, f);
  tm.lflag |= T.TOSTOP;
  putInt(r, shell, 0);
  assert.equal(setTermios(r, fg, f, tm), 0);
  assert.equal(nttyWrite(r.k, bg, r.tty, f, enc.encode("x"), io), -ERESTARTSYS);
  assert.ok(bg.tg.sharedPending & sigBit(SIGTTOU));
  bg.tg.sharedPending = 0n;
  assert.equal(setTermios(r, bg, f, tm), -ERESTARTSYS, "TCSETS from the background: SIGTTOU");
  assert.ok(bg.tg.sharedPending & sigBit(SIGTTOU));
  bg.sigmask |= sigBit(SIGTTOU);
  assert.equal(setTermios(r, bg, f, tm), 0, "with SIGTTOU blocked the change is allowed");
});

test("/dev/tty opens the controlling terminal, ENXIO without one", () => {
  const r = rig();
  initConsole(r.k);
  const devTty = lookupCharDevice(r.k, 5, 0)!;
  const t = r.task(100);
  const f = { flags: 2, info: null, pos: 0, refs: 1, ops: devTty.fops } as unknown as File;
  assert.equal(fileOps(devTty.fops).open!(r.k, t, f), -ENXIO);
  t.tg.tty = r.tty.id;
  assert.equal(fileOps(devTty.fops).open!(r.k, t, f), 0);
  assert.equal((f.info as { tty: Tty }).tty, r.tty);
});

test("console: a session leader opening ttyS0 acquires it, /dev/console never does", () => {
  const r = rig();
  const con = initConsole(r.k);
  const t = r.task(100);
  const viaConsole = { flags: 2, info: null } as unknown as File;
  assert.equal(fileOps(lookupCharDevice(r.k, 5, 1)!.fops).open!(r.k, t, viaConsole), 0);
  assert.equal(t.tg.tty, 0);
  const viaTtyS0 = { flags: 2, info: null, inode: { rdev: con.id } } as unknown as File;
  assert.equal(fileOps(lookupCharDevice(r.k, 4, 64)!.fops).open!(r.k, t, viaTtyS0), 0);
  assert.equal(t.tg.tty, con.id);
  assert.equal(con.session, 100);
});

test("UART console: input through the UART interrupt, output through THR, throttling, end of input", () => {
  const chunks: string[] = [];
  const k = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 << 20, clock: "instret", consoleOut: (b) => chunks.push(dec.decode(b)) }).kernel;
  const con = initConsole(k);
  const tg = newThreadGroup(k, 1, null);
  const t = newTask(k, 1, tg, createFdTable(), { umask: 0o22, refs: 1 } as unknown as FsContext);
  t.state = "R";
  const f = file(con);
  consoleInput(k, enc.encode("echo hi\r"));
  assert.equal(chunks.join(""), "echo hi\r\n", "echo went out through the UART");
  const buf = new Uint8Array(64);
  assert.equal(nttyRead(k, t, con, f, buf, { wait: null }), 8);
  assert.equal(dec.decode(buf.subarray(0, 8)), "echo hi\n");
  chunks.length = 0;
  assert.equal(nttyWrite(k, t, con, f, enc.encode("out\n"), { wait: null }), 4);
  assert.deepEqual(chunks, ["out\r\n"], "one write reaches the host as one batch");
  // Flood in raw mode: the line discipline takes 4096 bytes, the rest waits in the UART.
  con.termios.lflag &= ~(T.ICANON | T.ECHO);
  const big = new Uint8Array(10000).fill(0x61);
  consoleInput(k, big);
  assert.equal(con.rbuf.length, 4096);
  assert.ok(uartStats(k)!.throttled, "input throttled");
  assert.equal(k.machine.uart.rxPending, 10000 - 4096);
  let total = 0;
  const rb = new Uint8Array(4096);
  for (let i = 0; i < 10 && total < 10000; i++) {
    const n = nttyRead(k, t, con, f, rb, { wait: null });
    assert.ok(n > 0);
    total += n;
    // The unmasked interrupt is taken the next time the hart runs; here, by hand.
    if (k.machine.uart.rxPending) consoleInput(k, new Uint8Array(0));
  }
  assert.equal(total, 10000, "nothing was lost");
  consoleEndOfInput(k);
  assert.equal(nttyRead(k, t, con, f, rb, { wait: null }), 0, "end of input reads as end of file");
});
