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
// Requests are served synchronously when the driver writes QueueNotify, then
// the device raises its interrupt (a used-buffer notification).
//
// Configuration space: capacity (u64, 512-byte sectors) at 0, seg_max at 12,
// blk_size at 20. Features offered: FLUSH, SEG_MAX, BLK_SIZE, and RO for a
// read-only backend.
//
// Concepts: C13 (DMA-based device and its request queue), C60 (sectors by LBA).

import { SECTOR_SIZE, type BlockBackend } from '../disk.js';
import {
  chainRead, chainSpan, chainWrite, chainWriteByte, createDescChain, featureBit, serviceQueue,
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
}

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

  function scratch(n: number): Uint8Array {
    if (bounce.length < n) bounce = new Uint8Array(Math.max(n, 2 * bounce.length));
    return bounce.subarray(0, n);
  }

  /** Whole sectors inside the disk? */
  function inRange(sector: number, bytes: number): boolean {
    return bytes % SECTOR_SIZE === 0 && sector + bytes / SECTOR_SIZE <= backend.sectors;
  }

  function read(ram: Uint8Array, c: DescChain, sector: number, dataLen: number): number {
    stats.reads++;
    if (!inRange(sector, dataLen)) return VIRTIO_BLK_S_IOERR;
    if (dataLen === 0) return VIRTIO_BLK_S_OK;
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
          backend.flush();
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
    if (status === VIRTIO_BLK_S_IOERR) stats.errors++;
    chainWriteByte(ram, c, c.writable - 1, status);
    return written;
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
      serviceQueue(t, queue, chain, (c) => handle(t, c));
    },
    reset(): void {
      // No device state outlives a reset: requests complete synchronously.
    },
    // Requests complete synchronously, so between two slices nothing is in
    // flight: the state is the counters, plus the disk's shape so that a
    // restore can check it was given the same disk (the disk's bytes are
    // the host's file, reopened by the caller, never part of the snapshot).
    save(): VirtioDeviceSaved {
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
