// The virtio block device (device ID 2, virtio 1.x section 5.2): the disk a
// kernel's block driver reads and writes by DMA. It sits behind a virtio-mmio
// slot (virtio_mmio.ts) and a BlockBackend (hw/disk.ts: a file, memory).
//
// One request queue. Each request is a descriptor chain:
//   device-readable: header { u32 type; u32 reserved; u64 sector } [+ data for OUT]
//   device-writable: [data for IN / GET_ID] + u8 status
// The device makes no assumption about how the driver splits these bytes over
// descriptors. Types served: IN (0) read, OUT (1) write, FLUSH (4), GET_ID (8,
// a 20-byte serial); any other type completes with status UNSUPP. A transfer
// that is not whole sectors, runs past the end of the disk, writes a read-only
// disk, or fails in the backend completes with IOERR. A chain without room for
// the header or the status byte is malformed: the device needs reset.
// used.len is the number of bytes the device wrote into the writable part: the
// data and the status byte for IN, the ID and the status for GET_ID, 1 otherwise.
//
// Requests are served when the driver writes QueueNotify. A backend that
// completes at once (a file read with synchronous I/O, memory) gives the
// answer there and then, and the device raises its interrupt (a used-buffer
// notification) before the store to QueueNotify retires. A backend that
// answers later (host/block.ts: a pending ticket) leaves the request in
// flight in the device: the data of a write was copied into a buffer of the
// request's own, a read lands in one; the chain's segments are remembered.
// When the host has the answer, its owner calls pollCompletions() between
// run slices (from the host's event loop): the device copies the read data
// into guest memory, writes the status byte, puts the chain on the used ring
// and raises its interrupt - as a real disk controller interrupts when the
// platter has answered, while the CPU did other work or slept in wfi.
//
// Configuration space: capacity (u64, 512-byte sectors) at 0, seg_max at 12,
// blk_size at 20. Features offered: FLUSH, SEG_MAX, BLK_SIZE, and RO for a
// read-only backend.
//
// Concepts: C13 (DMA-based device and its request queue), C60 (sectors by LBA).

import { SECTOR_SIZE, type BlockBackend } from '../disk.js';
import {
  chainRead, chainSpan, chainWrite, chainWriteByte, createDescChain, featureBit, serviceQueue, SERVICE_DEFERRED,
  type DescChain, type VirtioDeviceModel, type VirtioDeviceSaved, type VirtioTransport,
} from './virtio_mmio.js';

export const VIRTIO_ID_BLOCK = 2;

// Feature bits (5.2.3).
export const VIRTIO_BLK_F_SIZE_MAX = 1;
export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_RO = 5;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;

// Request types and status values (5.2.6).
export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;
export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const VIRTIO_BLK_HEADER_SIZE = 16;
export const VIRTIO_BLK_ID_BYTES = 20;
export const VIRTIO_BLK_QUEUE_SIZE = 256;
const CONFIG_SIZE = 0x24; // up to and including the topology fields (all zero)

export interface VirtioBlkStats {
  requests: number;
  reads: number;
  writes: number;
  flushes: number;
  getIds: number;
  unsupported: number;
  errors: number;      // requests completed with IOERR
  bytesRead: number;   // from the disk into guest memory
  bytesWritten: number; // from guest memory onto the disk
}

export interface VirtioBlkOptions {
  backend: BlockBackend;
  /** The device's serial number, returned by GET_ID (at most 20 bytes used). */
  serial?: string;
  queueSize?: number;
}

export interface VirtioBlk extends VirtioDeviceModel {
  readonly backend: BlockBackend;
  readonly stats: VirtioBlkStats;
  /** Requests the backend has not answered yet (a snapshot waits until this is 0). */
  inFlight(): number;
  /** Complete the requests whose backend answer has come; returns how many completed. Call between run slices. */
  pollCompletions(): number;
}

/** A request whose backend answer comes later: what completing it needs. */
interface PendingRequest {
  type: number;
  dataLen: number;     // bytes of data (read: to copy into the chain; write: carried)
  buf: Uint8Array;     // the request's own buffer (read destination, or write source)
  chain: DescChain;    // a copy of the chain's segments
  written: number;     // used.len on success
}

/** handle()'s answer for a request left in flight. */
const DEFERRED = -2;

export function createVirtioBlk(opts: VirtioBlkOptions): VirtioBlk {
  const backend = opts.backend;
  const queueSize = opts.queueSize ?? VIRTIO_BLK_QUEUE_SIZE;
  const chain = createDescChain(queueSize);
  const header = new Uint8Array(VIRTIO_BLK_HEADER_SIZE);
  const headerView = new DataView(header.buffer);
  const id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
  id.set(new TextEncoder().encode(opts.serial ?? 'tsix-virtio-blk').subarray(0, VIRTIO_BLK_ID_BYTES));
  let bounce = new Uint8Array(0);
  const stats: VirtioBlkStats = {
    requests: 0, reads: 0, writes: 0, flushes: 0, getIds: 0, unsupported: 0, errors: 0, bytesRead: 0, bytesWritten: 0,
  };

  let features = featureBit(VIRTIO_BLK_F_FLUSH) | featureBit(VIRTIO_BLK_F_SEG_MAX) | featureBit(VIRTIO_BLK_F_BLK_SIZE);
  if (backend.readOnly) features |= featureBit(VIRTIO_BLK_F_RO);

  const config = new Uint8Array(CONFIG_SIZE);
  const configView = new DataView(config.buffer);
  configView.setBigUint64(0, BigInt(backend.sectors), true);   // capacity
  configView.setUint32(12, queueSize - 2, true);               // seg_max: header and status take two
  configView.setUint32(20, SECTOR_SIZE, true);                 // blk_size

  /** Requests in flight by backend ticket, and the transport to complete them on. */
  const pending = new Map<number, PendingRequest>();
  let transport: VirtioTransport | null = null;
  /** The request being handled, when the backend left it pending (set by read/write/flush). */
  let deferred: { ticket: number; buf: Uint8Array; dataLen: number } | null = null;

  function copyChain(c: DescChain): DescChain {
    const d = createDescChain(c.count);
    d.head = c.head; d.count = c.count; d.firstWritable = c.firstWritable; d.readable = c.readable; d.writable = c.writable;
    d.index.set(c.index.subarray(0, c.count));
    d.len.set(c.len.subarray(0, c.count));
    return d;
  }

  function scratch(n: number): Uint8Array {
    if (bounce.length < n) bounce = new Uint8Array(Math.max(n, 2 * bounce.length));
    return bounce.subarray(0, n);
  }

  /** Whole sectors inside the disk? */
  function inRange(sector: number, bytes: number): boolean {
    return bytes % SECTOR_SIZE === 0 && sector + bytes / SECTOR_SIZE <= backend.sectors;
  }

  // A backend that can answer later always gets a buffer of the request's own (it may fill or read it
  // after queueNotify returns); a synchronous one reads and writes guest memory directly, as before.
  const mayDefer = typeof backend.takeCompleted === "function";

  function read(ram: Uint8Array, c: DescChain, sector: number, dataLen: number): number {
    stats.reads++;
    if (!inRange(sector, dataLen)) return VIRTIO_BLK_S_IOERR;
    if (dataLen === 0) return VIRTIO_BLK_S_OK;
    if (mayDefer) {
      const buf = new Uint8Array(dataLen);
      const r = backend.read(sector, buf);
      if (r !== undefined) { deferred = { ticket: r.ticket, buf, dataLen }; return VIRTIO_BLK_S_OK; }
      chainWrite(ram, c, 0, buf);
      stats.bytesRead += dataLen;
      return VIRTIO_BLK_S_OK;
    }
    const at = chainSpan(c, true, 0, dataLen);
    if (at >= 0) {
      backend.read(sector, ram.subarray(at, at + dataLen)); // straight into guest memory
    } else {
      const buf = scratch(dataLen);
      backend.read(sector, buf);
      chainWrite(ram, c, 0, buf);
    }
    stats.bytesRead += dataLen;
    return VIRTIO_BLK_S_OK;
  }

  function write(ram: Uint8Array, c: DescChain, sector: number, dataLen: number): number {
    stats.writes++;
    if (backend.readOnly || !inRange(sector, dataLen)) return VIRTIO_BLK_S_IOERR;
    if (dataLen === 0) return VIRTIO_BLK_S_OK;
    if (mayDefer) {
      const buf = new Uint8Array(dataLen);
      chainRead(ram, c, VIRTIO_BLK_HEADER_SIZE, buf);
      const r = backend.write(sector, buf);
      if (r !== undefined) { deferred = { ticket: r.ticket, buf, dataLen }; return VIRTIO_BLK_S_OK; }
      stats.bytesWritten += dataLen;
      return VIRTIO_BLK_S_OK;
    }
    const at = chainSpan(c, false, VIRTIO_BLK_HEADER_SIZE, dataLen);
    if (at >= 0) {
      backend.write(sector, ram.subarray(at, at + dataLen));
    } else {
      const buf = scratch(dataLen);
      chainRead(ram, c, VIRTIO_BLK_HEADER_SIZE, buf);
      backend.write(sector, buf);
    }
    stats.bytesWritten += dataLen;
    return VIRTIO_BLK_S_OK;
  }

  /** Serve one request; returns used.len, or -1 when the chain is malformed. */
  function handle(t: VirtioTransport, c: DescChain): number {
    if (c.readable < VIRTIO_BLK_HEADER_SIZE) {
      t.fail(`virtio-blk: request ${c.head} has ${c.readable} header bytes, needs ${VIRTIO_BLK_HEADER_SIZE}`);
      return -1;
    }
    if (c.writable < 1) {
      t.fail(`virtio-blk: request ${c.head} has no room for the status byte`);
      return -1;
    }
    stats.requests++;
    const ram = t.mem.ram;
    chainRead(ram, c, 0, header);
    const type = headerView.getUint32(0, true);
    const sector = headerView.getUint32(8, true) + headerView.getUint32(12, true) * 0x100000000;
    const dataOut = c.readable - VIRTIO_BLK_HEADER_SIZE; // bytes the driver gave us to write
    const dataIn = c.writable - 1;                       // room for bytes we return
    let status: number;
    let written = 1;
    try {
      switch (type) {
        case VIRTIO_BLK_T_IN:
          status = read(ram, c, sector, dataIn);
          if (status === VIRTIO_BLK_S_OK) written = dataIn + 1;
          break;
        case VIRTIO_BLK_T_OUT:
          status = write(ram, c, sector, dataOut);
          break;
        case VIRTIO_BLK_T_FLUSH:
          stats.flushes++;
          {
            const r = backend.flush();
            if (r !== undefined) deferred = { ticket: r.ticket, buf: new Uint8Array(0), dataLen: 0 };
          }
          status = VIRTIO_BLK_S_OK;
          break;
        case VIRTIO_BLK_T_GET_ID: {
          stats.getIds++;
          const n = Math.min(VIRTIO_BLK_ID_BYTES, dataIn);
          chainWrite(ram, c, 0, id.subarray(0, n));
          written = n + 1;
          status = VIRTIO_BLK_S_OK;
          break;
        }
        default:
          stats.unsupported++;
          status = VIRTIO_BLK_S_UNSUPP;
      }
    } catch {
      // The backend failed (host I/O error, closed file): the guest sees an I/O error.
      status = VIRTIO_BLK_S_IOERR;
      written = 1;
    }
    if (deferred !== null) {
      // The backend answers later: the chain stays with the device until pollCompletions().
      pending.set(deferred.ticket, { type, dataLen: deferred.dataLen, buf: deferred.buf, chain: copyChain(c), written });
      deferred = null;
      return DEFERRED;
    }
    if (status === VIRTIO_BLK_S_IOERR) stats.errors++;
    chainWriteByte(ram, c, c.writable - 1, status);
    return written;
  }

  /** The backend answered request `p`: data into the chain, status byte, used ring. */
  function complete(t: VirtioTransport, p: PendingRequest, error: string | null): void {
    const ram = t.mem.ram;
    let status = VIRTIO_BLK_S_OK;
    let written = p.written;
    if (error !== null) {
      status = VIRTIO_BLK_S_IOERR;
      written = 1;
      stats.errors++;
    } else if (p.type === VIRTIO_BLK_T_IN) {
      chainWrite(ram, p.chain, 0, p.buf);
      stats.bytesRead += p.dataLen;
    } else if (p.type === VIRTIO_BLK_T_OUT) {
      stats.bytesWritten += p.dataLen;
    }
    chainWriteByte(ram, p.chain, p.chain.writable - 1, status);
    t.push(0, p.chain.head, written);
  }

  return {
    deviceId: VIRTIO_ID_BLOCK,
    features,
    numQueues: 1,
    queueNumMax: queueSize,
    configSize: CONFIG_SIZE,
    backend,
    stats,
    readConfig(offset: number, width: number): number {
      if (width === 1) return config[offset];
      if (width === 2) return configView.getUint16(offset, true);
      return configView.getUint32(offset, true);
    },
    writeConfig(): void {
      // Nothing is writable: CONFIG_WCE (the writeback toggle) is not offered.
    },
    queueNotify(t: VirtioTransport, queue: number): void {
      if (queue !== 0) return;
      transport = t;
      serviceQueue(t, queue, chain, (c) => {
        const n = handle(t, c);
        return n === DEFERRED ? SERVICE_DEFERRED : n;
      });
    },
    reset(): void {
      // Requests in flight are forgotten: their answers, when they come, complete nothing
      // (the driver reset the device and rebuilds its queue).
      pending.clear();
    },
    inFlight(): number {
      return mayDefer ? Math.max(pending.size, backend.inFlight?.() ?? 0) : 0;
    },
    pollCompletions(): number {
      if (!mayDefer) return 0;
      const done = backend.takeCompleted!();
      let n = 0;
      for (const { ticket, error } of done) {
        const p = pending.get(ticket);
        if (p === undefined) continue; // answered after a reset
        pending.delete(ticket);
        if (transport !== null) { complete(transport, p, error); n++; }
      }
      if (n > 0 && transport !== null) transport.notifyUsed(0);
      return n;
    },
    // A snapshot is taken only when no request is in flight (inFlight() is 0:
    // the vmm waits for the host's answers first), so the state is the
    // counters, plus the disk's shape so that a restore can check it was
    // given the same disk (the disk's bytes are the host's file, reopened by
    // the caller, never part of the snapshot).
    save(): VirtioDeviceSaved {
      if (pending.size > 0) throw new Error('virtio-blk: cannot save with requests in flight (wait until inFlight() is 0)');
      return { sectors: backend.sectors, readOnly: backend.readOnly, ...stats };
    },
    load(saved: VirtioDeviceSaved): void {
      if (saved.sectors !== backend.sectors || saved.readOnly !== backend.readOnly) {
        throw new RangeError(`virtio-blk: saved with a ${saved.readOnly ? 'read-only ' : ''}disk of ${saved.sectors} sectors, ` +
          `this one has ${backend.readOnly ? 'a read-only disk' : 'a disk'} of ${backend.sectors}`);
      }
      const keys = Object.keys(stats) as (keyof VirtioBlkStats)[];
      for (const k of keys) {
        const x = saved[k];
        if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw new RangeError(`virtio-blk: malformed saved counter ${k}`);
      }
      for (const k of keys) stats[k] = saved[k] as number;
    },
  };
}
