// Disk images for the block-layer tests, written byte by byte here (no
// partitioning tool needed): an MBR with up to four primary entries (CHS
// fields filled the way fdisk does for LBA disks: 255 heads, 63 sectors) and
// recognisable contents.
import { writeFileSync } from "node:fs";

export interface PartSpec { type: number; start: number; sectors: number; boot?: boolean }

function chs(lba: number): [number, number, number] {
  const c = Math.floor(lba / (255 * 63));
  if (c > 1023) return [0xfe, 0xff, 0xff];
  const h = Math.floor(lba / 63) % 255;
  const s = (lba % 63) + 1;
  return [h, s | ((c >> 2) & 0xc0), c & 0xff];
}

/** A disk of `bytes` with an MBR of `parts` (and the 0x55AA signature unless `noSignature`). */
export function mbrImage(bytes: number, parts: PartSpec[], opts: { noSignature?: boolean } = {}): Uint8Array {
  const img = new Uint8Array(bytes);
  const v = new DataView(img.buffer);
  parts.forEach((p, i) => {
    const e = 446 + 16 * i;
    img[e] = p.boot ? 0x80 : 0;
    img.set(chs(p.start), e + 1);
    img[e + 4] = p.type;
    img.set(chs(p.start + p.sectors - 1), e + 5);
    v.setUint32(e + 8, p.start, true);
    v.setUint32(e + 12, p.sectors, true);
  });
  if (!opts.noSignature) { img[510] = 0x55; img[511] = 0xaa; }
  return img;
}

/** Where the one partition of diskWithPartition starts, in sectors (1 MiB, where fdisk puts the first). */
export const PART_START = 2048;

/** A disk whose MBR partition 1 (of `type`) at PART_START holds `fs`, a file system image. */
export function diskWithPartition(fs: Uint8Array, type = 0x83): Uint8Array {
  const disk = mbrImage(PART_START * 512 + fs.length, [{ type, start: PART_START, sectors: fs.length / 512 }]);
  disk.set(fs, PART_START * 512);
  return disk;
}

/** Fill sectors [start, start+count) with a pattern that names each byte's position (a PRNG seeded by `seed`). */
export function fillPattern(img: Uint8Array, start: number, count: number, seed: number): void {
  let x = seed >>> 0 || 1;
  for (let i = start * 512; i < (start + count) * 512; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    img[i] = x & 0xff;
  }
}

/** The standard test disk: 8 MiB, vda1 = sectors 2048..10239 (Linux, bootable), vda2 = 10240..16383; both filled with patterns. */
export function standardDisk(): Uint8Array {
  const img = mbrImage(8 << 20, [{ type: 0x83, start: 2048, sectors: 8192, boot: true }, { type: 0x83, start: 10240, sectors: 6144 }]);
  fillPattern(img, 2048, 8192, 1);
  fillPattern(img, 10240, 6144, 2);
  return img;
}

export function writeImage(path: string, img: Uint8Array): void {
  writeFileSync(path, img);
}
