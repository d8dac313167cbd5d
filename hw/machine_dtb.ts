// The device tree of the tsix machine, laid out as QEMU's `virt` board
// describes itself, so a kernel built for virt (Linux, xv6, tsix) finds its
// memory, harts, interrupt controllers and devices where it expects them:
//
//   /chosen              bootargs, stdout-path, linux,initrd-start/-end
//   /memory@80000000     RAM
//   /cpus/cpu@N          one per hart: ISA, Sv39, and its local interrupt
//                        controller (riscv,cpu-intc) that CLINT and PLIC wire into
//   /soc                 (simple-bus) clint@2000000, plic@c000000,
//                        serial@10000000, virtio_mmio@10001000..10008000,
//                        test@100000, rtc@101000
//   /poweroff, /reboot   syscon writes of 0x5555 / 0x7777 to the test device
//
// Interrupt wiring: the CLINT raises each hart's M-software (3) and M-timer (7)
// interrupts; PLIC context 2h drives hart h's M-external (11) and 2h+1 its
// S-external (9); devices name their PLIC source in `interrupts`.
//
// Concepts: C10 (firmware describes the machine; the kernel probes devices
// from it), C11 (the interrupt wiring is spelled out), C13 (device addresses).

import { createFdtBuilder } from './fdt.js';
import {
  CLINT_BASE, CLINT_SIZE, PLIC_BASE, PLIC_SIZE, RTC_BASE, TEST_BASE, UART_BASE, UART_IRQ,
  VIRTIO_BASE, VIRTIO_IRQ, VIRTIO_STRIDE,
} from './core/layout.js';

export const TIMEBASE_FREQUENCY = 10000000;
export const UART_CLOCK_FREQUENCY = 3686400;
export const RISCV_ISA = 'rv64imafdc_zicsr_zifencei_zicntr_sstc';
export const RISCV_ISA_EXTENSIONS = ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei', 'zicntr', 'sstc'] as const;
export const PLIC_NDEV = 95;
const RTC_IRQ = 11;
const DEVICE_WINDOW = 0x1000;
const UART_WINDOW = 0x100;

// Local interrupt numbers on riscv,cpu-intc (the mip bits).
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;

export interface MachineDtbOptions {
  memBase: number;
  memSize: number;
  harts: number;
  bootargs?: string;
  /** Physical range [start, end) of an initramfs loaded in RAM. */
  initrd?: { start: number; end: number };
  /** Number of virtio-mmio slots (QEMU virt: 8). */
  virtioSlots?: number;
  timebaseFrequency?: number;
}

const hex = (n: number): string => n.toString(16);

export function buildMachineDtb(opts: MachineDtbOptions): Uint8Array {
  const { memBase, memSize, harts } = opts;
  const slots = opts.virtioSlots ?? 8;
  if (!(harts >= 1)) throw new RangeError(`dtb: bad hart count ${harts}`);
  const b = createFdtBuilder();

  // Phandles are handed out up front, so nodes can refer to nodes written later.
  const cpuPh: number[] = [];
  const intcPh: number[] = [];
  for (let h = 0; h < harts; h++) {
    cpuPh.push(b.allocPhandle());
    intcPh.push(b.allocPhandle());
  }
  const plicPh = b.allocPhandle();
  const testPh = b.allocPhandle();

  b.beginNode('');
  b.propU32('#address-cells', 2);
  b.propU32('#size-cells', 2);
  b.propString('compatible', 'riscv-virtio');
  b.propString('model', 'tsix riscv-virtio');

  b.beginNode('chosen');
  if (opts.bootargs !== undefined) b.propString('bootargs', opts.bootargs);
  b.propString('stdout-path', `/soc/serial@${hex(UART_BASE)}`);
  if (opts.initrd !== undefined) {
    b.propU64('linux,initrd-start', opts.initrd.start);
    b.propU64('linux,initrd-end', opts.initrd.end);
  }
  b.endNode();

  b.beginNode(`memory@${hex(memBase)}`);
  b.propString('device_type', 'memory');
  b.propU64s('reg', [memBase, memSize]);
  b.endNode();

  b.beginNode('cpus');
  b.propU32('#address-cells', 1);
  b.propU32('#size-cells', 0);
  b.propU32('timebase-frequency', opts.timebaseFrequency ?? TIMEBASE_FREQUENCY);
  for (let h = 0; h < harts; h++) {
    b.beginNode(`cpu@${hex(h)}`);
    b.propU32('phandle', cpuPh[h]);
    b.propString('device_type', 'cpu');
    b.propU32('reg', h);
    b.propString('status', 'okay');
    b.propString('compatible', 'riscv');
    b.propString('riscv,isa', RISCV_ISA);
    b.propString('riscv,isa-base', 'rv64i');
    b.propStrings('riscv,isa-extensions', RISCV_ISA_EXTENSIONS);
    b.propString('mmu-type', 'riscv,sv39');
    b.beginNode('interrupt-controller');
    b.propU32('#address-cells', 0);
    b.propU32('#interrupt-cells', 1);
    b.propEmpty('interrupt-controller');
    b.propString('compatible', 'riscv,cpu-intc');
    b.propU32('phandle', intcPh[h]);
    b.endNode();
    b.endNode();
  }
  b.beginNode('cpu-map');
  b.beginNode('cluster0');
  for (let h = 0; h < harts; h++) {
    b.beginNode(`core${h}`);
    b.propU32('cpu', cpuPh[h]);
    b.endNode();
  }
  b.endNode();
  b.endNode();
  b.endNode(); // cpus

  b.beginNode('poweroff');
  b.propU32('value', 0x5555);
  b.propU32('offset', 0);
  b.propU32('regmap', testPh);
  b.propString('compatible', 'syscon-poweroff');
  b.endNode();

  b.beginNode('reboot');
  b.propU32('value', 0x7777);
  b.propU32('offset', 0);
  b.propU32('regmap', testPh);
  b.propString('compatible', 'syscon-reboot');
  b.endNode();

  b.beginNode('soc');
  b.propU32('#address-cells', 2);
  b.propU32('#size-cells', 2);
  b.propString('compatible', 'simple-bus');
  b.propEmpty('ranges');

  b.beginNode(`clint@${hex(CLINT_BASE)}`);
  b.propStrings('compatible', ['sifive,clint0', 'riscv,clint0']);
  b.propU64s('reg', [CLINT_BASE, CLINT_SIZE]);
  b.propCells('interrupts-extended', intcPh.flatMap((ph) => [ph, IRQ_M_SOFT, ph, IRQ_M_TIMER]));
  b.endNode();

  b.beginNode(`plic@${hex(PLIC_BASE)}`);
  b.propU32('phandle', plicPh);
  b.propStrings('compatible', ['sifive,plic-1.0.0', 'riscv,plic0']);
  b.propU64s('reg', [PLIC_BASE, PLIC_SIZE]);
  b.propU32('#address-cells', 0);
  b.propU32('#interrupt-cells', 1);
  b.propEmpty('interrupt-controller');
  b.propU32('riscv,ndev', PLIC_NDEV);
  b.propCells('interrupts-extended', intcPh.flatMap((ph) => [ph, IRQ_M_EXT, ph, IRQ_S_EXT]));
  b.endNode();

  b.beginNode(`serial@${hex(UART_BASE)}`);
  b.propString('compatible', 'ns16550a');
  b.propU64s('reg', [UART_BASE, UART_WINDOW]);
  b.propU32('clock-frequency', UART_CLOCK_FREQUENCY);
  b.propU32('interrupt-parent', plicPh);
  b.propU32('interrupts', UART_IRQ);
  b.endNode();

  // Highest slot first, as QEMU writes them: Linux then probes slot 0 first.
  for (let slot = slots - 1; slot >= 0; slot--) {
    const base = VIRTIO_BASE + slot * VIRTIO_STRIDE;
    b.beginNode(`virtio_mmio@${hex(base)}`);
    b.propString('compatible', 'virtio,mmio');
    b.propU64s('reg', [base, VIRTIO_STRIDE]);
    b.propU32('interrupt-parent', plicPh);
    b.propU32('interrupts', VIRTIO_IRQ + slot);
    b.endNode();
  }

  b.beginNode(`test@${hex(TEST_BASE)}`);
  b.propU32('phandle', testPh);
  b.propStrings('compatible', ['sifive,test1', 'sifive,test0', 'syscon']);
  b.propU64s('reg', [TEST_BASE, DEVICE_WINDOW]);
  b.endNode();

  b.beginNode(`rtc@${hex(RTC_BASE)}`);
  b.propString('compatible', 'google,goldfish-rtc');
  b.propU64s('reg', [RTC_BASE, DEVICE_WINDOW]);
  b.propU32('interrupt-parent', plicPh);
  b.propU32('interrupts', RTC_IRQ);
  b.endNode();

  b.endNode(); // soc
  b.endNode(); // root
  return b.finish();
}
