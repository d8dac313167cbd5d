// The SiFive test device ("test finisher") of the QEMU `virt` machine, at
// 0x100000: the way a bare-metal test or a kernel's poweroff/reboot path ends
// the machine. A 32-bit write to offset 0 of
//   0x5555                 = power off, test passed
//   0x3333 | (code << 16)  = power off, test failed with exit code `code`
//   0x7777                 = reset the machine
// calls the callback given at construction; other values are ignored. The
// device tree exposes it as a syscon for the syscon-poweroff/-reboot drivers.
//
// Concepts: C10 (the firmware/machine side of power-off and reset).

import type { MmioDevice } from './device.js';
import { TEST_BASE } from '../core/layout.js';

export const TEST_FINISHER_SIZE = 0x1000;
export const FINISHER_PASS = 0x5555;
export const FINISHER_FAIL = 0x3333;
export const FINISHER_RESET = 0x7777;

export type FinisherKind = 'pass' | 'fail' | 'reset';

export interface TestFinisher extends MmioDevice {
  /** The last value written at offset 0 (0 = never written). */
  readonly lastValue: number;
  /** The device's state for a machine snapshot. */
  save(): TestFinisherSaved;
  load(saved: TestFinisherSaved): void;
}

export interface TestFinisherSaved {
  lastValue: number;
}

export function createTestFinisher(
  onFinish: (kind: FinisherKind, code: number) => void,
  base: number = TEST_BASE,
): TestFinisher {
  let lastValue = 0;
  return {
    name: 'sifive-test',
    base,
    size: TEST_FINISHER_SIZE,
    get lastValue(): number {
      return lastValue;
    },
    read(): number {
      return 0;
    },
    save(): TestFinisherSaved {
      return { lastValue };
    },
    load(saved: TestFinisherSaved): void {
      if (!(Number.isInteger(saved.lastValue) && saved.lastValue >= 0 && saved.lastValue <= 0xffffffff)) {
        throw new RangeError('sifive-test: malformed saved state');
      }
      lastValue = saved.lastValue;
    },
    write(offset: number, width: number, value: number): void {
      if (offset !== 0 || width !== 4) return;
      lastValue = value >>> 0;
      const code = value >>> 16;
      switch (value & 0xffff) {
        case FINISHER_PASS: onFinish('pass', 0); return;
        case FINISHER_FAIL: onFinish('fail', code); return;
        case FINISHER_RESET: onFinish('reset', 0); return;
        default: return;
      }
    },
  };
}
