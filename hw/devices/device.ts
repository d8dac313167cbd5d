// The contract between the wasm core and the memory-mapped devices written in
// TypeScript. The core handles RAM and the CLINT itself; every other physical
// address goes to the bus, which finds the device and calls read/write with an
// offset into the device's window. Devices raise interrupts through the PLIC
// and reach guest RAM only by DMA through GuestMemory, as real hardware does.
//
// Concepts: C13 (device controllers, DMA), C11 (interrupt lines).

/** A device register window on the physical bus. */
export interface MmioDevice {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** Read `width` bytes (1, 2 or 4) at `offset`, zero-extended, as an unsigned number.
   *  The core splits an 8-byte access into two 4-byte ones, low word first. */
  read(offset: number, width: number): number;
  /** Write the low `width` bytes (1, 2 or 4) of `value` at `offset`. */
  write(offset: number, width: number, value: number): void;
}

/** A device that can interrupt: the PLIC implements this. */
export interface IrqLine {
  /** Drive interrupt source `source` (1..1023) high or low (level-triggered). */
  setLevel(source: number, level: boolean): void;
}

/** Guest physical memory as seen by a DMA engine. */
export interface GuestMemory {
  /** Guest RAM bytes; ram[0] is physical address ramBase. */
  readonly ram: Uint8Array;
  readonly ramBase: number;
}

/** What the PLIC (or anything else) uses to set bits in a hart's mip. */
export interface InterruptTarget {
  /** Set or clear mip bit `bit` (9 = SEIP, 11 = MEIP) of hart `hart`. */
  setPending(hart: number, bit: number, level: boolean): void;
}

/** Translate a guest physical range to an index into ram, or -1 when it is outside RAM. */
export function dmaIndex(mem: GuestMemory, pa: number, len: number): number {
  const off = pa - mem.ramBase;
  if (off < 0 || len < 0 || off + len > mem.ram.length) return -1;
  return off;
}
