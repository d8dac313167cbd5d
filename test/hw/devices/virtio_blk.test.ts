// Tests of virtio-mmio + virtio-blk (hw/devices/virtio_mmio.ts,
// virtio_blk.ts), driving the device exactly as a driver does: registers
// through read/write, descriptors and rings written into guest RAM (a
// Uint8Array), interrupts observed on a fake IRQ line. Proves: probing (and
// empty slots), feature negotiation, queue setup, sector writes and reads
// (also with requests split over many descriptors), FLUSH, GET_ID, errors,
// persistence through a file backend across a reopen, and that a malformed
// ring sets DEVICE_NEEDS_RESET without throwing (C13, C60).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GuestMemory, IrqLine } from '../../../hw/devices/device.js';
import { memoryDisk, type BlockBackend } from '../../../hw/disk.js';
import { openFileDisk } from '../../../host/node/file_disk.js';
import {
  createVirtioMmio, type VirtioMmio,
  VIRTIO_MMIO_MAGIC_VALUE, VIRTIO_MMIO_VERSION_REG, VIRTIO_MMIO_DEVICE_ID, VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_DEVICE_FEATURES, VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DRIVER_FEATURES,
  VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_MMIO_QUEUE_SEL, VIRTIO_MMIO_QUEUE_NUM_MAX, VIRTIO_MMIO_QUEUE_NUM,
  VIRTIO_MMIO_QUEUE_READY, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_MMIO_INTERRUPT_STATUS, VIRTIO_MMIO_INTERRUPT_ACK,
  VIRTIO_MMIO_STATUS, VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_DESC_HIGH, VIRTIO_MMIO_QUEUE_DRIVER_LOW,
  VIRTIO_MMIO_QUEUE_DRIVER_HIGH, VIRTIO_MMIO_QUEUE_DEVICE_LOW, VIRTIO_MMIO_QUEUE_DEVICE_HIGH,
  VIRTIO_MMIO_CONFIG_GENERATION, VIRTIO_MMIO_CONFIG,
  VIRTIO_STATUS_ACKNOWLEDGE, VIRTIO_STATUS_DRIVER, VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_DRIVER_OK,
  VIRTIO_STATUS_DEVICE_NEEDS_RESET, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, VIRTQ_AVAIL_F_NO_INTERRUPT,
} from '../../../hw/devices/virtio_mmio.js';
import {
  createVirtioBlk, type VirtioBlk,
  VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_S_OK, VIRTIO_BLK_S_IOERR, VIRTIO_BLK_S_UNSUPP,
} from '../../../hw/devices/virtio_blk.js';

const RAM_BASE = 0x80000000;
const DESC = RAM_BASE + 0x1000;
const AVAIL = RAM_BASE + 0x2000;
const USED = RAM_BASE + 0x3000;
const BUFFERS = RAM_BASE + 0x10000;
const QSIZE = 16;
const F_VERSION_1 = 1 << 0;   // bit 32 = bit 0 of feature word 1
const F_FLUSH = 1 << 9;

/** A segment of a request: bytes the driver supplies, or room for the device to fill. */
type Segment = { out: Uint8Array } | { room: number };

interface Completion { id: number; len: number; segments: Uint8Array[] }

/** A minimal virtio driver, written from the spec's driver requirements. */
class Driver {
  readonly ram: Uint8Array;
  readonly view: DataView;
  freeDesc = 0;
  availIdx = 0;
  usedSeen = 0;
  bufTop = BUFFERS;

  constructor(readonly dev: VirtioMmio, readonly mem: GuestMemory) {
    this.ram = mem.ram;
    this.view = new DataView(mem.ram.buffer, mem.ram.byteOffset, mem.ram.byteLength);
  }

  r(off: number): number { return this.dev.read(off, 4); }
  w(off: number, v: number): void { this.dev.write(off, 4, v); }
  at(pa: number): number { return pa - RAM_BASE; }

  /** Steps 1-8 of the driver initialisation (3.1.1); returns whether FEATURES_OK stuck. */
  init(featuresLo = F_FLUSH, featuresHi = F_VERSION_1): boolean {
    this.w(VIRTIO_MMIO_STATUS, 0);
    this.w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    this.w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    this.w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    this.w(VIRTIO_MMIO_DRIVER_FEATURES, featuresLo);
    this.w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    this.w(VIRTIO_MMIO_DRIVER_FEATURES, featuresHi);
    this.w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    if ((this.r(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) === 0) return false;
    this.ram.fill(0, this.at(DESC), this.at(BUFFERS));
    this.freeDesc = 0;
    this.availIdx = 0;
    this.usedSeen = 0;
    this.w(VIRTIO_MMIO_QUEUE_SEL, 0);
    assert.ok(this.r(VIRTIO_MMIO_QUEUE_NUM_MAX) >= QSIZE);
    assert.equal(this.r(VIRTIO_MMIO_QUEUE_READY), 0);
    this.w(VIRTIO_MMIO_QUEUE_NUM, QSIZE);
    this.w(VIRTIO_MMIO_QUEUE_DESC_LOW, DESC);
    this.w(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    this.w(VIRTIO_MMIO_QUEUE_DRIVER_LOW, AVAIL);
    this.w(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
    this.w(VIRTIO_MMIO_QUEUE_DEVICE_LOW, USED);
    this.w(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
    this.w(VIRTIO_MMIO_QUEUE_READY, 1);
    this.w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
      VIRTIO_STATUS_DRIVER_OK);
    return true;
  }

  alloc(n: number): number {
    const pa = this.bufTop;
    this.bufTop += (n + 15) & ~15;
    return pa;
  }

  writeDesc(i: number, addr: number, len: number, flags: number, next: number): void {
    const d = this.at(DESC) + 16 * i;
    this.view.setUint32(d, addr % 0x100000000, true);
    this.view.setUint32(d + 4, Math.floor(addr / 0x100000000), true);
    this.view.setUint32(d + 8, len, true);
    this.view.setUint16(d + 12, flags, true);
    this.view.setUint16(d + 14, next, true);
  }

  /** Put a chain in the descriptor table and the available ring (no notify). Returns the head and buffers. */
  post(segments: Segment[]): { head: number; addrs: number[] } {
    const head = this.freeDesc;
    const addrs: number[] = [];
    segments.forEach((seg, k) => {
      const i = (head + k) % QSIZE;
      const len = 'out' in seg ? seg.out.length : seg.room;
      const pa = this.alloc(len);
      if ('out' in seg) this.ram.set(seg.out, this.at(pa));
      else this.ram.fill(0xee, this.at(pa), this.at(pa) + len);
      addrs.push(pa);
      const last = k === segments.length - 1;
      this.writeDesc(i, pa, len, ('room' in seg ? VIRTQ_DESC_F_WRITE : 0) | (last ? 0 : VIRTQ_DESC_F_NEXT), (i + 1) % QSIZE);
    });
    this.freeDesc = (head + segments.length) % QSIZE;
    this.view.setUint16(this.at(AVAIL) + 4 + 2 * (this.availIdx % QSIZE), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.view.setUint16(this.at(AVAIL) + 2, this.availIdx, true);
    return { head, addrs };
  }

  notify(): void { this.w(VIRTIO_MMIO_QUEUE_NOTIFY, 0); }

  usedIdx(): number { return this.view.getUint16(this.at(USED) + 2, true); }

  /** Submit one chain, notify, and collect its completion. */
  submit(segments: Segment[]): Completion {
    const { head, addrs } = this.post(segments);
    this.notify();
    assert.equal(this.usedIdx(), (this.usedSeen + 1) & 0xffff, 'the device used exactly one chain');
    const e = this.at(USED) + 4 + 8 * (this.usedSeen % QSIZE);
    this.usedSeen = (this.usedSeen + 1) & 0xffff;
    const id = this.view.getUint32(e, true);
    assert.equal(id, head);
    const lens = segments.map((s) => ('out' in s ? s.out.length : s.room));
    return {
      id, len: this.view.getUint32(e + 4, true),
      segments: addrs.map((pa, k) => this.ram.slice(this.at(pa), this.at(pa) + lens[k])),
    };
  }
}

function header(type: number, sector: number): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, type, true);
  v.setUint32(8, sector % 0x100000000, true);
  v.setUint32(12, Math.floor(sector / 0x100000000), true);
  return h;
}

function pattern(n: number, seed: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => (i * 31 + seed * 7 + (i >> 9)) & 0xff);
}

interface Rig { dev: VirtioMmio; blk: VirtioBlk; drv: Driver; irq: { level: boolean } }

function rig(backend: BlockBackend): Rig {
  const mem: GuestMemory = { ram: new Uint8Array(1 << 20), ramBase: RAM_BASE };
  const irq = { level: false };
  const line: IrqLine = {
    setLevel(source: number, level: boolean): void {
      assert.equal(source, 1, 'slot 0 is PLIC source 1');
      irq.level = level;
    },
  };
  const blk = createVirtioBlk({ backend, serial: 'TSIX-TEST-0001' });
  const dev = createVirtioMmio({ slot: 0, mem, irqLine: line, device: blk });
  return { dev, blk, drv: new Driver(dev, mem), irq };
}

/** Write `data` at `sector`; returns the status byte. */
function writeSectors(drv: Driver, sector: number, data: Uint8Array): { status: number; len: number } {
  const c = drv.submit([{ out: header(VIRTIO_BLK_T_OUT, sector) }, { out: data }, { room: 1 }]);
  return { status: c.segments[2][0], len: c.len };
}

function readSectors(drv: Driver, sector: number, bytes: number): { status: number; data: Uint8Array; len: number } {
  const c = drv.submit([{ out: header(VIRTIO_BLK_T_IN, sector) }, { room: bytes }, { room: 1 }]);
  return { status: c.segments[2][0], data: c.segments[1], len: c.len };
}

test('probe: magic, version 2, device 2; an empty slot reads DeviceID 0', () => {
  const { dev } = rig(memoryDisk(64 * 512));
  assert.equal(dev.base, 0x10001000);
  assert.equal(dev.read(VIRTIO_MMIO_MAGIC_VALUE, 4), 0x74726976);
  assert.equal(dev.read(VIRTIO_MMIO_VERSION_REG, 4), 2);
  assert.equal(dev.read(VIRTIO_MMIO_DEVICE_ID, 4), 2);
  assert.notEqual(dev.read(VIRTIO_MMIO_VENDOR_ID, 4), 0);
  const empty = createVirtioMmio({ slot: 7 });
  assert.equal(empty.base, 0x10008000);
  assert.equal(empty.irq, 8);
  assert.equal(empty.read(VIRTIO_MMIO_MAGIC_VALUE, 4), 0x74726976);
  assert.equal(empty.read(VIRTIO_MMIO_VERSION_REG, 4), 2);
  assert.equal(empty.read(VIRTIO_MMIO_DEVICE_ID, 4), 0);
  empty.write(VIRTIO_MMIO_STATUS, 4, 1); // ignored, no exception
  assert.equal(empty.read(VIRTIO_MMIO_STATUS, 4), 0);
});

test('feature negotiation: VERSION_1 is required; unknown bits are refused', () => {
  const { dev, drv } = rig(memoryDisk(64 * 512));
  dev.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 4, 0);
  const lo = dev.read(VIRTIO_MMIO_DEVICE_FEATURES, 4);
  dev.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 4, 1);
  const hi = dev.read(VIRTIO_MMIO_DEVICE_FEATURES, 4);
  assert.equal(hi & F_VERSION_1, F_VERSION_1, 'VERSION_1 offered');
  assert.equal(lo & F_FLUSH, F_FLUSH, 'FLUSH offered');
  assert.equal(lo & (1 << 5), 0, 'RO not offered for a writable disk');
  assert.equal(drv.init(F_FLUSH, 0), false, 'a legacy driver is refused');
  assert.equal(drv.init(F_FLUSH | (1 << 27), F_VERSION_1), false, 'a feature the device lacks is refused');
  assert.equal(drv.init(), true);
  assert.equal(dev.negotiated, (1n << 32n) | (1n << 9n));
  assert.equal(dev.read(VIRTIO_MMIO_STATUS, 4), 0x0f);
  dev.write(VIRTIO_MMIO_STATUS, 4, 0);
  assert.equal(dev.read(VIRTIO_MMIO_STATUS, 4), 0, 'reset');
  assert.equal(dev.read(VIRTIO_MMIO_QUEUE_READY, 4), 0, 'reset disables the queue');
});

test('config space: capacity in sectors, blk_size', () => {
  const { dev } = rig(memoryDisk(1000 * 512));
  assert.equal(dev.read(VIRTIO_MMIO_CONFIG, 4), 1000);
  assert.equal(dev.read(VIRTIO_MMIO_CONFIG + 4, 4), 0);
  assert.equal(dev.read(VIRTIO_MMIO_CONFIG + 20, 4), 512);
  assert.equal(dev.read(VIRTIO_MMIO_CONFIG, 1), 1000 & 0xff);
  assert.equal(dev.read(VIRTIO_MMIO_CONFIG_GENERATION, 4), 0);
  const big = rig({ sectors: 2 ** 33 + 5, readOnly: true, read() {}, write() {}, flush() {} });
  assert.equal(big.dev.read(VIRTIO_MMIO_CONFIG, 4), 5);
  assert.equal(big.dev.read(VIRTIO_MMIO_CONFIG + 4, 4), 2);
});

test('write sectors, read them back, flush; used.len, interrupts and counters', () => {
  const disk = memoryDisk(64 * 512);
  const { dev, blk, drv, irq } = rig(disk);
  assert.ok(drv.init());
  const data = pattern(1024, 1);
  const w = writeSectors(drv, 3, data);
  assert.equal(w.status, VIRTIO_BLK_S_OK);
  assert.equal(w.len, 1, 'OUT writes only the status byte');
  assert.equal(irq.level, true, 'used-buffer interrupt');
  assert.equal(dev.read(VIRTIO_MMIO_INTERRUPT_STATUS, 4), 1);
  dev.write(VIRTIO_MMIO_INTERRUPT_ACK, 4, 1);
  assert.equal(irq.level, false);
  assert.deepEqual(disk.bytes.subarray(3 * 512, 5 * 512), data, 'the data is on the disk');

  const r = readSectors(drv, 3, 1024);
  assert.equal(r.status, VIRTIO_BLK_S_OK);
  assert.equal(r.len, 1025, 'IN writes the data and the status byte');
  assert.deepEqual(r.data, data);
  assert.deepEqual(readSectors(drv, 0, 512).data, new Uint8Array(512), 'untouched sectors read as zeros');

  const f = drv.submit([{ out: header(VIRTIO_BLK_T_FLUSH, 0) }, { room: 1 }]);
  assert.equal(f.segments[1][0], VIRTIO_BLK_S_OK);
  assert.equal(disk.flushes, 1);

  assert.equal(blk.stats.requests, 4);
  assert.equal(blk.stats.writes, 1);
  assert.equal(blk.stats.reads, 2);
  assert.equal(blk.stats.flushes, 1);
  assert.equal(blk.stats.bytesWritten, 1024);
  assert.equal(blk.stats.bytesRead, 1536);
});

test('requests split over many descriptors (header, data and status apart)', () => {
  const disk = memoryDisk(64 * 512);
  const { drv } = rig(disk);
  assert.ok(drv.init());
  const h = header(VIRTIO_BLK_T_OUT, 10);
  const data = pattern(1536, 2);
  const c = drv.submit([
    { out: h.subarray(0, 5) }, { out: h.subarray(5) }, // header in two pieces
    { out: data.subarray(0, 100) }, { out: data.subarray(100, 612) }, { out: data.subarray(612) },
    { room: 1 },
  ]);
  assert.equal(c.segments[5][0], VIRTIO_BLK_S_OK);
  assert.deepEqual(disk.bytes.subarray(10 * 512, 13 * 512), data);
  // Read back with the data and the status byte sharing the last descriptor.
  const rh = new Uint8Array(16);
  rh.set(header(VIRTIO_BLK_T_IN, 10));
  const rc = drv.submit([{ out: rh }, { room: 700 }, { room: 837 }]);
  const got = new Uint8Array(1537);
  got.set(rc.segments[1]);
  got.set(rc.segments[2], 700);
  assert.equal(got[1536], VIRTIO_BLK_S_OK);
  assert.deepEqual(got.subarray(0, 1536), data);
  assert.equal(rc.len, 1537);
});

test('GET_ID, unsupported types, out-of-range and misaligned transfers', () => {
  const { blk, drv } = rig(memoryDisk(8 * 512));
  assert.ok(drv.init());
  const id = drv.submit([{ out: header(VIRTIO_BLK_T_GET_ID, 0) }, { room: 20 }, { room: 1 }]);
  assert.equal(id.segments[2][0], VIRTIO_BLK_S_OK);
  assert.equal(new TextDecoder().decode(id.segments[1]).replace(/\0+$/, ''), 'TSIX-TEST-0001');
  assert.equal(id.len, 21);
  const discard = drv.submit([{ out: header(11, 0) }, { out: new Uint8Array(16) }, { room: 1 }]);
  assert.equal(discard.segments[2][0], VIRTIO_BLK_S_UNSUPP);
  assert.equal(readSectors(drv, 7, 1024).status, VIRTIO_BLK_S_IOERR, 'runs past the end');
  assert.equal(readSectors(drv, 2 ** 40, 512).status, VIRTIO_BLK_S_IOERR, 'far past the end');
  assert.equal(writeSectors(drv, 0, new Uint8Array(100)).status, VIRTIO_BLK_S_IOERR, 'not whole sectors');
  assert.equal(blk.stats.errors, 3);
  assert.equal(blk.stats.unsupported, 1);
});

test('a read-only disk offers RO and refuses writes with IOERR', () => {
  const bytes = pattern(8 * 512, 3);
  const { dev, drv } = rig(memoryDisk(bytes, { readOnly: true }));
  dev.write(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 4, 0);
  assert.equal(dev.read(VIRTIO_MMIO_DEVICE_FEATURES, 4) & (1 << 5), 1 << 5);
  assert.ok(drv.init((1 << 5) | F_FLUSH));
  assert.equal(writeSectors(drv, 0, new Uint8Array(512)).status, VIRTIO_BLK_S_IOERR);
  assert.deepEqual(readSectors(drv, 1, 512).data, bytes.subarray(512, 1024));
});

test('a backend failure is an IOERR for the guest, not an exception', () => {
  const failing: BlockBackend = {
    sectors: 16, readOnly: false,
    read(): void { throw new Error('EIO'); },
    write(): void { throw new Error('EIO'); },
    flush(): void { throw new Error('EIO'); },
  };
  const { dev, drv } = rig(failing);
  assert.ok(drv.init());
  assert.equal(readSectors(drv, 0, 512).status, VIRTIO_BLK_S_IOERR);
  assert.equal(writeSectors(drv, 0, new Uint8Array(512)).status, VIRTIO_BLK_S_IOERR);
  assert.equal(dev.read(VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
});

test('VIRTQ_AVAIL_F_NO_INTERRUPT suppresses the used-buffer interrupt', () => {
  const { drv, irq } = rig(memoryDisk(8 * 512));
  assert.ok(drv.init());
  drv.view.setUint16(drv.at(AVAIL), VIRTQ_AVAIL_F_NO_INTERRUPT, true);
  assert.equal(writeSectors(drv, 0, new Uint8Array(512)).status, VIRTIO_BLK_S_OK);
  assert.equal(irq.level, false);
});

test('many requests in one notify, and the ring indices wrap', () => {
  const disk = memoryDisk(64 * 512);
  const { drv } = rig(disk);
  assert.ok(drv.init());
  for (let round = 0; round < 30; round++) { // 30 * 4 = 120 chains through a 16-entry ring
    const heads: number[] = [];
    for (let k = 0; k < 4; k++) {
      drv.bufTop = BUFFERS + k * 0x1000;
      heads.push(drv.post([{ out: header(VIRTIO_BLK_T_OUT, k) }, { out: pattern(512, round + k) }, { room: 1 }]).head);
    }
    drv.notify();
    assert.equal(drv.usedIdx(), (drv.usedSeen + 4) & 0xffff);
    drv.usedSeen = (drv.usedSeen + 4) & 0xffff;
    for (let k = 0; k < 4; k++) assert.deepEqual(disk.bytes.subarray(k * 512, (k + 1) * 512), pattern(512, round + k));
  }
});

test('the 16-bit ring indices wrap past 65535', () => {
  const disk = memoryDisk(8 * 512);
  const { blk, drv } = rig(disk);
  assert.ok(drv.init());
  const total = 0x10000 + 40;
  for (let done = 0; done < total; done += 8) {
    drv.bufTop = BUFFERS;
    for (let k = 0; k < 8; k++) drv.post([{ out: header(VIRTIO_BLK_T_FLUSH, 0) }, { room: 1 }]);
    drv.notify();
    drv.usedSeen = (drv.usedSeen + 8) & 0xffff;
    assert.equal(drv.usedIdx(), drv.usedSeen);
  }
  assert.equal(blk.stats.flushes, total);
  assert.equal(drv.usedIdx(), total & 0xffff);
});

test('file backend: data written survives closing and reopening the image', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsix-blk-'));
  try {
    const file = path.join(dir, 'disk.img');
    fs.writeFileSync(file, new Uint8Array(128 * 512));
    const data = pattern(4096, 4);
    {
      const disk = openFileDisk(file);
      assert.equal(disk.sectors, 128);
      const { drv } = rig(disk);
      assert.ok(drv.init());
      assert.equal(writeSectors(drv, 17, data).status, VIRTIO_BLK_S_OK);
      assert.equal(drv.submit([{ out: header(VIRTIO_BLK_T_FLUSH, 0) }, { room: 1 }]).segments[1][0], VIRTIO_BLK_S_OK);
      disk.close();
    }
    const raw = fs.readFileSync(file);
    assert.deepEqual(new Uint8Array(raw.subarray(17 * 512, 17 * 512 + 4096)), data, 'the bytes are in the file');
    {
      const disk = openFileDisk(file, { readOnly: true });
      const { drv } = rig(disk);
      assert.ok(drv.init());
      const r = readSectors(drv, 17, 4096);
      assert.equal(r.status, VIRTIO_BLK_S_OK);
      assert.deepEqual(r.data, data);
      assert.equal(writeSectors(drv, 0, new Uint8Array(512)).status, VIRTIO_BLK_S_IOERR, 'opened read-only');
      disk.close();
    }
    assert.throws(() => openFileDisk(path.join(dir, 'missing.img')), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /missing\.img: no such file$/);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Set the device up, then let `corrupt` break the ring; check NEEDS_RESET and recovery. */
function expectNeedsReset(reason: RegExp, corrupt: (drv: Driver) => void): void {
  const disk = memoryDisk(16 * 512);
  const { dev, drv, irq } = rig(disk);
  assert.ok(drv.init());
  corrupt(drv);
  assert.doesNotThrow(() => drv.notify());
  const status = dev.read(VIRTIO_MMIO_STATUS, 4);
  assert.equal(status & VIRTIO_STATUS_DEVICE_NEEDS_RESET, VIRTIO_STATUS_DEVICE_NEEDS_RESET, dev.state.lastError);
  assert.equal(dev.read(VIRTIO_MMIO_INTERRUPT_STATUS, 4) & 2, 2, 'configuration-change interrupt');
  assert.equal(irq.level, true);
  assert.match(dev.state.lastError, reason);
  // The broken device ignores further notifications ...
  const before = drv.usedIdx();
  drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
  drv.notify();
  assert.equal(drv.usedIdx(), before);
  // ... until the driver resets it.
  assert.ok(drv.init());
  assert.equal(dev.read(VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
  assert.equal(writeSectors(drv, 1, pattern(512, 9)).status, VIRTIO_BLK_S_OK);
  assert.deepEqual(readSectors(drv, 1, 512).data, pattern(512, 9));
}

test('malformed: a descriptor pointing outside RAM sets NEEDS_RESET, no exception', () => {
  expectNeedsReset(/outside RAM/, (drv) => {
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
    drv.writeDesc(1, 0x1000, 512, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2); // below RAM
  });
  expectNeedsReset(/outside RAM/, (drv) => {
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
    drv.writeDesc(1, RAM_BASE + (1 << 20) - 256, 512, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2); // runs off the end
  });
});

test('malformed: descriptor loops, bad indices, bad order, bad rings, short requests', () => {
  expectNeedsReset(/loops/, (drv) => { // the chain loops back on itself
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
    drv.writeDesc(2, RAM_BASE + 0x20000, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
  });
  expectNeedsReset(/outside a table/, (drv) => { // next index beyond the table
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
    drv.writeDesc(1, RAM_BASE + 0x20000, 512, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 999);
  });
  expectNeedsReset(/readable after a device-writable/, (drv) => { // a device-readable descriptor after a writable one
    drv.post([{ out: header(VIRTIO_BLK_T_OUT, 0) }, { room: 1 }, { out: new Uint8Array(512) }]);
  });
  expectNeedsReset(/ahead of the device/, (drv) => { // the available index runs more than a ring ahead
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
    drv.view.setUint16(drv.at(AVAIL) + 2, 40, true);
  });
  expectNeedsReset(/header bytes/, (drv) => { // a header shorter than 16 bytes
    drv.post([{ out: new Uint8Array(8) }, { room: 1 }]);
  });
  expectNeedsReset(/status byte/, (drv) => { // no room for the status byte
    drv.post([{ out: header(VIRTIO_BLK_T_FLUSH, 0) }]);
  });
  expectNeedsReset(/indirect/, (drv) => { // an indirect descriptor (not negotiated)
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
    drv.writeDesc(0, RAM_BASE + 0x20000, 16, 4, 0);
  });
  expectNeedsReset(/ring lies outside RAM/, (drv) => { // the used ring moved outside RAM
    drv.w(VIRTIO_MMIO_QUEUE_READY, 0);
    drv.w(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 7);
    drv.w(VIRTIO_MMIO_QUEUE_READY, 1);
    drv.post([{ out: header(VIRTIO_BLK_T_IN, 0) }, { room: 512 }, { room: 1 }]);
  });
});
