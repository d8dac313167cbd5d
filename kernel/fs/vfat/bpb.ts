// The FAT boot sector: the BIOS parameter block (BPB) that says how big a
// sector and a cluster are, where the FATs, the fixed root directory of
// FAT12/16 and the data area start, and how many clusters there are; the
// FAT type follows from those numbers (FAT32 when the 16-bit FAT size is 0,
// as Linux decides; else FAT12 below 4085 clusters, FAT16 below 65525). Also
// FAT32's FSInfo sector (a hint of the free cluster count and where to look
// for a free one). Every number is checked against the device's size before
// the file system trusts it: a crafted boot sector gives a reason (a log line
// and EINVAL at mount), never an exception or a read past the device.
//
// The mounted file system's state (VfatFs) is declared here too: it is plain
// data (structuredClone copies it), like every kernel state.
//
// Concepts: C73 (FAT: the boot sector describes the volume; linked allocation
// in a file allocation table).
import type { SuperBlock, Inode } from "../vfs.js";

export const FAT12 = 12, FAT16 = 16, FAT32 = 32;

/** An operation stops here with the errno its syscall returns (-ERESTARTSYS: a read is under way). */
export class FatErr {
  constructor(readonly errno: number) {}
}
/** The image is inconsistent: the operation fails with EIO and a log line. */
export class FatCorrupt {
  constructor(readonly what: string) {}
}
export function corrupt(what: string): never {
  throw new FatCorrupt(what);
}

export function u16(b: Uint8Array, o: number): number { return b[o] | (b[o + 1] << 8); }
export function u32(b: Uint8Array, o: number): number { return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0; }
export function put16(b: Uint8Array, o: number, v: number): void { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; }
export function put32(b: Uint8Array, o: number, v: number): void { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = (v >>> 16) & 0xff; b[o + 3] = (v >>> 24) & 0xff; }

/** What the boot sector says, in bytes and clusters. */
export interface FatGeometry {
  type: number;
  bytesPerSector: number;
  clusterSize: number;
  /** Byte offset of the first FAT, and the size of each. */
  fatStart: number;
  fatBytes: number;
  nfats: number;
  /** Byte offset and size of FAT12/16's fixed root directory (0 for FAT32). */
  rootStart: number;
  rootBytes: number;
  /** FAT32's root directory's first cluster (0 for FAT12/16). */
  rootCluster: number;
  /** Byte offset of cluster 2. */
  dataStart: number;
  /** Data clusters: valid cluster numbers are 2 .. clusterCount + 1. */
  clusterCount: number;
  totalBytes: number;
  /** FAT32: byte offset of the FSInfo sector, or -1. */
  fsInfo: number;
  /** FAT32 ext_flags bit 7: only one FAT is active (no mirroring). */
  noMirror: boolean;
  label: string;
}

/** Largest FAT kept in memory (a crafted BPB cannot make the kernel allocate more). */
export const MAX_FAT_BYTES = 16 << 20;

/** Decode and check a boot sector (its first 512 bytes) for a device of `devBytes`; a geometry, or why not. */
export function parseBpb(b: Uint8Array, devBytes: number): FatGeometry | string {
  const bps = u16(b, 0x0b), spc = b[0x0d], rsvd = u16(b, 0x0e), nfats = b[0x10], rootEnt = u16(b, 0x11);
  const tot16 = u16(b, 0x13), fat16 = u16(b, 0x16), tot32 = u32(b, 0x20);
  if (![512, 1024, 2048, 4096].includes(bps)) return `bad bytes per sector ${bps}`;
  if (spc === 0 || (spc & (spc - 1)) !== 0) return `sectors per cluster ${spc} is not a power of two`;
  if (bps * spc > 65536) return `cluster size ${bps * spc} too big`;
  if (rsvd === 0) return "no reserved sectors";
  if (nfats === 0) return "no FAT";
  if (b[0x15] < 0xf0 && b[0x15] !== 0) return `bad media byte 0x${b[0x15].toString(16)}`;
  const fat32 = fat16 === 0;
  const fatSecs = fat32 ? u32(b, 0x24) : fat16;
  if (fatSecs === 0) return "FAT size is 0";
  const total = (tot16 !== 0 ? tot16 : tot32) * bps;
  if (total === 0) return "total sectors is 0";
  if (total > devBytes) return `file system (${total} bytes) is bigger than the device (${devBytes} bytes)`;
  if (fat32 && rootEnt !== 0) return "FAT32 with a fixed root directory";
  if (!fat32 && rootEnt === 0) return "FAT12/16 without root directory entries";
  const fatStart = rsvd * bps, fatBytes = fatSecs * bps;
  if (fatBytes > MAX_FAT_BYTES) return `FAT of ${fatBytes} bytes is too big`;
  const rootStart = fatStart + nfats * fatBytes;
  const rootBytes = Math.ceil((rootEnt * 32) / bps) * bps;
  const dataStart = rootStart + rootBytes;
  if (dataStart >= total) return "no room for data after the FATs";
  let clusterCount = Math.floor((total - dataStart) / (bps * spc));
  const type = fat32 ? FAT32 : clusterCount < 4085 ? FAT12 : FAT16;
  // The FAT must have an entry for every cluster; clusters it cannot describe are not used (as Linux's max_cluster).
  const entries = type === FAT32 ? Math.floor(fatBytes / 4) : type === FAT16 ? Math.floor(fatBytes / 2) : Math.floor((fatBytes * 2) / 3);
  clusterCount = Math.min(clusterCount, entries - 2, type === FAT32 ? 0x0ffffff5 : type === FAT16 ? 0xfff5 : 0xff5);
  if (clusterCount < 1) return "no data clusters";
  const rootCluster = fat32 ? u32(b, 0x2c) & 0x0fffffff : 0;
  if (fat32 && (rootCluster < 2 || rootCluster >= clusterCount + 2)) return `root cluster ${rootCluster} outside 2..${clusterCount + 1}`;
  const fsInfoSec = fat32 ? u16(b, 0x30) : 0;
  const fsInfo = fat32 && fsInfoSec !== 0 && fsInfoSec !== 0xffff && fsInfoSec < rsvd ? fsInfoSec * bps : -1;
  const labelOff = fat32 ? 0x47 : 0x2b;
  const label = String.fromCharCode(...b.subarray(labelOff, labelOff + 11)).trimEnd();
  return {
    type, bytesPerSector: bps, clusterSize: bps * spc, fatStart, fatBytes, nfats, rootStart: fat32 ? 0 : rootStart,
    rootBytes: fat32 ? 0 : rootBytes, rootCluster, dataStart, clusterCount, totalBytes: total, fsInfo,
    noMirror: fat32 && (u16(b, 0x28) & 0x80) !== 0, label,
  };
}

/** FSInfo signatures (lead, struct, trail) are all right. */
export function fsInfoValid(s: Uint8Array): boolean {
  return u32(s, 0) === 0x41615252 && u32(s, 484) === 0x61417272 && u32(s, 508) === 0xaa550000;
}

/** Mount options (uid=, gid=, umask=, fmask=, dmask=, as Linux's fat). */
export interface FatOptions {
  uid: number;
  gid: number;
  fmask: number;
  dmask: number;
  /** Mount-option text for /proc/mounts. */
  shown: string;
}

/** The mounted file system: geometry, the FAT in memory, inodes. Plain data. */
export interface VfatFs {
  dev: number;
  /** Buffer size used for this device (1024..4096). */
  bs: number;
  devBytes: number;
  g: FatGeometry;
  /** The active FAT, whole (read at mount: allocation and chain walks never wait for the disk). */
  fat: Uint8Array;
  /** FAT sectors changed since the last flush (indexes of bytesPerSector-sized pieces). */
  dirtyFat: Set<number>;
  /** Free clusters (counted at mount) and where the next search starts. */
  freeCount: number;
  nextFree: number;
  /** FSInfo is present and valid (then it is kept up to date). */
  fsInfoOk: boolean;
  fsInfoDirty: boolean;
  /** Blocks holding metadata bytes and other bytes (a FAT region's ends, FSInfo): read before a flush writes into them. */
  metaEdges: number[];
  opts: FatOptions;
  readOnly: boolean;
  /** Set while an operation changes things (a read then is a bug, logged). */
  updating: boolean;
  /** Inodes in memory by number, and by the device byte address of their short entry. */
  inodes: Map<number, Inode>;
  byPos: Map<number, number>;
  nextIno: number;
  source: string;
  vfsSb: SuperBlock;
}

export function fsOf(sb: SuperBlock): VfatFs {
  return sb.info as VfatFs;
}
