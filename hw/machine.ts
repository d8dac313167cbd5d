// The machine: one WebAssembly.Memory holding hart state and guest RAM, the
// wasm core that executes instructions, and the TypeScript devices on the
// physical bus at QEMU virt addresses (PLIC, UART, virtio-mmio, test
// finisher, RTC; the CLINT lives inside the core). hw/ knows nothing about any
// kernel: whatever handles a trap is "the kernel" (DESIGN.md, "Layers").
//
// The machine runs harts in round-robin slices. Time is virtual by default:
// mtime advances with retired instructions (INSNS_PER_TICK instructions per
// 10 MHz tick), so a run repeats exactly; "host" time follows the host clock.
//
// Concepts: C11 (PLIC + CLINT), C13 (devices, DMA), C15 (registers, TLB, RAM).
import * as L from "./core/layout.js";
import { createBus, type Bus } from "./devices/bus.js";
import { createPlic, type Plic } from "./devices/plic.js";
import { createUart16550, type Uart16550 } from "./devices/uart16550.js";
import { createTestFinisher, type FinisherKind, type TestFinisher } from "./devices/test_finisher.js";
import { createGoldfishRtc, type GoldfishRtc } from "./devices/goldfish_rtc.js";
import { createVirtioMmio, VIRTIO_MMIO_SLOTS, type VirtioMmio } from "./devices/virtio_mmio.js";
import { createVirtioBlk, type VirtioBlk } from "./devices/virtio_blk.js";
import type { MmioDevice, GuestMemory } from "./devices/device.js";
import type { BlockBackend } from "./disk.js";
import { parseElf, loadSegments } from "./elf.js";
import { buildMachineDtb } from "./machine_dtb.js";
import { createJit, type Jit, type JitOptions } from "./jit/jit.js";

/** The functions exported by dist/core.wasm (hw/core/index.ts). */
export interface CoreExports {
  init(ramBytes: number, harts: number, pc: bigint): void;
  run(budget: number): number;
  retired(): number;
  selectHart(h: number): void;
  setPending(h: number, bit: number, level: number): void;
  advanceClock(insns: number): void;
  ticksToNextTimer(): number;
  hartWaiting(h: number): number;
  csrRead(csr: number): bigint;
  csrWrite(csr: number, v: bigint): number;
  flushTlb(): void;
  flushTlbPage(va: bigint): void;
  modeChanged(): void;
  flushTlbPageAllHarts(va: number): void;
  flushTlbAllHarts(): void;
  setSatp(ppn: number): void;
  /** Switch to the Sv39 root at `ppn` in address space `asid` (1..65535) without a TLB flush. */
  setSatpAsid(ppn: number, asid: number): void;
  /** sfence.vma va, asid on every hart: drop the non-global entries of `va` in `asid`. */
  flushTlbPageAsidAllHarts(va: number, asid: number): void;
  /** sfence.vma x0, asid on every hart: drop every non-global entry of `asid`. */
  flushTlbAsidAllHarts(asid: number): void;
  fpExec(insn: number): number;
  jitMarkCodePage(page: number): void;
  jitFlushAll(): void;
  /** Snapshot support (hw/snapshot.ts): read a core scalar that outlives a slice. */
  coreScalar(i: number): bigint;
  /** Snapshot support: set those scalars and rebuild derived state (TLBs, translation mode). */
  resync(now: bigint, hostWants: number, exc: number, excVal: bigint): void;
  /** Snapshot support: whether guest RAM page `page` (4 KiB) holds a nonzero byte. */
  ramPageNonZero(page: number): number;
}

export type ClockMode = "instret" | "host";

export interface MachineOptions {
  /** Guest RAM in bytes (default 128 MiB). */
  memBytes?: number;
  harts?: number;
  /** A block device on virtio-mmio slot 0 (the same as disks: [disk]). */
  disk?: BlockBackend;
  /** Block devices on virtio-mmio slots 0, 1, ... in order (the guest's vda, vdb, ...); at most VIRTIO_MMIO_SLOTS. */
  disks?: BlockBackend[];
  /** Bytes the guest writes to the UART. */
  onUartOutput?: (byte: number) => void;
  clock?: ClockMode;
  /** Instructions per mtime tick in "instret" mode (default 10: 100 MIPS of virtual time). */
  insnsPerTick?: number;
  /** The second execution tier (hw/jit): on (the default; an object: on, with these settings) or off (false). */
  jit?: boolean | JitOptions;
  /**
   * The real-time clock's reading at power-on, in ns since the epoch. Unset:
   * the RTC follows the host's wall clock. Set: the RTC starts there and runs
   * on the machine's own clock (mtime), so no host time reaches the guest
   * (deterministic runs).
   */
  rtcEpochNs?: number;
}

/**
 * The options a machine was made with, resolved to their defaults: what a
 * snapshot records so that a restore can check it has the same machine.
 */
export interface MachineConfig {
  readonly memBytes: number;
  readonly harts: number;
  readonly clock: ClockMode;
  /** Instructions per mtime tick in "instret" mode (0 in "host" mode). */
  readonly insnsPerTick: number;
  /** The RTC's fixed epoch (ns), or null when it follows the host's wall clock. */
  readonly rtcEpochNs: number | null;
  /** Whether the machine was made with the second execution tier on. */
  readonly jit: boolean;
}

export interface FinisherResult {
  kind: FinisherKind;
  code: number;
}

export interface MachineStats {
  instructions: number;
  tlbHits: number;
  tlbMisses: number;
  tlbFlushes: number;
  traps: number;
  interrupts: number;
}

export interface Machine {
  readonly memory: WebAssembly.Memory;
  readonly core: CoreExports;
  /** Guest RAM (physical 0x80000000 is ram[0]). */
  readonly ram: Uint8Array;
  readonly memBytes: number;
  readonly harts: number;
  /** Where mtime comes from: retired instructions or the host clock. */
  readonly clock: ClockMode;
  readonly bus: Bus;
  readonly plic: Plic;
  readonly uart: Uart16550;
  readonly virtio: VirtioMmio[];
  /** The first disk (slot 0), when there is one. */
  readonly blk?: VirtioBlk;
  /** Every disk, by slot (blks[0] is blk). */
  readonly blks: VirtioBlk[];
  readonly rtc: GoldfishRtc;
  readonly finisher: TestFinisher;
  /** The options the machine was made with (defaults filled in). */
  readonly config: MachineConfig;
  /** The second execution tier: switch it with jit.setEnabled(), read its counters with jit.stats(). */
  readonly jit: Jit;
  /** Set when the guest wrote the test finisher. */
  finished: FinisherResult | null;
  /** The state block of hart h (active or saved), as 64-bit words. */
  hartState(h: number): BigUint64Array;
  /** Run all harts for up to `budget` instructions each; returns the exit reason of the last slice. */
  runSlice(budget: number): number;
  /** Whether every hart sleeps in wfi with no timer armed. */
  idle(): boolean;
  /** The CLINT's mtime (10 MHz ticks). */
  mtime(): bigint;
  /** mtime as a number (exact below 2^53 ticks: 28 years). */
  mtimeNumber(): number;
  setMtime(t: bigint): void;
  /** Before running a hart: in "host" clock mode, bring mtime up to the host clock. */
  syncClock(): void;
  /** After running a hart for `insns` instructions: in "instret" mode, advance mtime. */
  tickClock(insns: number): void;
  stats(): MachineStats;
  /**
   * After mtime was set from a snapshot: in "host" clock mode, let the host
   * clock continue from the current mtime (instead of from power-on), so that
   * time neither jumps nor stands still across a restore. No-op in "instret" mode.
   */
  resumeClock(): void;
}

const WASM_PAGE = 65536;
export const DEFAULT_MEM = 128 * 1024 * 1024;
export const MAX_MEM = 2048 * 1024 * 1024;

/**
 * Compile the core; `wasmBytes` comes from dist/core.wasm (the host loads it).
 * A compiled module is immutable and can back any number of machines: the
 * host keeps one per process (host/node/core.ts), hw/ keeps no state.
 */
export function compileCore(wasmBytes: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  return new WebAssembly.Module(wasmBytes);
}

export function createMachine(module: WebAssembly.Module, opts: MachineOptions = {}): Machine {
  const memBytes = opts.memBytes ?? DEFAULT_MEM;
  const harts = opts.harts ?? 1;
  if (!Number.isInteger(memBytes) || memBytes < 1 << 20 || memBytes > MAX_MEM || memBytes % 4096 !== 0) {
    throw new RangeError(`memory size must be a multiple of 4 KiB between 1 MiB and 2 GiB`);
  }
  if (!Number.isInteger(harts) || harts < 1 || harts > L.MAX_HARTS) {
    throw new RangeError(`hart count must be between 1 and ${L.MAX_HARTS}`);
  }
  const pages = Math.ceil((L.RAM_HOST + memBytes) / WASM_PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const ram = new Uint8Array(memory.buffer, L.RAM_HOST, memBytes);
  const guest: GuestMemory = { ram, ramBase: L.RAM_PA };

  let core: CoreExports | undefined;
  let hostWants = false;
  const target = {
    setPending(h: number, bit: number, level: boolean): void {
      core!.setPending(h, bit, level ? 1 : 0);
      hostWants = true;
    },
  };
  const plic = createPlic({ harts, target });
  const uart = createUart16550({ onTransmit: opts.onUartOutput ?? (() => {}), irqLine: plic });
  const machineRef: { finished: FinisherResult | null } = { finished: null };
  const finisher = createTestFinisher((kind, code) => {
    machineRef.finished = { kind, code };
    hostWants = true;
  });
  // A fixed epoch: the RTC reads epoch + the machine's own time (mtime, 10 MHz ticks).
  const rtcEpoch = opts.rtcEpochNs;
  const rtc = createGoldfishRtc({
    irqLine: plic,
    ...(rtcEpoch !== undefined ? { clock: () => BigInt(rtcEpoch) + mview[0] * 100n } : {}),
  });
  const virtio: VirtioMmio[] = [];
  const blks: VirtioBlk[] = [];
  const diskList = opts.disks ?? (opts.disk ? [opts.disk] : []);
  if (diskList.length > VIRTIO_MMIO_SLOTS) throw new RangeError(`machine: at most ${VIRTIO_MMIO_SLOTS} disks (got ${diskList.length})`);
  for (let slot = 0; slot < VIRTIO_MMIO_SLOTS; slot++) {
    if (slot < diskList.length) {
      const b = createVirtioBlk({ backend: diskList[slot] });
      blks.push(b);
      virtio.push(createVirtioMmio({ slot, irqLine: plic, mem: guest, device: b }));
    } else {
      virtio.push(createVirtioMmio({ slot, irqLine: plic }));
    }
  }
  const devices: MmioDevice[] = [plic, uart, finisher, rtc, ...virtio];
  const bus = createBus(devices);

  // The core calls translated regions through this table (hw/core/jit.ts).
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 64 });
  const jit = createJit(memory, table, memBytes, typeof opts.jit === "object" ? opts.jit : {});
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      table,
      ...jit.imports,
      abort(): void { throw new Error("wasm core aborted"); },
      mmioRead(addr: number, width: number): number {
        const v = bus.read(addr, width);
        return bus.lastFault ? -1 : v;
      },
      mmioWrite(addr: number, width: number, value: number): number {
        hostWants = false;
        if (!bus.write(addr, width, value)) return 1;
        return hostWants ? 2 : 0;
      },
    },
  });
  core = instance.exports as unknown as CoreExports;
  core.init(memBytes, harts, BigInt(L.RAM_PA));
  jit.attach(core);
  if (opts.jit !== false) jit.setEnabled(true);
  const mview = new BigUint64Array(memory.buffer, L.MACHINE, 8);
  const mwords = new Uint32Array(memory.buffer, L.MACHINE, 2);
  const clock = opts.clock ?? "instret";
  const insnsPerTick = clock === "instret" ? opts.insnsPerTick ?? 10 : 0;
  mview[L.M_INSNS_PER_TICK / 8] = BigInt(insnsPerTick);
  const config: MachineConfig = {
    memBytes, harts, clock, insnsPerTick, rtcEpochNs: rtcEpoch ?? null, jit: opts.jit !== false,
  };
  // Host clock mode: mtime = (performance.now() - hostT0) * 10 MHz; a restore moves hostT0.
  let hostT0 = performance.now();

  // The views hartState hands out, made once: the kernel asks at every
  // context switch and slice timer, and two typed arrays per call were
  // garbage on that path. The memory never grows (mwords above is kept too).
  const activeHart = new Uint32Array(memory.buffer, L.MACHINE + L.M_ACTIVE_HART, 1);
  const activeState = new BigUint64Array(memory.buffer, L.STATE, L.STATE_SIZE / 8);
  const savedState: BigUint64Array[] = [];
  for (let h = 0; h < harts; h++) savedState.push(new BigUint64Array(memory.buffer, L.HART_SAVE + h * L.STATE_SIZE, L.STATE_SIZE / 8));
  function hartState(h: number): BigUint64Array {
    if (h === activeHart[0]) return activeState;
    return savedState[h] ?? new BigUint64Array(memory.buffer, L.HART_SAVE + h * L.STATE_SIZE, L.STATE_SIZE / 8);
  }

  const m: Machine = {
    memory, core, ram, memBytes, harts, clock, bus, plic, uart, virtio, blk: blks[0], blks, jit, rtc, finisher, config,
    get finished() { return machineRef.finished; },
    set finished(v) { machineRef.finished = v; },
    hartState,
    runSlice(budget: number): number {
      const c = core!;
      m.syncClock();
      let reason = L.EXIT_BUDGET;
      let most = 0;
      for (let h = 0; h < harts; h++) {
        if (harts > 1) c.selectHart(h);
        reason = c.run(budget);
        const n = c.retired();
        if (n > most) most = n;
        if (machineRef.finished) break;
      }
      if (clock === "instret") {
        if (most === 0 && m.idle()) {
          // Every hart waits: jump virtual time to the next timer.
          const dt = c.ticksToNextTimer();
          if (dt > 0) mview[0] += BigInt(Math.ceil(dt));
        } else {
          c.advanceClock(most);
        }
      }
      return reason;
    },
    idle(): boolean {
      for (let h = 0; h < harts; h++) if (!core!.hartWaiting(h)) return false;
      return true;
    },
    mtime: () => mview[0],
    mtimeNumber: () => mwords[0] + mwords[1] * 4294967296,
    setMtime(t: bigint): void { if (t > mview[0]) mview[0] = t; },
    syncClock(): void {
      if (clock === "host") {
        const t = Math.floor((performance.now() - hostT0) * 10_000);
        if (t > mwords[0] + mwords[1] * 4294967296) {
          mwords[0] = t % 4294967296;
          mwords[1] = Math.floor(t / 4294967296);
        }
      }
    },
    tickClock(insns: number): void {
      if (clock === "instret") core!.advanceClock(insns);
    },
    stats(): MachineStats {
      const s: MachineStats = { instructions: 0, tlbHits: 0, tlbMisses: 0, tlbFlushes: 0, traps: 0, interrupts: 0 };
      for (let h = 0; h < harts; h++) {
        const st = hartState(h);
        s.instructions += Number(st[L.INSTRET / 8]);
        s.tlbHits += Number(st[L.TLB_HITS / 8]);
        s.tlbMisses += Number(st[L.TLB_MISSES / 8]);
        s.tlbFlushes += Number(st[L.TLB_FLUSHES / 8]);
        s.traps += Number(st[L.TRAPS / 8]);
        s.interrupts += Number(st[L.INTERRUPTS / 8]);
      }
      return s;
    },
    resumeClock(): void {
      if (clock === "host") hostT0 = performance.now() - m.mtimeNumber() / 10_000;
    },
  };
  return m;
}

/**
 * Load an ELF's PT_LOAD segments at their physical addresses in RAM and point
 * every hart at its entry. Throws ElfError for malformed files and RangeError
 * when a segment falls outside RAM.
 */
export function loadBareElf(m: Machine, bytes: Uint8Array): number {
  const elf = parseElf(bytes);
  const segs = loadSegments(elf).filter((s) => s.memsz > 0);
  if (segs.length === 0) throw new RangeError("the ELF file has nothing to load");
  for (const s of segs) {
    const off = s.paddr - L.RAM_PA;
    if (off < 0 || off + s.memsz > m.memBytes) {
      throw new RangeError(
        `segment at 0x${s.paddr.toString(16)} (+0x${s.memsz.toString(16)}) lies outside RAM ` +
        `0x80000000..0x${(L.RAM_PA + m.memBytes).toString(16)}`);
    }
    m.ram.set(bytes.subarray(s.offset, s.offset + s.filesz), off);
    m.ram.fill(0, off + s.filesz, off + s.memsz);
  }
  // Like QEMU's virt board without firmware: the device tree sits at the top
  // of RAM, and every hart starts with a0 = its hart id and a1 = the DTB.
  const dtb = buildMachineDtb({ memBase: L.RAM_PA, memSize: m.memBytes, harts: m.harts });
  const dtbOff = Math.floor((m.memBytes - dtb.length) / 0x200000) * 0x200000;
  const overlaps = segs.some((s) => s.paddr - L.RAM_PA < dtbOff + dtb.length && s.paddr - L.RAM_PA + s.memsz > dtbOff);
  if (!overlaps && dtbOff >= 0) m.ram.set(dtb, dtbOff);
  for (let h = 0; h < m.harts; h++) {
    const st = m.hartState(h);
    st[L.PC / 8] = BigInt(elf.entry);
    st[(L.X + 10 * 8) / 8] = BigInt(h);
    st[(L.X + 11 * 8) / 8] = overlaps ? 0n : BigInt(L.RAM_PA + dtbOff);
  }
  return elf.entry;
}

/**
 * Run until the guest writes the test finisher, with no host input (for
 * benchmarks and tests). Throws if `maxInstructions` pass or every hart waits
 * forever.
 */
export function runToFinish(m: Machine, maxInstructions = Number.MAX_SAFE_INTEGER, slice = 1 << 22): FinisherResult {
  while (!m.finished) {
    m.runSlice(slice);
    if (m.idle() && m.core.ticksToNextTimer() < 0) throw new Error("every hart waits in wfi and no timer is armed");
    if (m.stats().instructions > maxInstructions) throw new Error(`no finish after ${maxInstructions} instructions`);
  }
  return m.finished;
}
