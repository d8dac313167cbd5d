// Disk images for the machine: what a block device (virtio-blk) reads and writes
// behind its registers. A backend is an array of 512-byte sectors addressed by
// LBA; hw/ only knows this interface, and host/ supplies backends on real
// storage (a file in Node, OPFS in a browser). memoryDisk() keeps the sectors
// in a Uint8Array, for tests and for throw-away disks.
//
// Concepts: C60 (sectors addressed by LBA), C13 (the storage behind a device
// controller).

// The interface itself is host/block.ts (hw imports it type-only): a backend
// may complete a request later, and virtio_blk.ts handles both cases.
import type { BlockBackend } from "../host/block.js";
export type { BlockBackend, BlockPending, BlockCompletion } from "../host/block.js";

export const SECTOR_SIZE = 512;

/** Throw unless [sector, sector + buf.length/512) is a whole-sector range inside the disk. */
export function checkRange(backend: BlockBackend, sector: number, buf: Uint8Array): void {
  if (buf.length % SECTOR_SIZE !== 0) {
    throw new RangeError(`disk: transfer of ${buf.length} bytes is not a whole number of sectors`);
  }
  const count = buf.length / SECTOR_SIZE;
  if (!Number.isInteger(sector) || sector < 0 || sector + count > backend.sectors) {
    throw new RangeError(`disk: sectors ${sector}..${sector + count - 1} are outside a disk of ${backend.sectors}`);
  }
}

export interface MemoryDisk extends BlockBackend {
  /** The disk's bytes (shared, not copied). */
  readonly bytes: Uint8Array;
  readonly flushes: number;
}

/**
 * A disk held in memory. Given bytes, it uses them in place (a trailing partial
 * sector is ignored); given a size in bytes, it allocates zeroed sectors
 * (rounding the size up to whole sectors).
 */
export function memoryDisk(bytesOrSize: Uint8Array | number, opts: { readOnly?: boolean } = {}): MemoryDisk {
  let bytes: Uint8Array;
  if (typeof bytesOrSize === 'number') {
    if (!(bytesOrSize >= 0 && Number.isSafeInteger(bytesOrSize))) throw new RangeError(`disk: bad size ${bytesOrSize}`);
    bytes = new Uint8Array(Math.ceil(bytesOrSize / SECTOR_SIZE) * SECTOR_SIZE);
  } else {
    bytes = bytesOrSize;
  }
  const readOnly = opts.readOnly ?? false;
  let flushes = 0;
  const disk: MemoryDisk = {
    sectors: Math.floor(bytes.length / SECTOR_SIZE),
    readOnly,
    bytes,
    get flushes(): number {
      return flushes;
    },
    read(sector: number, buf: Uint8Array): void {
      checkRange(disk, sector, buf);
      const start = sector * SECTOR_SIZE;
      buf.set(bytes.subarray(start, start + buf.length));
    },
    write(sector: number, buf: Uint8Array): void {
      if (readOnly) throw new Error('disk: write to a read-only disk');
      checkRange(disk, sector, buf);
      bytes.set(buf, sector * SECTOR_SIZE);
    },
    flush(): void {
      flushes++;
    },
  };
  return disk;
}
