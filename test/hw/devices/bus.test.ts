// Tests of the MMIO bus (hw/devices/bus.ts): routing a physical address to
// the device whose window holds it, with the offset into that window, and
// the out-of-band fault report for unmapped addresses that lets the core
// raise an access fault (C13).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MmioDevice } from '../../../hw/devices/device.js';
import { createBus } from '../../../hw/devices/bus.js';
import { createUart16550 } from '../../../hw/devices/uart16550.js';
import { createTestFinisher } from '../../../hw/devices/test_finisher.js';

interface Access { dev: string; op: 'r' | 'w'; offset: number; width: number; value?: number }

function fake(name: string, base: number, size: number, log: Access[]): MmioDevice {
  return {
    name, base, size,
    read(offset: number, width: number): number {
      log.push({ dev: name, op: 'r', offset, width });
      return 0xffffffff; // all-ones data must not look like a fault
    },
    write(offset: number, width: number, value: number): void {
      log.push({ dev: name, op: 'w', offset, width, value });
    },
  };
}

test('routes each access to its device with the offset in its window', () => {
  const log: Access[] = [];
  const bus = createBus([fake('c', 0x3000, 0x100, log), fake('a', 0x1000, 0x1000, log), fake('b', 0x2000, 0x10, log)]);
  assert.deepEqual(bus.devices.map((d) => d.name), ['a', 'b', 'c'], 'sorted by base');
  assert.equal(bus.read(0x1004, 4), 0xffffffff);
  assert.equal(bus.lastFault, false);
  assert.equal(bus.write(0x200c, 4, 7), true);
  assert.equal(bus.read(0x30ff, 1), 0xffffffff);
  assert.equal(bus.read(0x1ffc, 4), 0xffffffff);
  assert.deepEqual(log, [
    { dev: 'a', op: 'r', offset: 4, width: 4 },
    { dev: 'b', op: 'w', offset: 0xc, width: 4, value: 7 },
    { dev: 'c', op: 'r', offset: 0xff, width: 1 },
    { dev: 'a', op: 'r', offset: 0xffc, width: 4 },
  ]);
  assert.equal(bus.find(0x2000)?.name, 'b');
  assert.equal(bus.find(0x2010), undefined);
});

test('unmapped accesses read 0, set lastFault, and are counted', () => {
  const log: Access[] = [];
  const bus = createBus([fake('a', 0x1000, 0x1000, log), fake('b', 0x2000, 0x10, log)]);
  assert.equal(bus.read(0x500, 4), 0);
  assert.equal(bus.lastFault, true);
  assert.equal(bus.lastFaultAddress, 0x500);
  assert.equal(bus.read(0x1000, 4), 0xffffffff);
  assert.equal(bus.lastFault, false, 'a good access clears the flag');
  assert.equal(bus.write(0x2010, 4, 1), false, 'just past b');
  assert.equal(bus.lastFault, true);
  assert.equal(bus.read(0x200e, 4), 0, 'straddles the end of b');
  assert.equal(bus.lastFault, true);
  assert.equal(bus.read(0xffffff00, 4), 0);
  assert.equal(bus.unmappedReads, 3);
  assert.equal(bus.unmappedWrites, 1);
  assert.equal(log.length, 1, 'no device saw a faulting access');
  assert.equal(createBus([]).read(0, 4), 0);
});

test('overlapping windows are refused', () => {
  const log: Access[] = [];
  assert.throws(() => createBus([fake('a', 0x1000, 0x1000, log), fake('b', 0x1800, 0x10, log)]), /overlaps/);
});

test('real devices at their virt addresses', () => {
  const out: number[] = [];
  const finished: string[] = [];
  const bus = createBus([
    createUart16550({ onTransmit: (b) => out.push(b) }),
    createTestFinisher((kind, code) => finished.push(`${kind}:${code}`)),
  ]);
  bus.write(0x10000000, 1, 0x41);
  assert.deepEqual(out, [0x41]);
  assert.equal(bus.read(0x10000005, 1) & 0x60, 0x60);
  bus.write(0x100000, 4, 0x5555);
  assert.deepEqual(finished, ['pass:0']);
});
