// The virtio-blk driver: the kernel's side of the machine's virtio-mmio disk
// (hw/devices/virtio_blk.ts), talking to it only through its MMIO registers,
// its split virtqueue in guest frames, and its interrupt.
//
// Probe (at boot): each virtio-mmio slot with magic "virt", version 2 and
// device id 2 is reset and initialised as virtio 1.x asks (3.1.1):
// ACKNOWLEDGE, DRIVER, feature negotiation (VERSION_1, FLUSH, BLK_SIZE, RO
// when offered), FEATURES_OK (checked), queue 0 set up (descriptor table,
// available ring and used ring in one zeroed kernel frame), DRIVER_OK. The
// capacity (config offset 0, in 512-byte sectors) gives the whole disk vdX
// (major 254, minor 16*index); its MBR is read next (block/partitions.ts).
//
// A request is a chain of three descriptors: the 16-byte header
// (type, sector) the device reads, the data (a bounce frame of the request's
// slot: the device writes into it for IN, reads it for OUT; absent for
// FLUSH) and the status byte the device writes. Each of QUEUE_SLOTS slots
// has its header, its status byte and its 4 KiB bounce frame, so a request
// of one buffer (at most 4 KiB) needs no allocation. Requests beyond the
// slots wait in a software queue (FIFO) and start as slots free up.
//
// Merged requests (block/blkdev.ts merges abutting requests of a plug): one
// device request for several buffers is one header, one data descriptor per
// buffer and one status byte. Each buffer takes a slot of its own for its
// bounce frame and data descriptor (3*slot+1); the first slot's header and
// status descriptors frame the chain, which runs through the others' data
// descriptors (slotNext links them), so merging needs no more memory or
// descriptors than the same requests sent one by one. A merged request may
// carry at most maxSegments buffers: the device's seg_max (VIRTIO_BLK_F_SEG_MAX,
// capped at MAX_SEGMENTS); a device that does not offer seg_max gets one
// buffer per request, as Linux's virtio_blk does. Segments are single
// buffers of at most 4 KiB, so size_max is not needed.
//
// Completion: the device puts the chain on the used ring and raises its
// interrupt (PLIC source 1 + slot). The handler acknowledges it, walks the
// used ring from the last index seen, copies read data from the bounce
// frame into the buffer, and ends the request (block/blkdev.ts endRequest:
// counters, buffer state, waiters woken). A status other than OK gives the
// request -EIO (logged). A device that completes at once (a synchronous
// backend) has its chain on the used ring when QueueNotify returns: the
// driver reaps it there and then, so the reader never sleeps.
//
// Concepts: C13 (a device driver: registers, DMA descriptor rings,
// interrupts, a request queue), C11 (the completion interrupt through the
// PLIC), C60 (sectors by LBA).
import type { Kernel } from "../kernel.js";
import * as L from "../../hw/core/layout.js";
import { allocFrame, RAM_BASE } from "../mm/phys.js";
import {
  addDisk, defineBlockDriver, endRequest, lookupBlockDevice, mkdev, SECTOR_SHIFT, VIRTBLK_MAJOR, VIRTBLK_MINORS,
  type BlockDevice, type BlockRequest,
} from "../block/blkdev.js";
import { enableIrq, defineIrqHandler } from "./irq.js";
import { logInfo } from "../log.js";
import { finishPendingScans } from "../block/partitions.js";
import { blockNodesChanged } from "../fs/blockdev.js";
import { EIO } from "../abi/errno.js";
import { getU32, putU32, putU64 } from "../abi/le.js";

// MMIO registers (virtio 1.x, 4.2.2) and status bits (2.1).
const MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014;
const DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038;
const QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070;
const QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090, QUEUE_DRIVER_HIGH = 0x094;
const QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4, CONFIG = 0x100;
const S_ACKNOWLEDGE = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8, S_FAILED = 0x80;
const MAGIC_VIRT = 0x74726976;
const ID_BLOCK = 2;
// Feature bits: in the low word SEG_MAX (2), RO (5), BLK_SIZE (6), FLUSH (9); VERSION_1 is bit 32 (bit 0 of the high word).
const F_SEG_MAX = 1 << 2, F_RO = 1 << 5, F_BLK_SIZE = 1 << 6, F_FLUSH = 1 << 9;
/** Config space: seg_max (u32) at 12. */
const CONFIG_SEG_MAX = 12;
/** The most buffers one merged request carries (fewer than QUEUE_SLOTS, so a group always fits once the queue drains). */
export const MAX_SEGMENTS = 16;
const F_VERSION_1_HI = 1;
// Request types and status (5.2.6).
const T_IN = 0, T_OUT = 1, T_FLUSH = 4;
const BLK_S_OK = 0;
const DESC_F_NEXT = 1, DESC_F_WRITE = 2;

/** Descriptors in the queue (the device offers up to 256; 3 per request). */
const QUEUE_NUM_WANTED = 64;
/** Requests in flight at once: each takes 3 descriptors and owns a bounce frame. */
const QUEUE_SLOTS = 21;
// Layout of the ring frame: descriptors at 0 (16 each), available ring at 1024, used ring at 2048.
const AVAIL_OFF = 1024, USED_OFF = 2048;
// Layout of the header frame: slot i's header at 16*i, its status byte at 512 + i.
const STATUS_OFF = 512;

/** One virtio disk the driver runs (k.drivers.virtioBlk). */
export interface VirtioBlkDisk {
  /** The mmio slot, its registers' base and its PLIC source. */
  slot: number;
  base: number;
  irq: number;
  /** The whole disk's dev. */
  dev: number;
  queueNum: number;
  /** Physical addresses: the ring frame, the header/status frame, one bounce frame per slot. */
  ringPa: number;
  hdrPa: number;
  bouncePa: number[];
  /** The request id occupying each slot (0: free). */
  slotReq: number[];
  /** The next slot of the same device request (a merged one), or -1. */
  slotNext: number[];
  /** Buffers one device request may carry (seg_max, capped; 1 without VIRTIO_BLK_F_SEG_MAX). */
  maxSegments: number;
  /** Our next available-ring index, and the next used-ring index to reap (both mod 2^16). */
  availIdx: number;
  usedSeen: number;
  /** Device requests waiting for free slots (FIFO): each the ids of its block requests (several when merged). */
  waiting: number[][];
  /** Flush supported (VIRTIO_BLK_F_FLUSH negotiated). */
  flush: boolean;
  /** Counters: requests submitted to the device (a merged one once), of them merged ones, interrupts taken, bytes moved. */
  submitted: number;
  mergedSubmitted: number;
  interrupts: number;
  bytesRead: number;
  bytesWritten: number;
}

function reg(k: Kernel, d: VirtioBlkDisk, off: number): number {
  return k.machine.bus.read(d.base + off, 4) >>> 0;
}
function setReg(k: Kernel, d: VirtioBlkDisk, off: number, v: number): void {
  k.machine.bus.write(d.base + off, 4, v >>> 0);
}

function getU16(b: Uint8Array, p: number): number { return b[p] | (b[p + 1] << 8); }
function putU16(b: Uint8Array, p: number, v: number): void { b[p] = v; b[p + 1] = v >>> 8; }

/** The disk of slot `unit` (the BlockDevice's driverUnit). */
function diskOf(k: Kernel, unit: number): VirtioBlkDisk | undefined {
  return k.drivers.virtioBlk.find((d) => d.slot === unit);
}

const VIRTIO_BLK = defineBlockDriver("virtio_blk", {
  submit(k, disk, req) {
    const d = diskOf(k, disk.driverUnit);
    if (!d) { endRequest(k, req, -EIO); return; }
    if (req.op === "flush" && !d.flush) { endRequest(k, req, 0); return; } // no volatile cache to flush
    d.waiting.push([req.id]);
    startWaiting(k, d);
  },
  submitMerged(k, disk, reqs) {
    const d = diskOf(k, disk.driverUnit);
    if (!d) { for (const r of reqs) endRequest(k, r, -EIO); return; }
    // Never more than the device takes (the block layer asked for at most disk.maxSegments).
    for (let i = 0; i < reqs.length; i += d.maxSegments) d.waiting.push(reqs.slice(i, i + d.maxSegments).map((r) => r.id));
    startWaiting(k, d);
  },
});

/** Put waiting requests into free slots and notify the device once; then reap what completed at once. */
function startWaiting(k: Kernel, d: VirtioBlkDisk): void {
  let started = 0;
  while (d.waiting.length > 0) {
    const group = d.waiting[0];
    let free = 0;
    for (let i = 0; i < QUEUE_SLOTS; i++) if (d.slotReq[i] === 0) free++;
    if (free < group.length) break; // FIFO: the head waits for its slots
    d.waiting.shift();
    const reqs: BlockRequest[] = [];
    for (const id of group) { const req = k.block.inflight.get(id); if (req) reqs.push(req); }
    if (reqs.length === 0) continue; // ended meanwhile
    fillSlots(k, d, reqs);
    started++;
  }
  if (started > 0) {
    setReg(k, d, QUEUE_NOTIFY, 0);
    reap(k, d); // a device that answered at once
  }
}

/**
 * Write one device request for `reqs` (one, or several merged: same op,
 * abutting sectors) into free slots and put it on the available ring (no
 * notify). The caller checked that enough slots are free.
 */
function fillSlots(k: Kernel, d: VirtioBlkDisk, reqs: BlockRequest[]): void {
  const ram = k.pm.ram;
  const first = reqs[0];
  const slots: number[] = [];
  for (let i = 0; i < QUEUE_SLOTS && slots.length < reqs.length; i++) if (d.slotReq[i] === 0) slots.push(i);
  const head = slots[0];
  const hdr = d.hdrPa + 16 * head;
  const status = d.hdrPa + STATUS_OFF + head;
  const type = first.op === "read" ? T_IN : first.op === "write" ? T_OUT : T_FLUSH;
  putU32(ram, hdr - RAM_BASE, type);
  putU32(ram, hdr - RAM_BASE + 4, 0);
  putU64(ram, hdr - RAM_BASE + 8, first.sector);
  ram[status - RAM_BASE] = 0xff;
  const desc = (i: number, addr: number, n: number, flags: number, next: number): void => {
    const at = d.ringPa - RAM_BASE + 16 * i;
    putU64(ram, at, addr);
    putU32(ram, at + 8, n);
    putU16(ram, at + 12, flags);
    putU16(ram, at + 14, next);
  };
  // Header (3*head) -> data of each slot (3*slot+1) in sector order -> status (3*head+2); a flush has no data.
  const statusDesc = 3 * head + 2;
  if (first.op === "flush") {
    desc(3 * head, hdr, 16, DESC_F_NEXT, statusDesc);
    d.slotReq[head] = first.id;
    d.slotNext[head] = -1;
  } else {
    desc(3 * head, hdr, 16, DESC_F_NEXT, 3 * head + 1);
    for (let i = 0; i < reqs.length; i++) {
      const req = reqs[i], slot = slots[i];
      const bounce = d.bouncePa[slot];
      const len = req.count << SECTOR_SHIFT;
      if (req.op === "write" && req.bh) ram.set(req.bh.data.subarray(0, len), bounce - RAM_BASE);
      const next = i + 1 < reqs.length ? 3 * slots[i + 1] + 1 : statusDesc;
      desc(3 * slot + 1, bounce, len, DESC_F_NEXT | (req.op === "read" ? DESC_F_WRITE : 0), next);
      d.slotReq[slot] = req.id;
      d.slotNext[slot] = i + 1 < reqs.length ? slots[i + 1] : -1;
    }
  }
  desc(statusDesc, status, 1, DESC_F_WRITE, 0);
  // Available ring: flags u16, idx u16, ring[num] u16.
  const avail = d.ringPa - RAM_BASE + AVAIL_OFF;
  putU16(ram, avail + 4 + 2 * (d.availIdx % d.queueNum), 3 * head);
  d.availIdx = (d.availIdx + 1) & 0xffff;
  putU16(ram, avail + 2, d.availIdx); // the index store comes after the entry (a real driver's write barrier)
  d.submitted++;
  if (reqs.length > 1) d.mergedSubmitted++;
}

/** Walk the used ring from the last entry seen: end each completed request. Returns how many. */
function reap(k: Kernel, d: VirtioBlkDisk): number {
  const ram = k.pm.ram;
  const used = d.ringPa - RAM_BASE + USED_OFF;
  let n = 0;
  for (let guard = 0; guard < 0x10000; guard++) {
    const idx = getU16(ram, used + 2);
    if (d.usedSeen === idx) break;
    const e = used + 4 + 8 * (d.usedSeen % d.queueNum);
    const head = getU32(ram, e);
    d.usedSeen = (d.usedSeen + 1) & 0xffff;
    const slot = Math.floor(head / 3);
    if (head % 3 !== 0 || slot >= QUEUE_SLOTS || d.slotReq[slot] === 0) {
      logInfo(k, `virtio_blk vd${letter(d)}: device returned unknown descriptor ${head}`);
      continue;
    }
    // One status byte (the head slot's) for every buffer of the request.
    const status = k.pm.ram[d.hdrPa - RAM_BASE + STATUS_OFF + slot];
    for (let s = slot, guard2 = 0; s >= 0 && guard2 < QUEUE_SLOTS; guard2++) {
      const cur = s;
      const id = d.slotReq[cur];
      s = d.slotNext[cur];
      d.slotReq[cur] = 0;
      d.slotNext[cur] = -1;
      const req = k.block.inflight.get(id);
      if (!req) continue;
      const len = req.count << SECTOR_SHIFT;
      if (status === BLK_S_OK) {
        if (req.op === "read" && req.bh) {
          const at = d.bouncePa[cur] - RAM_BASE;
          req.bh.data.set(k.pm.ram.subarray(at, at + len));
          d.bytesRead += len;
        } else if (req.op === "write") d.bytesWritten += len;
        endRequest(k, req, 0);
      } else {
        logInfo(k, `virtio_blk vd${letter(d)}: request ${req.op} sector ${req.sector} failed with status ${status}`);
        endRequest(k, req, -EIO);
      }
    }
    n++;
  }
  return n;
}

function letter(d: VirtioBlkDisk): string {
  return String.fromCharCode(97 + (d.dev >>> 8 === VIRTBLK_MAJOR ? (d.dev & 0xff) / VIRTBLK_MINORS : 0));
}

const VIRTIO_BLK_IRQ = defineIrqHandler("virtio_blk", (k, irq) => {
  const d = k.drivers.virtioBlk.find((x) => x.irq === irq);
  if (!d) return;
  d.interrupts++;
  const isr = reg(k, d, INTERRUPT_STATUS);
  if (isr) setReg(k, d, INTERRUPT_ACK, isr);
  reap(k, d);
  startWaiting(k, d);
  afterCompletions(k);
});

/** Partition scans that waited for their sector (boot on a slow disk) finish now; /dev follows. */
function afterCompletions(k: Kernel): void {
  if (k.block.scanPending.length === 0) return;
  if (finishPendingScans(k).length) blockNodesChanged(k);
}

/**
 * Probe the virtio-mmio slots for block devices and initialise each (boot).
 * Returns the whole disks found.
 */
export function probeVirtioBlk(k: Kernel): BlockDevice[] {
  const out: BlockDevice[] = [];
  for (let slot = 0; slot < 8; slot++) {
    const base = L.VIRTIO_BASE + slot * L.VIRTIO_STRIDE;
    const bus = k.machine.bus;
    if (bus.read(base + MAGIC, 4) !== MAGIC_VIRT || bus.read(base + VERSION, 4) !== 2 || bus.read(base + DEVICE_ID, 4) !== ID_BLOCK) continue;
    const index = k.drivers.virtioBlk.length;
    const d: VirtioBlkDisk = {
      slot, base, irq: L.VIRTIO_IRQ + slot, dev: mkdev(VIRTBLK_MAJOR, index * VIRTBLK_MINORS), queueNum: 0, ringPa: 0, hdrPa: 0,
      bouncePa: [], slotReq: new Array<number>(QUEUE_SLOTS).fill(0), slotNext: new Array<number>(QUEUE_SLOTS).fill(-1), maxSegments: 1,
      availIdx: 0, usedSeen: 0, waiting: [], flush: false, submitted: 0, mergedSubmitted: 0, interrupts: 0, bytesRead: 0, bytesWritten: 0,
    };
    const name = `vd${String.fromCharCode(97 + index)}`;
    const r = initDevice(k, d);
    if (typeof r === "string") { logInfo(k, `virtio_blk ${name}: ${r}`); continue; }
    k.drivers.virtioBlk.push(d);
    const rec = addDisk(k, { dev: d.dev, name, sectors: r.sectors, readOnly: r.readOnly, driver: VIRTIO_BLK, driverUnit: slot, maxSegments: d.maxSegments });
    enableIrq(k, d.irq, VIRTIO_BLK_IRQ);
    const mb = (r.sectors * 512) / 1e6;
    logInfo(k, `virtio_blk virtio${slot}: [${name}] ${r.sectors} 512-byte logical blocks (${mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${mb.toFixed(1)} MB`}/${fmtMiB(r.sectors * 512)})${r.readOnly ? " (read-only)" : ""}`);
    out.push(rec);
  }
  return out;
}

function fmtMiB(bytes: number): string {
  const mib = bytes / 1048576;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(1)} MiB`;
}

/** The virtio 1.x initialisation of one device; its capacity, or why it failed. */
function initDevice(k: Kernel, d: VirtioBlkDisk): { sectors: number; readOnly: boolean } | string {
  setReg(k, d, STATUS, 0); // reset
  setReg(k, d, STATUS, S_ACKNOWLEDGE);
  setReg(k, d, STATUS, S_ACKNOWLEDGE | S_DRIVER);
  setReg(k, d, DEVICE_FEATURES_SEL, 0);
  const lo = reg(k, d, DEVICE_FEATURES);
  setReg(k, d, DEVICE_FEATURES_SEL, 1);
  const hi = reg(k, d, DEVICE_FEATURES);
  if ((hi & F_VERSION_1_HI) === 0) { setReg(k, d, STATUS, S_FAILED); return "device does not offer VIRTIO_F_VERSION_1"; }
  const want = lo & (F_SEG_MAX | F_RO | F_BLK_SIZE | F_FLUSH);
  setReg(k, d, DRIVER_FEATURES_SEL, 0);
  setReg(k, d, DRIVER_FEATURES, want);
  setReg(k, d, DRIVER_FEATURES_SEL, 1);
  setReg(k, d, DRIVER_FEATURES, F_VERSION_1_HI);
  setReg(k, d, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
  if ((reg(k, d, STATUS) & S_FEATURES_OK) === 0) { setReg(k, d, STATUS, S_FAILED); return "device refused our features"; }
  d.flush = (want & F_FLUSH) !== 0;
  // seg_max counts data segments; 0 or absent: one per request.
  const segMax = (want & F_SEG_MAX) !== 0 ? reg(k, d, CONFIG + CONFIG_SEG_MAX) : 1;
  d.maxSegments = Math.max(1, Math.min(segMax, MAX_SEGMENTS));
  setReg(k, d, QUEUE_SEL, 0);
  const max = reg(k, d, QUEUE_NUM_MAX);
  if (max < 3 * QUEUE_SLOTS) { setReg(k, d, STATUS, S_FAILED); return `queue too small (${max})`; }
  d.queueNum = Math.min(max, QUEUE_NUM_WANTED);
  d.ringPa = allocFrame(k.pm);
  d.hdrPa = allocFrame(k.pm);
  for (let i = 0; i < QUEUE_SLOTS; i++) d.bouncePa.push(allocFrame(k.pm));
  if (!d.ringPa || !d.hdrPa || d.bouncePa.includes(0)) { setReg(k, d, STATUS, S_FAILED); return "out of memory for the queue"; }
  setReg(k, d, QUEUE_NUM, d.queueNum);
  setReg(k, d, QUEUE_DESC_LOW, d.ringPa % 0x100000000); setReg(k, d, QUEUE_DESC_HIGH, Math.floor(d.ringPa / 0x100000000));
  const av = d.ringPa + AVAIL_OFF, us = d.ringPa + USED_OFF;
  setReg(k, d, QUEUE_DRIVER_LOW, av % 0x100000000); setReg(k, d, QUEUE_DRIVER_HIGH, Math.floor(av / 0x100000000));
  setReg(k, d, QUEUE_DEVICE_LOW, us % 0x100000000); setReg(k, d, QUEUE_DEVICE_HIGH, Math.floor(us / 0x100000000));
  setReg(k, d, QUEUE_READY, 1);
  setReg(k, d, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
  const sectors = reg(k, d, CONFIG) + reg(k, d, CONFIG + 4) * 0x100000000;
  return { sectors, readOnly: (want & F_RO) !== 0 };
}

/**
 * Reap completions of every virtio disk without an interrupt (the host calls
 * it when the device completed requests while every hart was idle, as an
 * idle hart in wfi would take the interrupt; and when it drains the disk at
 * power-off). Returns how many requests ended.
 */
export function virtioBlkPoll(k: Kernel): number {
  let n = 0;
  for (const d of k.drivers.virtioBlk) {
    const isr = reg(k, d, INTERRUPT_STATUS);
    if (isr) setReg(k, d, INTERRUPT_ACK, isr);
    n += reap(k, d);
    startWaiting(k, d);
  }
  afterCompletions(k);
  return n;
}

/** The driver's counters of the disk with dev `dev` (for /proc/tsix/virtio_blk and tests). */
export function virtioBlkCounters(k: Kernel, dev: number): VirtioBlkDisk | undefined {
  const rec = lookupBlockDevice(k, dev);
  return rec ? diskOf(k, rec.driverUnit) : undefined;
}
