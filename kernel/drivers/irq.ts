// External interrupts: the PLIC's S-mode context of each hart. The kernel
// claims the highest-priority source, runs its driver, and completes it,
// through the PLIC's registers as a real driver would.
//
// Concepts: C11 (interrupt controller, claim/complete), C13 (drivers).
import type { Kernel } from "../kernel.js";
import type { UartDriver } from "./uart.js";
import type { HostIo, HostIoDev } from "./hostio.js";
import type { VirtioBlkDisk } from "./virtio_blk.js";
import { createRegistry, define, lookup } from "../lib/registry.js";

export type IrqHandler = (k: Kernel, irq: number) => void;

/** The drivers' state (k.drivers): plain data, made at boot; a driver's part is null until it starts. */
export interface DriverState {
  uart: UartDriver | null;
  hostio: HostIo | null;
  hostioDev: HostIoDev | null;
  /** The handler of each enabled interrupt source, by name (IRQ_HANDLERS). */
  irqHandlers: Map<number, string>;
  /** Count of interrupts handled per source (/proc/interrupts). */
  irqCounts: Map<number, number>;
  /** The virtio disks the virtio-blk driver runs (drivers/virtio_blk.ts). */
  virtioBlk: VirtioBlkDisk[];
}

export function createDriverState(): DriverState {
  return { uart: null, hostio: null, hostioDev: null, irqHandlers: new Map(), irqCounts: new Map(), virtioBlk: [] };
}

/** Interrupt handlers' code by name (lib/registry.ts). */
const IRQ_HANDLERS = createRegistry<IrqHandler>("interrupt handler");

/** Define a driver's interrupt handler (at module load); returns its name for enableIrq. */
export function defineIrqHandler(name: string, h: IrqHandler): string {
  return define(IRQ_HANDLERS, name, h);
}

export function irqHandlers(k: Kernel): Map<number, string> {
  return k.drivers.irqHandlers;
}

/** Count of interrupts handled per source (/proc/interrupts). */
export function irqCounts(k: Kernel): Map<number, number> {
  return k.drivers.irqCounts;
}

const PLIC_CLAIM = 0x200004;

export function handleExternalInterrupt(k: Kernel, hart: number): void {
  const plic = k.machine.plic;
  const ctx = 2 * hart + 1;
  for (let n = 0; n < 64; n++) {
    const irq = plic.read(PLIC_CLAIM + 0x1000 * ctx, 4);
    if (irq === 0) return;
    irqCounts(k).set(irq, (irqCounts(k).get(irq) ?? 0) + 1);
    const h = irqHandlers(k).get(irq);
    if (h !== undefined) lookup(IRQ_HANDLERS, h)(k, irq);
    plic.write(PLIC_CLAIM + 0x1000 * ctx, 4, irq);
  }
}

/** Enable source `irq` for the S-mode contexts of every hart at priority 1. */
export function enableIrq(k: Kernel, irq: number, handler: string): void {
  irqHandlers(k).set(irq, handler);
  const plic = k.machine.plic;
  plic.write(4 * irq, 4, 1);
  for (let h = 0; h < k.cpus.length; h++) {
    const ctx = 2 * h + 1;
    const reg = 0x2000 + 0x80 * ctx + 4 * (irq >>> 5);
    plic.write(reg, 4, plic.read(reg, 4) | (1 << (irq & 31)));
    plic.write(0x200000 + 0x1000 * ctx, 4, 0);
  }
}
