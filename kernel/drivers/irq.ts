// External interrupts: the PLIC's S-mode context of each hart. The kernel
// claims the highest-priority source, runs its driver, and completes it,
// through the PLIC's registers as a real driver would.
//
// Concepts: C11 (interrupt controller, claim/complete), C13 (drivers).
import type { Kernel } from "../kernel.js";

export type IrqHandler = (k: Kernel, irq: number) => void;

export function irqHandlers(k: Kernel): Map<number, IrqHandler> {
  let m = k.sub.irqHandlers as Map<number, IrqHandler> | undefined;
  if (!m) { m = new Map(); k.sub.irqHandlers = m; }
  return m;
}

/** Count of interrupts handled per source (/proc/interrupts). */
export function irqCounts(k: Kernel): Map<number, number> {
  let m = k.sub.irqCounts as Map<number, number> | undefined;
  if (!m) { m = new Map(); k.sub.irqCounts = m; }
  return m;
}

const PLIC_CLAIM = 0x200004;

export function handleExternalInterrupt(k: Kernel, hart: number): void {
  const plic = k.machine.plic;
  const ctx = 2 * hart + 1;
  for (let n = 0; n < 64; n++) {
    const irq = plic.read(PLIC_CLAIM + 0x1000 * ctx, 4);
    if (irq === 0) return;
    irqCounts(k).set(irq, (irqCounts(k).get(irq) ?? 0) + 1);
    irqHandlers(k).get(irq)?.(k, irq);
    plic.write(PLIC_CLAIM + 0x1000 * ctx, 4, irq);
  }
}

/** Enable source `irq` for the S-mode contexts of every hart at priority 1. */
export function enableIrq(k: Kernel, irq: number, handler: IrqHandler): void {
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
