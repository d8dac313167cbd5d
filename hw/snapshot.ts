// Whole-machine snapshots: the machine's half of snapshot/restore (issue 7).
// saveMachine() copies everything that makes a machine's future behaviour
// into plain data (numbers, strings, arrays, plain objects, typed arrays:
// structuredClone-able, and free of BigInt so a file layer may even use
// JSON for the small parts); restoreMachine() puts it into a fresh machine
// made with the same options, after which the machine runs on exactly as the
// saved one would have: in "instret" clock mode, the same instructions, the
// same UART bytes, the same finisher code at the same instruction count.
//
// Preconditions (the callers', not checked here):
//   - take a snapshot only between two runSlice()/core.run() calls, never
//     from inside a device callback (an MMIO access or a DMA is then half done);
//   - only when no host I/O is in flight (a disk backend request that has not
//     completed would be lost: its completion is not in the state);
//   - restore into a FRESH machine made with the same MachineOptions and the
//     same disk contents (the caller reopens the disk image; it is not saved).
//     A machine whose restoreMachine() threw must be thrown away.
//
// What is saved:
//   - config: memBytes, harts, clock mode, instructions per tick, the RTC
//     epoch option and JIT on/off (MachineConfig), and the disk's sector
//     count and read-only flag: restore checks them all (MachineStateError)
//     but JIT on/off, which the guest cannot see (see the JIT below);
//   - RAM, sparse: the indices of the 4 KiB pages that are not all zero and
//     their bytes, concatenated (the file layer compresses);
//   - the hart state blocks: the active hart's STATE block and the saved
//     blocks at HART_SAVE (registers, pc, privilege, every CSR, mtimecmp,
//     msip, the LR reservation, wfi state, counters), and the MACHINE block
//     (mtime, the instret-clock fraction, the active hart, the JIT counters);
//   - four core globals that outlive a slice (hw/core/index.ts coreScalar):
//     gMtimeNow (what host CSR reads of time/mip see between slices),
//     gHostWants (a device asked for the host: the next run() returns at
//     once), gExc/gExcVal (an exception raised by a host-side fpExec);
//   - every device: bus fault counters, PLIC (priorities, line levels,
//     pending, claimed, enables, thresholds, outputs, claim counts), UART
//     (registers, receive FIFO, host input not yet in the FIFO, IRQ level),
//     goldfish RTC (guest offset, latch, alarm), each virtio-mmio slot
//     (status, features, queue registers, ring indexes, interrupt status) and
//     virtio-blk (counters), the test finisher, and machine.finished.
//
// What is rebuilt, not saved (derived state; the reasons):
//   - the software TLBs of every hart: a pure cache (an entry exists only
//     when the access is allowed and needs no A/D update), emptied by
//     core.resync(), which also clears SUPERPAGE_CACHED and resets the ASID
//     banks in each hart block (mmu.ts asidReset: bank 0 for satp's ASID),
//     and the global-entry bytes (TLB_GLOBAL, read only beside a live entry). A guest that edits a
//     PTE without sfence.vma may see the new PTE sooner after a restore; the
//     ISA allows either. TLB hit/miss counters go on from their saved values
//     but count differently from then on (the cache starts cold);
//   - the translation mode globals gDataBare, gFetchBare, gTlbR/W/X,
//     gTlbHart, gTlbBank, gDataPriv, gRamSize (mmu.ts): updateMode() in resync() and at
//     every run() entry;
//   - the JIT: translated regions, the entry table (JIT_ENTRIES, with its
//     hotness counts), the code-page marks (JIT_CODE_PAGES) and the function
//     table: dropped, and re-made as code gets hot again. Translated code runs
//     in lockstep with the interpreter (test/hw/jit/lockstep.ts), so when it
//     is made does not change what the guest sees. The target machine keeps
//     its own JIT on/off and hotness settings (M_JIT_ON, M_JIT_HOT);
//   - the RVC expansion table: built by core init() in every machine;
//   - per-run scratch, set at every run() entry before use: hart.ts gIpt,
//     gMtime0, gFrac0, gMax, gLimit, gStop, gRetired, gCount; mmu.ts
//     gTlbHits (committed to the hart block at every slice end), and
//     gClintWritten, csr.ts gCsrSideEffect (hints cleared at run() entry);
//     csr.ts gHostTrap and gCsrOk (results read right after the call that
//     set them); fpu.ts fl, tie, uM, uE, hi, lo (one operation's temporaries);
//     the SCRATCH area; the bus's last-hit index; virtio-blk's bounce buffer
//     and descriptor chain; the machine's hostWants (within one MMIO write).
//
// Host things are not state: onUartOutput, the BlockBackend (only its shape
// is checked), the WebAssembly.Module and Memory, the host clock origin
// ("host" clock mode continues from the saved mtime: machine.resumeClock()).
//
// Concepts: C84 (whole-system snapshot/restore: the machine's part), C15
// (registers, TLB and RAM as the machine's state), C13 (device state), C11
// (interrupt controller state).
import * as L from "./core/layout.js";
import type { Machine, MachineConfig, FinisherResult } from "./machine.js";
import type { BusSaved } from "./devices/bus.js";
import type { PlicSaved } from "./devices/plic.js";
import type { UartSaved } from "./devices/uart16550.js";
import type { GoldfishRtcSaved } from "./devices/goldfish_rtc.js";
import type { TestFinisherSaved } from "./devices/test_finisher.js";
import type { VirtioMmioSaved } from "./devices/virtio_mmio.js";

/** The machine-state format this module writes and reads. */
export const MACHINE_STATE_VERSION = 1;
/** RAM is saved in pages of this size. */
export const SNAPSHOT_PAGE = 4096;
/** Bytes of the MACHINE block saved: every M_* field lies below (the last is M_JIT_CHAINS at 120). */
export const MACHINE_BLOCK_BYTES = 128;

/** A bad or mismatched machine state; the message is one line that says what differs. */
export class MachineStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MachineStateError";
  }
}

export interface MachineState {
  format: "tsix-machine";
  version: number;
  config: MachineConfig & { disk: { sectors: number; readOnly: boolean } | null };
  ram: {
    pageSize: number;
    /** Indices (RAM offset / pageSize) of the saved pages, ascending. */
    pages: Uint32Array;
    /** Their bytes, pageSize each, in the order of `pages`; every other page is zero. */
    data: Uint8Array;
  };
  cpu: {
    /** The active hart's state block (STATE_SIZE bytes). */
    active: Uint8Array;
    /** The saved state blocks at HART_SAVE, harts * STATE_SIZE bytes. */
    saved: Uint8Array;
    /** The MACHINE block (MACHINE_BLOCK_BYTES). */
    machine: Uint8Array;
    /** Core globals that outlive a slice (see the header); 64-bit values as decimal strings. */
    mtimeNow: string;
    hostWants: boolean;
    exc: number;
    excVal: string;
  };
  finished: FinisherResult | null;
  devices: {
    bus: BusSaved;
    plic: PlicSaved;
    uart: UartSaved;
    rtc: GoldfishRtcSaved;
    finisher: TestFinisherSaved;
    virtio: VirtioMmioSaved[];
  };
}

function copyOut(m: Machine, at: number, bytes: number): Uint8Array {
  return new Uint8Array(m.memory.buffer, at, bytes).slice();
}

/**
 * Indices of the RAM pages holding a nonzero byte (the core scans them:
 * hw/core/index.ts ramPageNonZero), except those `skip` names.
 */
function nonZeroPages(m: Machine, skip?: (page: number) => boolean): Uint32Array {
  const pages = m.memBytes / SNAPSHOT_PAGE;
  const found = new Uint32Array(pages);
  let n = 0;
  for (let p = 0; p < pages; p++) if (!skip?.(p) && m.core.ramPageNonZero(p)) found[n++] = p;
  return found.slice(0, n);
}

export interface SaveOptions {
  /**
   * Pages of RAM (index = RAM offset / 4096) whose contents do not matter
   * and are restored as zeros: e.g. frames a kernel has free and zeroes
   * before use. They are not even scanned.
   */
  skipPage?: (page: number) => boolean;
}

/**
 * Copy the machine's whole state into plain data. Reads only: the machine
 * runs on afterwards as if nothing had happened. Call it between slices
 * (see the preconditions in the header).
 */
export function saveMachine(m: Machine, opts: SaveOptions = {}): MachineState {
  const pages = nonZeroPages(m, opts.skipPage);
  const data = new Uint8Array(pages.length * SNAPSHOT_PAGE);
  for (let i = 0; i < pages.length; i++) {
    const at = pages[i] * SNAPSHOT_PAGE;
    data.set(m.ram.subarray(at, at + SNAPSHOT_PAGE), i * SNAPSHOT_PAGE);
  }
  const c = m.core;
  const disk = m.blk ? { sectors: m.blk.backend.sectors, readOnly: m.blk.backend.readOnly } : null;
  return {
    format: "tsix-machine",
    version: MACHINE_STATE_VERSION,
    config: { ...m.config, disk },
    ram: { pageSize: SNAPSHOT_PAGE, pages, data },
    cpu: {
      active: copyOut(m, L.STATE, L.STATE_SIZE),
      saved: copyOut(m, L.HART_SAVE, m.harts * L.STATE_SIZE),
      machine: copyOut(m, L.MACHINE, MACHINE_BLOCK_BYTES),
      mtimeNow: c.coreScalar(0).toString(),
      hostWants: c.coreScalar(1) !== 0n,
      exc: Number(BigInt.asIntN(64, c.coreScalar(2))),
      excVal: c.coreScalar(3).toString(),
    },
    finished: m.finished ? { kind: m.finished.kind, code: m.finished.code } : null,
    devices: {
      bus: m.bus.save(),
      plic: m.plic.save(),
      uart: m.uart.save(),
      rtc: m.rtc.save(),
      finisher: m.finisher.save(),
      virtio: m.virtio.map((v) => v.save()),
    },
  };
}

const U64 = /^[0-9]{1,20}$/;

function describeDisk(d: { sectors: number; readOnly: boolean } | null | undefined): string {
  return d ? `a ${d.readOnly ? "read-only " : ""}disk of ${d.sectors} sectors` : "no disk";
}

/** Check everything that can be checked before the machine is touched. */
function validate(m: Machine, s: MachineState): void {
  if (s === null || typeof s !== "object" || s.format !== "tsix-machine") {
    throw new MachineStateError("this is not a tsix machine state");
  }
  if (s.version !== MACHINE_STATE_VERSION) {
    throw new MachineStateError(`machine state version ${String(s.version)} is not supported (this tsix reads version ${MACHINE_STATE_VERSION})`);
  }
  const want = s.config;
  const have = m.config;
  if (want === null || typeof want !== "object") throw new MachineStateError("the machine state has no configuration");
  const differ: string[] = [];
  const cmp = (name: string, a: unknown, b: unknown, show: (x: unknown) => string = String): void => {
    if (a !== b) differ.push(`${name} ${show(a)} (this machine: ${show(b)})`);
  };
  cmp("memory", want.memBytes, have.memBytes, (x) => `${Number(x) / (1 << 20)} MiB`);
  cmp("harts", want.harts, have.harts);
  cmp("clock", want.clock, have.clock);
  cmp("insns-per-tick", want.insnsPerTick, have.insnsPerTick);
  cmp("rtc epoch", want.rtcEpochNs, have.rtcEpochNs, (x) => (x === null ? "host clock" : String(x)));
  const disk = m.blk ? { sectors: m.blk.backend.sectors, readOnly: m.blk.backend.readOnly } : null;
  if (describeDisk(want.disk) !== describeDisk(disk)) differ.push(`${describeDisk(want.disk)} (this machine: ${describeDisk(disk)})`);
  if (differ.length > 0) {
    throw new MachineStateError(`the state was saved from another machine: ${differ.join(", ")}; make the machine with the same options`);
  }
  const r = s.ram;
  if (r === null || typeof r !== "object" || r.pageSize !== SNAPSHOT_PAGE || !(r.pages instanceof Uint32Array) ||
    !(r.data instanceof Uint8Array) || r.data.length !== r.pages.length * SNAPSHOT_PAGE) {
    throw new MachineStateError("the machine state's RAM part is malformed");
  }
  const pages = m.memBytes / SNAPSHOT_PAGE;
  for (let i = 0; i < r.pages.length; i++) {
    if (r.pages[i] >= pages || (i > 0 && r.pages[i] <= r.pages[i - 1])) {
      throw new MachineStateError(`the machine state's RAM page list is malformed at entry ${i}`);
    }
  }
  const c = s.cpu;
  if (c === null || typeof c !== "object" ||
    !(c.active instanceof Uint8Array) || c.active.length !== L.STATE_SIZE ||
    !(c.saved instanceof Uint8Array) || c.saved.length !== m.harts * L.STATE_SIZE ||
    !(c.machine instanceof Uint8Array) || c.machine.length !== MACHINE_BLOCK_BYTES ||
    typeof c.mtimeNow !== "string" || !U64.test(c.mtimeNow) || typeof c.excVal !== "string" || !U64.test(c.excVal) ||
    !Number.isInteger(c.exc) || c.exc < -1 || c.exc > 63 || typeof c.hostWants !== "boolean") {
    throw new MachineStateError("the machine state's hart part is malformed");
  }
  // The block's own record of the machine's shape must agree with the configuration.
  const mv = new DataView(c.machine.buffer, c.machine.byteOffset, c.machine.length);
  if (mv.getUint32(L.M_RAM_SIZE, true) !== (m.memBytes >>> 0) || mv.getUint32(L.M_NHARTS, true) !== m.harts ||
    mv.getUint32(L.M_ACTIVE_HART, true) >= m.harts) {
    throw new MachineStateError("the machine state's machine block does not match its configuration");
  }
  const d = s.devices;
  if (d === null || typeof d !== "object" || !Array.isArray(d.virtio) || d.virtio.length !== m.virtio.length ||
    [d.bus, d.plic, d.uart, d.rtc, d.finisher].some((x) => x === null || typeof x !== "object")) {
    throw new MachineStateError("the machine state's device part is malformed");
  }
  const f = s.finished;
  if (f !== null && (typeof f !== "object" || !["pass", "fail", "reset"].includes(f.kind) || !Number.isInteger(f.code))) {
    throw new MachineStateError("the machine state's finisher result is malformed");
  }
}

/**
 * Put a saved state into `m`, a fresh machine made with the same options
 * (and the same disk contents). Throws MachineStateError when the state is
 * malformed or was saved from a machine of another shape; checks that can be
 * made up front are made before anything changes.
 */
export function restoreMachine(m: Machine, s: MachineState): void {
  validate(m, s);
  const words = new Uint32Array(m.memory.buffer, L.MACHINE, MACHINE_BLOCK_BYTES / 4);
  // The JIT: drop every region this machine may have, and every entry slot.
  // Its on/off switch and hotness threshold are this machine's own settings.
  const jitOn = words[L.M_JIT_ON / 4];
  const jitHot = words[L.M_JIT_HOT / 4];
  if (m.jit.enabled) { m.jit.setEnabled(false); m.jit.setEnabled(true); }
  new Uint8Array(m.memory.buffer, L.JIT_ENTRIES, L.JIT_ENTRY_COUNT * L.JIT_ENTRY_SIZE).fill(0);
  new Uint8Array(m.memory.buffer, L.JIT_CODE_PAGES, m.memBytes / SNAPSHOT_PAGE).fill(0);

  // Devices first: their loads check shapes before changing anything, and
  // drive no interrupt lines (the harts' mip bits come from the hart blocks).
  try {
    m.bus.load(s.devices.bus);
    m.plic.load(s.devices.plic);
    m.uart.load(s.devices.uart);
    m.rtc.load(s.devices.rtc);
    m.finisher.load(s.devices.finisher);
    s.devices.virtio.forEach((v, i) => m.virtio[i].load(v));
  } catch (err) {
    if (err instanceof MachineStateError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new MachineStateError(`the machine state does not fit this machine: ${msg.split("\n")[0]}`);
  }

  // RAM: every page not all zero is cleared (in a fresh machine, none: reading
  // the untouched pages commits no memory, writing zeros over all of it would),
  // then the saved pages are written.
  const stale = nonZeroPages(m);
  for (let i = 0; i < stale.length; i++) m.ram.fill(0, stale[i] * SNAPSHOT_PAGE, (stale[i] + 1) * SNAPSHOT_PAGE);
  const { pages, data } = s.ram;
  for (let i = 0; i < pages.length; i++) {
    m.ram.set(data.subarray(i * SNAPSHOT_PAGE, (i + 1) * SNAPSHOT_PAGE), pages[i] * SNAPSHOT_PAGE);
  }

  // Harts and the machine block, then the core's own globals and caches.
  const mem = new Uint8Array(m.memory.buffer);
  mem.set(s.cpu.active, L.STATE);
  mem.set(s.cpu.saved, L.HART_SAVE);
  mem.set(s.cpu.machine, L.MACHINE);
  words[L.M_JIT_ON / 4] = jitOn;
  words[L.M_JIT_HOT / 4] = jitHot;
  m.core.resync(BigInt(s.cpu.mtimeNow), s.cpu.hostWants ? 1 : 0, s.cpu.exc, BigInt(s.cpu.excVal));
  m.finished = s.finished ? { kind: s.finished.kind, code: s.finished.code } : null;
  m.resumeClock();
}
