// The tty object (Linux's tty_struct): one terminal line with its settings
// (termios, window size), its session and foreground process group, and the
// line discipline's buffers. A tty talks to hardware through a driver chosen
// by name (the UART console, later ptys), so the tty itself stays plain data.
// Ttys are found by their device number, which is also what a process's
// controlling-terminal field (ThreadGroup.tty) and /proc/PID/stat's tty_nr hold.
//
// Concepts: C26 (controlling tty, sessions, foreground group), C13 (a driver
// per device), C14 (a device is a file).
import type { Kernel } from "../kernel.js";
import type { SuperBlock, Inode } from "../fs/vfs.js";
import { createWaitQueue, type WaitQueue } from "../sched/wait.js";
import { defaultTermios, type Termios } from "../abi/termios.js";
import { createRegistry, define } from "../lib/registry.js";

export interface Winsize { row: number; col: number; xpixel: number; ypixel: number }

/** What a tty needs from the device below it. */
export interface TtyDriver {
  /** Send output bytes (already processed by the line discipline) to the device. */
  write(k: Kernel, tty: Tty, bytes: Uint8Array): void;
  /** The line discipline has room for input again (after nttyRoom() said 0). */
  unthrottle?(k: Kernel, tty: Tty): void;
}

/** Counters shown in /proc/tty/driver-style views and tests. */
export interface TtyStats { rx: number; tx: number; signals: number }

export interface Tty {
  /** Device number (makedev): the controlling-tty id that ThreadGroup.tty holds. */
  readonly id: number;
  readonly name: string;
  /** Name of the driver (ttyDriver(name)). */
  readonly driver: string;
  termios: Termios;
  winsize: Winsize;
  /** Session that owns this tty as its controlling terminal (0 = none). */
  session: number;
  /** Foreground process group (0 = none). */
  pgrp: number;
  // ---- line discipline (n_tty) state ----
  /** Bytes ready for read(). */
  rbuf: number[];
  /** Canonical mode: lengths of the complete lines at the front of rbuf (0 = an EOF mark). */
  lineLens: number[];
  /** Canonical mode: the line being edited. */
  line: number[];
  /** The next input byte is taken literally (after VLNEXT). */
  lnext: boolean;
  /** Output column (for tab expansion and erasing). */
  column: number;
  /** Column where the line being edited began. */
  canonColumn: number;
  /** Output stopped by VSTOP / TCOOFF. */
  stopped: boolean;
  /** Input refused because the buffer is full; the driver holds the rest. */
  throttled: boolean;
  /** The far end will send no more input: reads return 0 once the buffer is empty. */
  hostEof: boolean;
  /** Kernel time (ns) of the last input byte (VTIME inter-byte timer). */
  lastRxNs: number;
  /**
   * TIOCSLCKTRMIOS: the locked termios (Linux's termios_locked). A nonzero bit of a flag word,
   * a nonzero line or cc[i] keeps that part of the settings as it is on every TCSETS*; absent = all zero.
   */
  lockedTermios?: Termios;
  /** TIOCEXCL: only root may open it again. */
  exclusive: boolean;
  /** Readers, writers and pollers sleep here. */
  readonly wait: WaitQueue;
  readonly stats: TtyStats;
}

/** Input buffer size (Linux N_TTY_BUF_SIZE). */
export const N_TTY_BUF_SIZE = 4096;

export function createTty(id: number, name: string, driver: string): Tty {
  return {
    id, name, driver, termios: defaultTermios(), winsize: { row: 24, col: 80, xpixel: 0, ypixel: 0 },
    session: 0, pgrp: 0, rbuf: [], lineLens: [], line: [], lnext: false, column: 0, canonColumn: 0,
    stopped: false, throttled: false, hostEof: false, lastRxNs: 0, exclusive: false,
    wait: createWaitQueue(`tty_read:${name}`), stats: { rx: 0, tx: 0, signals: 0 },
  };
}

/** All ttys by device number. */
export function ttys(k: Kernel): Map<number, Tty> {
  return k.tty.ttys;
}

export function registerTty(k: Kernel, tty: Tty): Tty {
  ttys(k).set(tty.id, tty);
  return tty;
}

/**
 * A Unix98 pty pair (tty/pty.ts): the master (what /dev/ptmx opened) and
 * the slave (/dev/pts/N), each a Tty with its own line discipline; what one
 * end writes is the other end's input.
 */
export interface PtyPair {
  readonly index: number;
  readonly master: Tty;
  readonly slave: Tty;
  /** TIOCSPTLCK: the slave cannot be opened (set when allocated, as Linux). */
  locked: boolean;
  /** TIOCPKT on the master. */
  packet: boolean;
  /** Packet-mode status bits waiting for the master's next read (TIOCPKT_FLUSHREAD...). */
  pktstatus: number;
  /** Open files of each end (a pair is freed when both reach 0). */
  masterFiles: number;
  slaveFiles: number;
  /** The slave was open and its last file closed: the master reads EIO (Linux TTY_OTHER_CLOSED). */
  slaveClosed: boolean;
  /** The master closed: the slave's files are hung up (read 0, write EIO). */
  hungUp: boolean;
  /** Bytes written to one end that the other's line discipline has no room for yet (Linux's flip buffers). */
  toMaster: number[];
  toSlave: number[];
}

/** The devpts instance (/dev/pts): its tree and mount options. */
export interface DevptsState {
  sb: SuperBlock;
  root: Inode;
  /** gid= and mode= for new /dev/pts/N nodes (-1: the opener's gid). */
  gid: number;
  mode: number;
}

/** The tty layer's state (k.tty): plain data, made at boot. */
export interface TtyState {
  /** All ttys by device number. */
  ttys: Map<number, Tty>;
  /** The console's tty (what /dev/console opens), once the console driver started. */
  consoleTty: number | null;
  /** Pty pairs by index (N of /dev/pts/N). */
  ptys: Map<number, PtyPair>;
  /** The devpts file system, once mounted. */
  devpts: DevptsState | null;
}

export function createTtyState(): TtyState {
  return { ttys: new Map(), consoleTty: null, ptys: new Map(), devpts: null };
}

/** Tty drivers' code by name (a Tty names its driver; lib/registry.ts). */
const TTY_DRIVERS = createRegistry<TtyDriver>("tty driver");

/** Define a tty driver (at module load). */
export function defineTtyDriver(name: string, d: TtyDriver): string {
  return define(TTY_DRIVERS, name, d);
}

/** The driver named `name`, if this build has one. */
export function ttyDriver(name: string): TtyDriver | undefined {
  return TTY_DRIVERS.byName.get(name);
}

/** Hand processed output to the tty's driver. */
export function driverWrite(k: Kernel, tty: Tty, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  tty.stats.tx += bytes.length;
  ttyDriver(tty.driver)?.write(k, tty, bytes);
}

/** The tty of a controlling-tty id, if it exists. */
export function ttyById(k: Kernel, id: number): Tty | undefined {
  return id ? ttys(k).get(id) : undefined;
}

/** /dev name of a tty id (for /proc and ps-style views): "ttyS0", "pts/0"... or "?" */
export function ttyName(k: Kernel, id: number): string {
  return ttyById(k, id)?.name ?? "?";
}
