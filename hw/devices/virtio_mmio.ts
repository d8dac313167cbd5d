// The virtio-mmio transport, version 2 ("modern", virtio 1.x section 4.2), as
// QEMU virt places it: 8 slots of 0x1000 bytes from 0x10001000, slot n on PLIC
// source 1 + n. A slot with no device still answers MagicValue and Version
// with DeviceID 0, so a driver probing the slots skips it.
//
// The transport owns what every virtio device shares: feature negotiation,
// the status state machine (with reset and DEVICE_NEEDS_RESET), the queue
// registers, the interrupt status and its IRQ line, and the split virtqueues
// in guest memory (descriptor table, available ring, used ring). The device
// type (virtio_blk.ts) supplies its ID, its feature bits, its configuration
// space and what to do with each descriptor chain.
//
// DMA discipline: the device reaches guest RAM only through GuestMemory and
// dmaIndex(). A ring or buffer outside RAM, a descriptor loop, an index out of
// range, an indirect descriptor (not offered) or a device-readable descriptor
// after a device-writable one is the driver's error: the device sets
// DEVICE_NEEDS_RESET, sends a configuration-change interrupt, and stops using
// its queues until reset. It never throws into the CPU.
//
// Concepts: C13 (DMA rings between a driver and a device controller), C11 (a
// device raising an interrupt when it has used buffers).

import { dmaIndex, type GuestMemory, type IrqLine, type MmioDevice } from './device.js';
import { VIRTIO_BASE, VIRTIO_IRQ, VIRTIO_STRIDE } from '../core/layout.js';

export const VIRTIO_MMIO_SLOTS = 8;
export const VIRTIO_MMIO_SIZE = VIRTIO_STRIDE;
export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt"
export const VIRTIO_MMIO_VERSION = 2;
export const VIRTIO_VENDOR_ID = 0x78697374;  // "tsix"

// Register offsets (virtio 1.x, 4.2.2).
export const VIRTIO_MMIO_MAGIC_VALUE = 0x000;
export const VIRTIO_MMIO_VERSION_REG = 0x004;
export const VIRTIO_MMIO_DEVICE_ID = 0x008;
export const VIRTIO_MMIO_VENDOR_ID = 0x00c;
export const VIRTIO_MMIO_DEVICE_FEATURES = 0x010;
export const VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014;
export const VIRTIO_MMIO_DRIVER_FEATURES = 0x020;
export const VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024;
export const VIRTIO_MMIO_QUEUE_SEL = 0x030;
export const VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034;
export const VIRTIO_MMIO_QUEUE_NUM = 0x038;
export const VIRTIO_MMIO_QUEUE_READY = 0x044;
export const VIRTIO_MMIO_QUEUE_NOTIFY = 0x050;
export const VIRTIO_MMIO_INTERRUPT_STATUS = 0x060;
export const VIRTIO_MMIO_INTERRUPT_ACK = 0x064;
export const VIRTIO_MMIO_STATUS = 0x070;
export const VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080;
export const VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084;
export const VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090;
export const VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094;
export const VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0;
export const VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4;
export const VIRTIO_MMIO_SHM_SEL = 0x0ac;
export const VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0;
export const VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4;
export const VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8;
export const VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc;
export const VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc;
export const VIRTIO_MMIO_CONFIG = 0x100;

// Device status bits (2.1).
export const VIRTIO_STATUS_ACKNOWLEDGE = 1;
export const VIRTIO_STATUS_DRIVER = 2;
export const VIRTIO_STATUS_DRIVER_OK = 4;
export const VIRTIO_STATUS_FEATURES_OK = 8;
export const VIRTIO_STATUS_DEVICE_NEEDS_RESET = 0x40;
export const VIRTIO_STATUS_FAILED = 0x80;

// Interrupt status bits.
export const VIRTIO_INT_USED_BUFFER = 1;
export const VIRTIO_INT_CONFIG_CHANGE = 2;

// Transport feature bits (6).
export const VIRTIO_F_INDIRECT_DESC = 28;
export const VIRTIO_F_EVENT_IDX = 29;
export const VIRTIO_F_VERSION_1 = 32;

// Split virtqueue layout (2.7).
export const VIRTQ_DESC_SIZE = 16;
export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** 2^n as a bigint feature mask. */
export function featureBit(n: number): bigint {
  return 1n << BigInt(n);
}

/** One queue's registers and the device's private ring indices. */
export interface Virtqueue {
  num: number;
  ready: boolean;
  descLo: number; descHi: number;     // descriptor table
  driverLo: number; driverHi: number; // available ring ("driver area")
  deviceLo: number; deviceHi: number; // used ring ("device area")
  lastAvail: number; // next available-ring index the device will consume (mod 2^16)
  usedIdx: number;   // next used-ring index the device will fill (mod 2^16)
}

/**
 * A descriptor chain as the device sees it: segments of guest RAM, the
 * device-readable ones first. Reused from request to request (no allocation).
 */
export interface DescChain {
  head: number;
  count: number;
  firstWritable: number; // index of the first device-writable segment (count when none)
  readable: number;      // total device-readable bytes
  writable: number;      // total device-writable bytes
  readonly index: Float64Array; // index into mem.ram of each segment
  readonly len: Uint32Array;
}

export function createDescChain(capacity: number): DescChain {
  return {
    head: 0, count: 0, firstWritable: 0, readable: 0, writable: 0,
    index: new Float64Array(capacity), len: new Uint32Array(capacity),
  };
}

/** What a device type implements behind the transport. */
export interface VirtioDeviceModel {
  readonly deviceId: number;
  /** Device-type feature bits; the transport adds VIRTIO_F_VERSION_1. */
  readonly features: bigint;
  readonly numQueues: number;
  readonly queueNumMax: number;
  /** Bytes of configuration space at 0x100. */
  readonly configSize: number;
  readConfig(offset: number, width: number): number;
  writeConfig(offset: number, width: number, value: number): void;
  /** The driver made buffers available on `queue` (or the device became ready). */
  queueNotify(t: VirtioTransport, queue: number): void;
  /** The driver reset the device. */
  reset(): void;
  /** The device type's own state for a machine snapshot (absent: it has none). */
  save?(): VirtioDeviceSaved;
  /** Take a saved state; throws RangeError (before changing anything) when it does not fit this device. */
  load?(saved: VirtioDeviceSaved): void;
}

/** A device type's saved state: a flat record of plain values. */
export type VirtioDeviceSaved = Record<string, number | boolean | string>;

/** A copy of one virtio-mmio slot's state for a machine snapshot (hw/snapshot.ts). */
export interface VirtioMmioSaved {
  /** The device ID behind the slot (0: empty), to check the restoring machine has the same device there. */
  deviceId: number;
  status: number;
  deviceFeaturesSel: number;
  driverFeaturesSel: number;
  /** 64-bit feature masks as decimal strings (plain, JSON-safe data). */
  driverFeatures: string;
  negotiated: string;
  queueSel: number;
  interruptStatus: number;
  configGeneration: number;
  queues: Virtqueue[];
  lastError: string;
  notifies: number;
  interrupts: number;
  errors: number;
  device: VirtioDeviceSaved | null;
}

/** What the transport offers a device type. */
export interface VirtioTransport {
  readonly mem: GuestMemory;
  /** Features the driver accepted (valid once FEATURES_OK is set). */
  readonly negotiated: bigint;
  /** Take the next available chain of `queue` into `chain`: 1 = got one, 0 = none, -1 = malformed (device now needs reset). */
  pop(queue: number, chain: DescChain): number;
  /** Return chain `head` to the driver, `len` = bytes written into its device-writable part. */
  push(queue: number, head: number, len: number): void;
  /** Send a used-buffer notification for `queue` unless the driver suppressed it. */
  notifyUsed(queue: number): void;
  /** The driver broke the protocol: set DEVICE_NEEDS_RESET and tell it. */
  fail(reason: string): void;
  /** The configuration space changed: bump ConfigGeneration and interrupt. */
  configChanged(): void;
}

export interface VirtioMmioState {
  status: number;
  deviceFeaturesSel: number;
  driverFeaturesSel: number;
  driverFeatures: bigint;
  negotiated: bigint;
  queueSel: number;
  interruptStatus: number;
  configGeneration: number;
  readonly queues: Virtqueue[];
  lastError: string;
  notifies: number;
  interrupts: number;
  errors: number;
}

export interface VirtioMmio extends MmioDevice, VirtioTransport {
  readonly irq: number;
  readonly state: VirtioMmioState;
  /** A copy of the slot's state and its device's (snapshot). */
  save(): VirtioMmioSaved;
  /**
   * Take a saved state (throws RangeError, before changing anything, when it
   * is malformed or was saved from another device type). Drives no IRQ line
   * and notifies no device: the guest sees the registers as they were.
   */
  load(saved: VirtioMmioSaved): void;
  /** The device type behind this slot, or undefined for an empty slot. */
  readonly device: VirtioDeviceModel | undefined;
}

export interface VirtioMmioOptions {
  /** Slot 0..7: base = 0x10001000 + 0x1000 * slot, irq = 1 + slot (unless given). */
  slot: number;
  base?: number;
  irq?: number;
  irqLine?: IrqLine;
  /** Needed when a device is attached. */
  mem?: GuestMemory;
  device?: VirtioDeviceModel;
}

// ---- little-endian access to guest RAM (indices already checked) ----------
export function ramRead16(ram: Uint8Array, i: number): number {
  return ram[i] | (ram[i + 1] << 8);
}
export function ramRead32(ram: Uint8Array, i: number): number {
  return (ram[i] | (ram[i + 1] << 8) | (ram[i + 2] << 16) | (ram[i + 3] << 24)) >>> 0;
}
export function ramWrite16(ram: Uint8Array, i: number, v: number): void {
  ram[i] = v;
  ram[i + 1] = v >>> 8;
}
export function ramWrite32(ram: Uint8Array, i: number, v: number): void {
  ram[i] = v;
  ram[i + 1] = v >>> 8;
  ram[i + 2] = v >>> 16;
  ram[i + 3] = v >>> 24;
}

function addr(lo: number, hi: number): number {
  return hi * 0x100000000 + lo;
}

// ---- descriptor chains as byte streams --------------------------------------
/**
 * Copy from the chain's device-readable bytes, starting `offset` bytes in,
 * into dst. Returns the number of bytes copied.
 */
export function chainRead(ram: Uint8Array, c: DescChain, offset: number, dst: Uint8Array): number {
  let done = 0;
  for (let i = 0; i < c.firstWritable && done < dst.length; i++) {
    const len = c.len[i];
    if (offset >= len) { offset -= len; continue; }
    const n = Math.min(len - offset, dst.length - done);
    const from = c.index[i] + offset;
    dst.set(ram.subarray(from, from + n), done);
    done += n;
    offset = 0;
  }
  return done;
}

/** Copy src into the chain's device-writable bytes from `offset`. Returns the bytes copied. */
export function chainWrite(ram: Uint8Array, c: DescChain, offset: number, src: Uint8Array): number {
  let done = 0;
  for (let i = c.firstWritable; i < c.count && done < src.length; i++) {
    const len = c.len[i];
    if (offset >= len) { offset -= len; continue; }
    const n = Math.min(len - offset, src.length - done);
    ram.set(src.subarray(done, done + n), c.index[i] + offset);
    done += n;
    offset = 0;
  }
  return done;
}

/** Store one byte at `offset` of the device-writable bytes; false when out of range. */
export function chainWriteByte(ram: Uint8Array, c: DescChain, offset: number, v: number): boolean {
  for (let i = c.firstWritable; i < c.count; i++) {
    const len = c.len[i];
    if (offset < len) {
      ram[c.index[i] + offset] = v;
      return true;
    }
    offset -= len;
  }
  return false;
}

/**
 * The RAM index of bytes [offset, offset+length) of the readable (or writable)
 * stream when they lie in one segment, else -1: the zero-copy fast path.
 */
export function chainSpan(c: DescChain, writable: boolean, offset: number, length: number): number {
  const from = writable ? c.firstWritable : 0;
  const to = writable ? c.count : c.firstWritable;
  for (let i = from; i < to; i++) {
    const len = c.len[i];
    if (offset < len) return offset + length <= len ? c.index[i] + offset : -1;
    offset -= len;
  }
  return -1;
}

/** handle()'s answer for a chain the device keeps and completes later (it pushes it itself). */
export const SERVICE_DEFERRED = -2;

/**
 * Serve every available chain of `queue` with `handle`, which returns the bytes
 * it wrote into the chain's device-writable part, -1 if the request is
 * malformed (the device then needs reset), or SERVICE_DEFERRED when the device
 * keeps the chain and pushes it later. Sends one used-buffer notification
 * at the end. Returns the number of chains completed.
 */
export function serviceQueue(t: VirtioTransport, queue: number, chain: DescChain,
  handle: (chain: DescChain) => number): number {
  let done = 0;
  for (;;) {
    const r = t.pop(queue, chain);
    if (r <= 0) break;
    const written = handle(chain);
    if (written === SERVICE_DEFERRED) continue; // in flight: the device completes it later
    if (written < 0) break; // handle() called t.fail()
    t.push(queue, chain.head, written);
    done++;
  }
  if (done > 0) t.notifyUsed(queue);
  return done;
}

function newQueue(): Virtqueue {
  return { num: 0, ready: false, descLo: 0, descHi: 0, driverLo: 0, driverHi: 0, deviceLo: 0, deviceHi: 0, lastAvail: 0, usedIdx: 0 };
}

function resetQueue(q: Virtqueue): void {
  q.num = 0; q.ready = false;
  q.descLo = q.descHi = q.driverLo = q.driverHi = q.deviceLo = q.deviceHi = 0;
  q.lastAvail = 0; q.usedIdx = 0;
}

export function virtioSlotBase(slot: number): number {
  return VIRTIO_BASE + slot * VIRTIO_STRIDE;
}

export function createVirtioMmio(opts: VirtioMmioOptions): VirtioMmio {
  const base = opts.base ?? virtioSlotBase(opts.slot);
  const irq = opts.irq ?? VIRTIO_IRQ + opts.slot;
  const irqLine = opts.irqLine;
  const dev = opts.device;
  if (dev !== undefined && opts.mem === undefined) throw new Error('virtio-mmio: a device needs guest memory');
  const mem: GuestMemory = opts.mem ?? { ram: new Uint8Array(0), ramBase: 0 };
  const deviceFeatures = dev === undefined ? 0n : dev.features | featureBit(VIRTIO_F_VERSION_1);
  const queues: Virtqueue[] = [];
  for (let i = 0; i < (dev?.numQueues ?? 0); i++) queues.push(newQueue());
  const s: VirtioMmioState = {
    status: 0, deviceFeaturesSel: 0, driverFeaturesSel: 0, driverFeatures: 0n, negotiated: 0n,
    queueSel: 0, interruptStatus: 0, configGeneration: 0, queues, lastError: '',
    notifies: 0, interrupts: 0, errors: 0,
  };

  function updateIrq(): void {
    if (irqLine !== undefined) irqLine.setLevel(irq, s.interruptStatus !== 0);
  }

  function interrupt(bits: number): void {
    s.interruptStatus |= bits;
    s.interrupts++;
    updateIrq();
  }

  function fail(reason: string): void {
    s.errors++;
    s.lastError = reason;
    if ((s.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) !== 0) return;
    s.status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    // After DRIVER_OK the device must tell the driver with a config-change notification.
    if ((s.status & VIRTIO_STATUS_DRIVER_OK) !== 0) interrupt(VIRTIO_INT_CONFIG_CHANGE);
  }

  function reset(): void {
    s.status = 0;
    s.deviceFeaturesSel = 0;
    s.driverFeaturesSel = 0;
    s.driverFeatures = 0n;
    s.negotiated = 0n;
    s.queueSel = 0;
    s.interruptStatus = 0;
    for (const q of queues) resetQueue(q);
    updateIrq();
    dev?.reset();
  }

  /** A queue may be used: the driver is running, nothing is broken, the queue is set up. */
  function usable(q: Virtqueue | undefined): q is Virtqueue {
    return q !== undefined && q.ready &&
      (s.status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_DEVICE_NEEDS_RESET)) === VIRTIO_STATUS_DRIVER_OK;
  }

  function notify(qi: number): void {
    if (dev === undefined || !usable(queues[qi])) return;
    s.notifies++;
    try {
      dev.queueNotify(transport, qi);
    } catch (err) {
      // A bug in a device model must not take the machine down: the device breaks, the CPU goes on.
      fail(`queue ${qi}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Check the three ring areas of q lie in RAM; return false (and fail) if not. */
  function ringsOk(q: Virtqueue): boolean {
    if (q.num === 0 || q.num > (dev?.queueNumMax ?? 0)) {
      fail(`queue size ${q.num} is not in 1..${dev?.queueNumMax ?? 0}`);
      return false;
    }
    if (dmaIndex(mem, addr(q.descLo, q.descHi), VIRTQ_DESC_SIZE * q.num) < 0 ||
      dmaIndex(mem, addr(q.driverLo, q.driverHi), 6 + 2 * q.num) < 0 ||
      dmaIndex(mem, addr(q.deviceLo, q.deviceHi), 6 + 8 * q.num) < 0) {
      fail('a virtqueue ring lies outside RAM');
      return false;
    }
    return true;
  }

  function pop(qi: number, c: DescChain): number {
    const q = queues[qi];
    if (!usable(q)) return 0;
    if (!ringsOk(q)) return -1;
    const ram = mem.ram;
    const avail = dmaIndex(mem, addr(q.driverLo, q.driverHi), 6 + 2 * q.num);
    const availIdx = ramRead16(ram, avail + 2);
    const outstanding = (availIdx - q.lastAvail) & 0xffff;
    if (outstanding === 0) return 0;
    if (outstanding > q.num) {
      fail(`avail.idx ${availIdx} is ${outstanding} entries ahead of the device on a ring of ${q.num}`);
      return -1;
    }
    const head = ramRead16(ram, avail + 4 + 2 * (q.lastAvail % q.num));
    q.lastAvail = (q.lastAvail + 1) & 0xffff;
    const table = dmaIndex(mem, addr(q.descLo, q.descHi), VIRTQ_DESC_SIZE * q.num);
    c.head = head;
    c.count = 0;
    c.readable = 0;
    c.writable = 0;
    let seenWritable = false;
    let i = head;
    for (;;) {
      if (i >= q.num) {
        fail(`descriptor index ${i} is outside a table of ${q.num}`);
        return -1;
      }
      if (c.count >= q.num || c.count >= c.len.length) {
        fail(`descriptor chain from ${head} loops`);
        return -1;
      }
      const d = table + VIRTQ_DESC_SIZE * i;
      const bufAddr = addr(ramRead32(ram, d), ramRead32(ram, d + 4));
      const len = ramRead32(ram, d + 8);
      const flags = ramRead16(ram, d + 12);
      const next = ramRead16(ram, d + 14);
      if ((flags & VIRTQ_DESC_F_INDIRECT) !== 0) {
        fail(`descriptor ${i} is indirect, which was not negotiated`);
        return -1;
      }
      const index = dmaIndex(mem, bufAddr, len);
      if (index < 0) {
        fail(`descriptor ${i} points outside RAM (0x${bufAddr.toString(16)}, ${len} bytes)`);
        return -1;
      }
      if ((flags & VIRTQ_DESC_F_WRITE) !== 0) {
        if (!seenWritable) {
          seenWritable = true;
          c.firstWritable = c.count;
        }
        c.writable += len;
      } else {
        if (seenWritable) {
          fail(`descriptor ${i} is device-readable after a device-writable one`);
          return -1;
        }
        c.readable += len;
      }
      c.index[c.count] = index;
      c.len[c.count] = len;
      c.count++;
      if ((flags & VIRTQ_DESC_F_NEXT) === 0) break;
      i = next;
    }
    if (!seenWritable) c.firstWritable = c.count;
    return 1;
  }

  function push(qi: number, head: number, len: number): void {
    const q = queues[qi];
    if (q === undefined || !ringsOk(q)) return;
    const ram = mem.ram;
    const used = dmaIndex(mem, addr(q.deviceLo, q.deviceHi), 6 + 8 * q.num);
    const e = used + 4 + 8 * (q.usedIdx % q.num);
    ramWrite32(ram, e, head);
    ramWrite32(ram, e + 4, len);
    q.usedIdx = (q.usedIdx + 1) & 0xffff;
    ramWrite16(ram, used + 2, q.usedIdx); // the element is written before the index moves
  }

  function notifyUsed(qi: number): void {
    const q = queues[qi];
    if (q === undefined || !ringsOk(q)) return;
    const avail = dmaIndex(mem, addr(q.driverLo, q.driverHi), 6 + 2 * q.num);
    if ((ramRead16(mem.ram, avail) & VIRTQ_AVAIL_F_NO_INTERRUPT) !== 0) return;
    interrupt(VIRTIO_INT_USED_BUFFER);
  }

  function featuresAcceptable(): boolean {
    return (s.driverFeatures & ~deviceFeatures) === 0n && (s.driverFeatures & featureBit(VIRTIO_F_VERSION_1)) !== 0n;
  }

  function writeStatus(v: number): void {
    if (v === 0) {
      reset();
      return;
    }
    let nv = v & 0xff & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    if ((nv & VIRTIO_STATUS_FEATURES_OK) !== 0 && (s.status & VIRTIO_STATUS_FEATURES_OK) === 0) {
      if (featuresAcceptable()) s.negotiated = s.driverFeatures;
      else nv &= ~VIRTIO_STATUS_FEATURES_OK; // the driver reads it back and gives up
    }
    const wasRunning = (s.status & VIRTIO_STATUS_DRIVER_OK) !== 0;
    s.status = nv | (s.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    // Buffers made available before DRIVER_OK are served as soon as the driver is ready.
    if (!wasRunning && (s.status & VIRTIO_STATUS_DRIVER_OK) !== 0) {
      for (let qi = 0; qi < queues.length; qi++) notify(qi);
    }
  }

  function readReg(off: number): number {
    if (dev === undefined) {
      if (off === VIRTIO_MMIO_MAGIC_VALUE) return VIRTIO_MMIO_MAGIC;
      if (off === VIRTIO_MMIO_VERSION_REG) return VIRTIO_MMIO_VERSION;
      if (off === VIRTIO_MMIO_VENDOR_ID) return VIRTIO_VENDOR_ID;
      return 0;
    }
    const q = queues[s.queueSel];
    switch (off) {
      case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
      case VIRTIO_MMIO_VERSION_REG: return VIRTIO_MMIO_VERSION;
      case VIRTIO_MMIO_DEVICE_ID: return dev.deviceId;
      case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_VENDOR_ID;
      case VIRTIO_MMIO_DEVICE_FEATURES:
        return s.deviceFeaturesSel > 1 ? 0 : Number((deviceFeatures >> BigInt(32 * s.deviceFeaturesSel)) & 0xffffffffn);
      case VIRTIO_MMIO_QUEUE_NUM_MAX: return q === undefined ? 0 : dev.queueNumMax;
      case VIRTIO_MMIO_QUEUE_READY: return q !== undefined && q.ready ? 1 : 0;
      case VIRTIO_MMIO_INTERRUPT_STATUS: return s.interruptStatus;
      case VIRTIO_MMIO_STATUS: return s.status;
      // No shared-memory regions: their length reads as all ones.
      case VIRTIO_MMIO_SHM_LEN_LOW: case VIRTIO_MMIO_SHM_LEN_HIGH:
      case VIRTIO_MMIO_SHM_BASE_LOW: case VIRTIO_MMIO_SHM_BASE_HIGH:
        return 0xffffffff;
      case VIRTIO_MMIO_CONFIG_GENERATION: return s.configGeneration;
      default: return 0;
    }
  }

  function writeReg(off: number, v: number): void {
    if (dev === undefined) return;
    const q = queues[s.queueSel];
    switch (off) {
      case VIRTIO_MMIO_DEVICE_FEATURES_SEL: s.deviceFeaturesSel = v; return;
      case VIRTIO_MMIO_DRIVER_FEATURES_SEL: s.driverFeaturesSel = v; return;
      case VIRTIO_MMIO_DRIVER_FEATURES: {
        if ((s.status & VIRTIO_STATUS_FEATURES_OK) !== 0 || s.driverFeaturesSel > 1) return;
        const shift = BigInt(32 * s.driverFeaturesSel);
        s.driverFeatures = (s.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(v) << shift);
        return;
      }
      case VIRTIO_MMIO_QUEUE_SEL: s.queueSel = v; return;
      case VIRTIO_MMIO_QUEUE_NUM: if (q !== undefined) q.num = v; return;
      case VIRTIO_MMIO_QUEUE_READY:
        if (q === undefined) return;
        if ((v & 1) !== 0 && !q.ready) {
          q.lastAvail = 0; // fresh rings start at index 0
          q.usedIdx = 0;
        }
        q.ready = (v & 1) !== 0;
        return;
      case VIRTIO_MMIO_QUEUE_NOTIFY: notify(v & 0xffff); return;
      case VIRTIO_MMIO_INTERRUPT_ACK:
        s.interruptStatus &= ~v;
        updateIrq();
        return;
      case VIRTIO_MMIO_STATUS: writeStatus(v); return;
      case VIRTIO_MMIO_QUEUE_DESC_LOW: if (q !== undefined) q.descLo = v; return;
      case VIRTIO_MMIO_QUEUE_DESC_HIGH: if (q !== undefined) q.descHi = v; return;
      case VIRTIO_MMIO_QUEUE_DRIVER_LOW: if (q !== undefined) q.driverLo = v; return;
      case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: if (q !== undefined) q.driverHi = v; return;
      case VIRTIO_MMIO_QUEUE_DEVICE_LOW: if (q !== undefined) q.deviceLo = v; return;
      case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: if (q !== undefined) q.deviceHi = v; return;
      default: return;
    }
  }

  const transport: VirtioMmio = {
    name: dev === undefined ? `virtio-mmio@${base.toString(16)} (empty)` : `virtio-mmio@${base.toString(16)}`,
    base,
    size: VIRTIO_MMIO_SIZE,
    irq,
    state: s,
    device: dev,
    mem,
    get negotiated(): bigint {
      return s.negotiated;
    },
    read(offset: number, width: number): number {
      if (offset >= VIRTIO_MMIO_CONFIG) {
        const c = offset - VIRTIO_MMIO_CONFIG;
        if (dev === undefined || c + width > dev.configSize) return 0;
        return dev.readConfig(c, width) >>> 0;
      }
      // The register area is 32-bit; a narrower read sees part of the word.
      const word = readReg(offset & ~3) >>> 0;
      if (width === 4) return word;
      const shifted = word >>> ((offset & 3) * 8);
      return width === 1 ? shifted & 0xff : shifted & 0xffff;
    },
    write(offset: number, width: number, value: number): void {
      if (offset >= VIRTIO_MMIO_CONFIG) {
        const c = offset - VIRTIO_MMIO_CONFIG;
        if (dev !== undefined && c + width <= dev.configSize) dev.writeConfig(c, width, value);
        return;
      }
      if (width !== 4 || (offset & 3) !== 0) return; // the spec requires 32-bit register writes
      writeReg(offset, value >>> 0);
    },
    pop,
    push,
    notifyUsed,
    fail,
    save(): VirtioMmioSaved {
      return {
        deviceId: dev?.deviceId ?? 0,
        status: s.status, deviceFeaturesSel: s.deviceFeaturesSel, driverFeaturesSel: s.driverFeaturesSel,
        driverFeatures: s.driverFeatures.toString(), negotiated: s.negotiated.toString(),
        queueSel: s.queueSel, interruptStatus: s.interruptStatus, configGeneration: s.configGeneration,
        queues: queues.map((q) => ({ ...q })), lastError: s.lastError,
        notifies: s.notifies, interrupts: s.interrupts, errors: s.errors,
        device: dev?.save?.() ?? null,
      };
    },
    load(v: VirtioMmioSaved): void {
      const where = `virtio-mmio slot at 0x${base.toString(16)}`;
      if (v.deviceId !== (dev?.deviceId ?? 0)) {
        throw new RangeError(`${where}: saved with device ID ${v.deviceId}, this machine has ${dev?.deviceId ?? 0} there`);
      }
      const u32 = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;
      const u64 = (x: unknown): boolean => typeof x === 'string' && /^[0-9]{1,20}$/.test(x) && BigInt(x) < 1n << 64n;
      if (!Array.isArray(v.queues) || v.queues.length !== queues.length ||
        ![v.status, v.deviceFeaturesSel, v.driverFeaturesSel, v.queueSel, v.interruptStatus, v.configGeneration].every(u32) ||
        !u64(v.driverFeatures) || !u64(v.negotiated) ||
        !v.queues.every((q) => [q.num, q.descLo, q.descHi, q.driverLo, q.driverHi, q.deviceLo, q.deviceHi].every(u32) &&
          typeof q.ready === 'boolean' && Number.isInteger(q.lastAvail) && q.lastAvail >= 0 && q.lastAvail <= 0xffff &&
          Number.isInteger(q.usedIdx) && q.usedIdx >= 0 && q.usedIdx <= 0xffff)) {
        throw new RangeError(`${where}: malformed saved state`);
      }
      if ((v.device === null) !== (dev?.save === undefined)) throw new RangeError(`${where}: saved device state does not fit`);
      if (v.device !== null) dev?.load?.(v.device);
      s.status = v.status; s.deviceFeaturesSel = v.deviceFeaturesSel; s.driverFeaturesSel = v.driverFeaturesSel;
      s.driverFeatures = BigInt(v.driverFeatures); s.negotiated = BigInt(v.negotiated);
      s.queueSel = v.queueSel; s.interruptStatus = v.interruptStatus; s.configGeneration = v.configGeneration;
      v.queues.forEach((q, i) => Object.assign(queues[i], {
        num: q.num, ready: q.ready, descLo: q.descLo, descHi: q.descHi, driverLo: q.driverLo, driverHi: q.driverHi,
        deviceLo: q.deviceLo, deviceHi: q.deviceHi, lastAvail: q.lastAvail, usedIdx: q.usedIdx,
      }));
      s.lastError = String(v.lastError); s.notifies = v.notifies; s.interrupts = v.interrupts; s.errors = v.errors;
    },
    configChanged(): void {
      s.configGeneration = (s.configGeneration + 1) >>> 0;
      if ((s.status & VIRTIO_STATUS_DRIVER_OK) !== 0) interrupt(VIRTIO_INT_CONFIG_CHANGE);
    },
  };
  return transport;
}
