// Booting: from a fresh machine to PID 1, in three logged stages.
//   1. "firmware": probe the devices through their registers, as a kernel
//      reading the device tree would (virtio-mmio magic/version/device id of
//      each slot, the PLIC's priority width, the 16550 UART by its scratch
//      register, the RTC's clock), log one line per device, and start the
//      console driver on the UART;
//   2. the root file system: register the file-system types, unpack the
//      initramfs (cpio newc) into a tmpfs and mount /dev, /proc and /sys
//      (kernel/fs/init.ts), then the host directories asked for;
//   3. start PID 1 (/sbin/tsix-init, or the program given) with its stdio on
//      /dev/console, or on the host's own stdio where the caller asks.
// Every stage writes to the kernel log (dmesg, /proc/kmsg, syslog(2)); the
// host time boot took goes to k.stats.bootNs (the host's --stats; the log
// shows the kernel's own time instead in deterministic mode).
//
// Concepts: C10 (the boot sequence: firmware, kernel, initramfs, init),
// C13 (device controllers at bus addresses, found by probing), C25 (init).
import { startKthreads } from "./proc/kthread.js";
import type { Kernel } from "./kernel.js";
import { logInfo as klogInfo } from "./log.js";
import { nowNs } from "./time/clock.js";
import type { Task } from "./proc/task.js";
import { rootCreds } from "./proc/task.js";
import type { File, FsContext } from "./fs/vfs.js";
import * as L from "../hw/core/layout.js";
import { PT_INTERP } from "../hw/elf.js";
import { vfsInit, vfsInitDisk, openExec, stdioFiles, mountHost, type ExecTarget } from "./fs/init.js";
import type { HostFs } from "./fs/hostfs/hostfs.js";
import { registerProcFs } from "./fs/proc/root.js";
import { registerSysFs } from "./fs/sysfs/sysfs.js";
import { createFdTable, installFd } from "./fs/fdtable.js";
import { initConsole } from "./drivers/uart.js";
import { probeVirtioBlk } from "./drivers/virtio_blk.js";
import { createRamDisk } from "./block/ramdisk.js";
import { swaponAtBoot } from "./syscalls/swap.js";
import { rescanPartitions } from "./block/partitions.js";
import { hostStdioFile } from "./drivers/hostio.js";
import { spawnInit } from "./proc/spawn.js";
import { readElf } from "./proc/exec.js";
import { errnoName, ENOEXEC } from "./abi/errno.js";
import { bytesToStr, fromHost, toHost } from "./lib/bytestr.js";

export const DEFAULT_INIT = "/sbin/tsix-init";

export interface BootOptions {
  /** PID 1's program (default /sbin/tsix-init). */
  init?: string;
  /** PID 1's arguments after its name. */
  args?: string[];
  /** PID 1's environment (TERM from the host...). */
  env?: string[];
  /** Host directories to mount (--mount HOST:GUEST). */
  mounts?: { guest: string; host: HostFs; source: string }[];
  /**
   * Where PID 1's fds 0, 1, 2 go: the console (a tty), or the host's own
   * stdio (kernel/drivers/hostio.ts, set up by the caller). Default: console.
   */
  stdio?: ("console" | "host")[];
  /** The console's window size (the host terminal's). */
  winsize?: { rows: number; cols: number };
  /** A RAM disk /dev/ram0 of this many bytes (tsix run --ramdisk; Linux's brd.rd_size), none when 0 or absent. */
  ramdiskBytes?: number;
  /** Whole disks to swapon before init runs (tsix run --swap: its disk's name, e.g. vdb). */
  swap?: string[];
  /** The root file system's device (root=/dev/vda1): an ext2 partition mounted as "/" instead of the initramfs. */
  root?: string;
}

/** Boot failed: no init to run. */
export class BootError extends Error {}

/** Virtio device ids (virtio spec 5). */
const VIRTIO_NAMES: Record<number, string> = {
  1: "virtio-net", 2: "virtio-blk", 3: "virtio-console", 4: "virtio-rng", 16: "virtio-gpu", 18: "virtio-input",
};
const VIRTIO_MAGIC = 0x74726976; // "virt"
const hex = (n: number): string => n.toString(16);

/**
 * Milliseconds for the boot log's durations: the host's clock, or in
 * deterministic mode the kernel's own (virtual) time, so that no host timing
 * reaches the guest through dmesg.
 */
function bootMs(k: Kernel): number {
  return k.deterministic ? nowNs(k) / 1e6 : performance.now();
}

/** A kernel log line stamped with the time now (the clock only advances between slices otherwise). */
function logInfo(k: Kernel, text: string): void {
  k.machine.syncClock();
  klogInfo(k, text);
}

/** Stage 1: find the devices at their QEMU `virt` addresses through their registers. */
function probeDevices(k: Kernel): void {
  const bus = k.machine.bus;
  const misa = k.core.csrRead(0x301);
  let ext = "";
  for (let i = 0; i < 26; i++) if ((misa >> BigInt(i)) & 1n) ext += String.fromCharCode(97 + i);
  logInfo(k, `firmware: ${k.cpus.length} hart${k.cpus.length > 1 ? "s" : ""} rv64${ext}, ${k.machine.memBytes >> 20} MiB RAM at 0x${hex(L.RAM_PA)}`);
  logInfo(k, `firmware: clint@${hex(L.CLINT_BASE)}: timer at 10 MHz, Sstc (stimecmp)`);
  // PLIC: priority registers are WARL; the largest value that sticks gives the number of levels.
  const prio = L.PLIC_BASE + 4 * L.UART_IRQ;
  const saved = bus.read(prio, 4);
  bus.write(prio, 4, 0xffffffff);
  const levels = bus.read(prio, 4);
  bus.write(prio, 4, saved);
  logInfo(k, `firmware: plic@${hex(L.PLIC_BASE)}: interrupt controller, priorities 1-${levels}, ${2 * k.cpus.length} contexts`);
  // An 8250-family UART has a scratch register that keeps what is written.
  const scr = L.UART_BASE + 7;
  const old = bus.read(scr, 1);
  bus.write(scr, 1, 0x5a);
  const uart = bus.read(scr, 1) === 0x5a && !bus.lastFault;
  bus.write(scr, 1, old);
  logInfo(k, uart ? `firmware: uart16550@${hex(L.UART_BASE)}: irq ${L.UART_IRQ}` : `firmware: no UART at ${hex(L.UART_BASE)}`);
  const lo = bus.read(L.RTC_BASE, 4), hi = bus.read(L.RTC_BASE + 4, 4);
  const rtcMs = Math.floor((hi * 4294967296 + lo) / 1e6);
  logInfo(k, `firmware: goldfish-rtc@${hex(L.RTC_BASE)}: ${new Date(rtcMs).toISOString().replace(/\.\d+Z$/, " UTC")}`);
  let empty = 0;
  for (let slot = 0; slot < 8; slot++) {
    const base = L.VIRTIO_BASE + slot * 0x1000;
    if (bus.read(base, 4) !== VIRTIO_MAGIC) continue;
    const id = bus.read(base + 8, 4);
    if (id === 0) { empty++; continue; }
    const version = bus.read(base + 4, 4);
    logInfo(k, `firmware: virtio-mmio@${hex(base)}: ${VIRTIO_NAMES[id] ?? `device ${id}`} (version ${version}), irq ${L.VIRTIO_IRQ + slot}`);
  }
  if (empty) logInfo(k, `firmware: virtio-mmio@${hex(L.VIRTIO_BASE)}: ${empty} empty slot${empty > 1 ? "s" : ""}`);
}

/** The kernel's own context for work done before PID 1 exists: root credentials and the root file system. */
function bootContext(fs: FsContext): Task {
  const tg = { pid: 0, sid: -1, pgid: 0, tty: 0, creds: rootCreds(), comm: "swapper" };
  return { tid: 0, tg, fs, comm: "swapper" } as unknown as Task;
}

/** The program and its dynamic loader (PT_INTERP), as execve finds them. */
function openInit(k: Kernel, t: Task, path: string): { exe: ExecTarget; interp: ExecTarget | null } | number {
  const exe = openExec(k, t, path);
  if (typeof exe === "number") return exe;
  const elf = readElf(exe.file);
  if (typeof elf === "number") return elf;
  const pi = elf.phdrs.find((p) => p.type === PT_INTERP);
  if (!pi) return { exe, interp: null };
  const raw = exe.file.readAt(pi.offset, pi.filesz);
  const nul = raw.indexOf(0);
  const name = bytesToStr(nul >= 0 ? raw.subarray(0, nul) : raw);
  if (name === "") return -ENOEXEC;
  const interp = openExec(k, t, name);
  return typeof interp === "number" ? interp : { exe, interp };
}

/**
 * Boot the kernel on the initramfs `cpio` and start PID 1. Returns PID 1's
 * task; throws BootError when there is no init to run.
 */
export function bootKernel(k: Kernel, cpio: Uint8Array, optsIn: BootOptions = {}): Task {
  // The options are host text (UTF-16 strings from the CLI); the kernel deals in
  // byte strings (lib/bytestr.ts): init, its argv and envp and the mount points
  // become the bytes of their UTF-8 encoding here, at the boundary.
  const opts: BootOptions = {
    ...optsIn,
    init: optsIn.init === undefined ? undefined : fromHost(optsIn.init),
    args: optsIn.args?.map(fromHost),
    env: optsIn.env?.map(fromHost),
    mounts: optsIn.mounts?.map((m) => ({ ...m, guest: fromHost(m.guest) })),
    root: optsIn.root === undefined ? undefined : fromHost(optsIn.root),
  };
  // k.stats.bootNs is for the host (--stats) and always host time; the log, which the guest reads, uses bootMs.
  const host0 = performance.now();
  const t0 = bootMs(k);
  logInfo(k, "tsix: booting, Linux riscv64 system-call ABI");
  probeDevices(k);
  initConsole(k, opts.winsize);
  // Block devices: RAM disk, virtio disks and their MBR partitions (on a disk that answers later the scan finishes at its interrupt).
  if (opts.ramdiskBytes && opts.ramdiskBytes > 0) {
    const rd = createRamDisk(k, opts.ramdiskBytes);
    logInfo(k, `brd: module loaded, ${rd.name} of ${rd.sectors * 512 / 1024} KiB`);
  }
  for (const d of probeVirtioBlk(k)) rescanPartitions(k, null, d.dev);
  // --swap: its disk is swap from the start, before init runs (as a swapon in an initramfs would make it).
  for (const name of opts.swap ?? []) {
    const r = swaponAtBoot(k, name);
    if (r < 0) logInfo(k, `swapon /dev/${name} failed: ${errnoName(-r)}`);
  }
  logInfo(k, "console: ttyS0 on uart16550 is /dev/console");

  const t1 = bootMs(k);
  registerProcFs(k);
  registerSysFs(k);
  let fs;
  if (opts.root) {
    // Root on disk: the initramfs stays unused (it is the fallback when there is no root= disk).
    const r = vfsInitDisk(k, opts.root);
    if (typeof r === "string") {
      logInfo(k, `Kernel panic - not syncing: VFS: unable to mount root fs on ${opts.root}: ${r}`);
      throw new BootError(`cannot mount root ${opts.root}: ${r}`);
    }
    fs = r;
  } else {
    fs = vfsInit(k, cpio);
    logInfo(k, `initramfs: ${(cpio.length / 1048576).toFixed(1)} MiB unpacked into tmpfs in ${(bootMs(k) - t1).toFixed(0)} ms`);
  }
  const kt = bootContext(fs);
  for (const m of opts.mounts ?? []) {
    const r = mountHost(k, kt, m.guest, m.host, m.source);
    if (r < 0) throw new BootError(`cannot mount ${m.source} on ${toHost(m.guest)}: ${errnoName(-r)}`);
    logInfo(k, `hostfs: ${m.source} mounted on ${m.guest}`);
  }

  const path = opts.init ?? DEFAULT_INIT;
  const argv = [path, ...(opts.args ?? [])];
  k.sysinfo.cmdline = `console=ttyS0 ${opts.root ? `root=${opts.root} rw init` : "rdinit"}=${path}${opts.args?.length ? ` ${opts.args.join(" ")}` : ""}`;
  const prog = openInit(k, kt, path);
  if (typeof prog === "number") {
    logInfo(k, `Kernel panic - not syncing: cannot run ${path} as init: ${errnoName(-prog)}`);
    throw new BootError(`cannot run ${toHost(path)} as init (${errnoName(-prog)})`);
  }
  const stdio = opts.stdio ?? ["console", "console", "console"];
  const files = createFdTable();
  let con: File | null = null;
  for (let fd = 0 as 0 | 1 | 2; fd < 3; fd++) {
    if (stdio[fd] === "host") { installFd(files, hostStdioFile(k, fd), false); continue; }
    if (con) con.refs++;
    else { con = stdioFiles(k)[0]; con.refs = 1; }
    installFd(files, con, false);
  }
  logInfo(k, `Run ${path} as init process`);
  const t = spawnInit(k, prog.exe.file, prog.interp?.file ?? null, prog.exe.path, argv, opts.env ?? [], fs, files);
  if (typeof t === "number") {
    logInfo(k, `Kernel panic - not syncing: cannot run ${path} as init: ${errnoName(-t)}`);
    throw new BootError(`cannot run ${toHost(path)} as init (${errnoName(-t)})`);
  }
  // Kernel threads (PID 2 on): kswapd0.
  startKthreads(k, fs);
  k.stats.bootNs = Math.round((performance.now() - host0) * 1e6);
  logInfo(k, `boot: PID 1 started ${(bootMs(k) - t0).toFixed(1)} ms after power-on`);
  return t;
}
