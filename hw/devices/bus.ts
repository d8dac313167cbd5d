// The physical MMIO bus: given a physical address outside RAM and the CLINT
// (which the core handles itself), find the device whose window holds it and
// pass the access on with an offset into that window.
//
// Called on every device access, so it allocates nothing: the windows are kept
// in a sorted array searched by bisection, with the last device hit tried
// first (drivers tend to talk to one device at a time).
//
// Unmapped addresses. A read cannot return a sentinel such as -1 (any 32-bit
// value is valid data), so the bus reports faults out of band:
//   - read(pa, width) returns 0 for an unmapped address and sets `lastFault`;
//   - write(pa, width, value) returns false for an unmapped address (and sets
//     `lastFault` too, for symmetry);
//   - every access clears `lastFault` first, so the core checks it right after
//     the access and raises a load/store access fault (cause 5/7) when set.
// An access that starts inside a window but runs past its end is unmapped too.
// Faults are counted (`unmappedReads`, `unmappedWrites`) and the last faulting
// address is kept, for the machine's statistics. find(pa) gives the device
// without touching it, for a core that wants to check first.
//
// Concepts: C13 (device controllers at physical addresses on a bus).

import type { MmioDevice } from './device.js';

export interface Bus {
  /** Read `width` (1, 2, 4) bytes at physical address pa; 0 and lastFault = true when unmapped. */
  read(pa: number, width: number): number;
  /** Write; false (and lastFault = true) when unmapped. */
  write(pa: number, width: number, value: number): boolean;
  /** The device whose window holds pa, or undefined. */
  find(pa: number): MmioDevice | undefined;
  /** Did the last read or write hit no device? */
  readonly lastFault: boolean;
  readonly lastFaultAddress: number;
  readonly unmappedReads: number;
  readonly unmappedWrites: number;
  /** The devices, sorted by base address. */
  readonly devices: readonly MmioDevice[];
  /** The fault counters, for a machine snapshot (the last-hit cache is rebuilt by use). */
  save(): BusSaved;
  load(saved: BusSaved): void;
}

export interface BusSaved {
  lastFault: boolean;
  lastFaultAddress: number;
  unmappedReads: number;
  unmappedWrites: number;
}

export function createBus(devices: readonly MmioDevice[]): Bus {
  const sorted = [...devices].sort((a, b) => a.base - b.base);
  const n = sorted.length;
  const bases = new Float64Array(n);
  const ends = new Float64Array(n); // exclusive
  for (let i = 0; i < n; i++) {
    const d = sorted[i];
    if (!(d.size > 0)) throw new Error(`bus: device ${d.name} has an empty window`);
    bases[i] = d.base;
    ends[i] = d.base + d.size;
    if (i > 0 && bases[i] < ends[i - 1]) {
      throw new Error(`bus: ${d.name} at 0x${d.base.toString(16)} overlaps ${sorted[i - 1].name}`);
    }
  }
  let last = -1; // index of the device hit last
  let lastFault = false;
  let lastFaultAddress = 0;
  let unmappedReads = 0;
  let unmappedWrites = 0;

  /** Index of the device whose window holds [pa, pa + width), or -1. */
  function lookup(pa: number, width: number): number {
    if (last >= 0 && pa >= bases[last] && pa + width <= ends[last]) return last;
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (pa < bases[mid]) hi = mid - 1;
      else if (pa >= ends[mid]) lo = mid + 1;
      else {
        if (pa + width > ends[mid]) return -1; // straddles the end of the window
        last = mid;
        return mid;
      }
    }
    return -1;
  }

  return {
    devices: sorted,
    get lastFault(): boolean { return lastFault; },
    get lastFaultAddress(): number { return lastFaultAddress; },
    get unmappedReads(): number { return unmappedReads; },
    get unmappedWrites(): number { return unmappedWrites; },
    save(): BusSaved {
      return { lastFault, lastFaultAddress, unmappedReads, unmappedWrites };
    },
    load(saved: BusSaved): void {
      if (![saved.lastFaultAddress, saved.unmappedReads, saved.unmappedWrites].every((x) => Number.isSafeInteger(x) && x >= 0)) {
        throw new RangeError('bus: malformed saved state');
      }
      lastFault = saved.lastFault === true;
      lastFaultAddress = saved.lastFaultAddress;
      unmappedReads = saved.unmappedReads;
      unmappedWrites = saved.unmappedWrites;
    },
    find(pa: number): MmioDevice | undefined {
      const i = lookup(pa, 1);
      return i < 0 ? undefined : sorted[i];
    },
    read(pa: number, width: number): number {
      const i = lookup(pa, width);
      if (i < 0) {
        lastFault = true;
        lastFaultAddress = pa;
        unmappedReads++;
        return 0;
      }
      lastFault = false;
      return sorted[i].read(pa - bases[i], width);
    },
    write(pa: number, width: number, value: number): boolean {
      const i = lookup(pa, width);
      if (i < 0) {
        lastFault = true;
        lastFaultAddress = pa;
        unmappedWrites++;
        return false;
      }
      lastFault = false;
      sorted[i].write(pa - bases[i], width, value);
      return true;
    },
  };
}
