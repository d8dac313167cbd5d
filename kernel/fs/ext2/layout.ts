// The ext2 on-disk format: the superblock, group descriptors, inodes and
// directory entries as they sit in disk blocks (little-endian, offsets of
// Linux's include/linux/ext2_fs.h / e2fsprogs' ext2_fs.h), decoded into plain
// records and encoded back. Nothing here does I/O: the other ext2 modules
// hand it the bytes of blocks they got from the buffer cache. Every decoder
// checks what it reads against the superblock's geometry, because an image is
// untrusted input: a field out of range is reported (Ext2Corrupt), never used.
//
// Concepts: C62 (a file system: superblock + metadata area + data area,
// groups, backup copies), C63 (the inode's fields), C64 (directory entries).

/** The superblock lives at byte 1024 of the file system, whatever the block size. */
export const SB_OFFSET = 1024;
export const SB_SIZE = 1024;
export const EXT2_MAGIC = 0xef53;
export const EXT2_ROOT_INO = 2;
export const EXT2_GOOD_OLD_FIRST_INO = 11;
export const EXT2_GOOD_OLD_INODE_SIZE = 128;
export const EXT2_NDIR_BLOCKS = 12;
export const EXT2_IND_BLOCK = 12, EXT2_DIND_BLOCK = 13, EXT2_TIND_BLOCK = 14, EXT2_N_BLOCKS = 15;

/** s_state */
export const EXT2_VALID_FS = 1, EXT2_ERROR_FS = 2;
/** s_feature_compat */
export const COMPAT_DIR_PREALLOC = 0x1, COMPAT_IMAGIC_INODES = 0x2, COMPAT_HAS_JOURNAL = 0x4, COMPAT_EXT_ATTR = 0x8,
  COMPAT_RESIZE_INODE = 0x10, COMPAT_DIR_INDEX = 0x20;
/** s_feature_incompat */
export const INCOMPAT_FILETYPE = 0x2, INCOMPAT_RECOVER = 0x4, INCOMPAT_JOURNAL_DEV = 0x8, INCOMPAT_META_BG = 0x10;
/** s_feature_ro_compat */
export const RO_COMPAT_SPARSE_SUPER = 0x1, RO_COMPAT_LARGE_FILE = 0x2, RO_COMPAT_BTREE_DIR = 0x4;

/** INCOMPAT features this driver understands (RECOVER is handled at mount: read-only until there is a journal). */
export const INCOMPAT_SUPPORTED = INCOMPAT_FILETYPE | INCOMPAT_RECOVER;
/** RO_COMPAT features it can write; others mount read-only, as Linux. */
export const RO_COMPAT_SUPPORTED = RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR;

/** i_flags bits this driver has to know about. */
export const EXT2_INDEX_FL = 0x1000, EXT4_EXTENTS_FL = 0x80000, EXT4_INLINE_DATA_FL = 0x10000000;

/** An image field that cannot be right: the operation fails with EUCLEAN (EFSCORRUPTED) and a kernel log line. */
export class Ext2Corrupt {
  constructor(readonly what: string) {}
}

export function corrupt(what: string): never {
  throw new Ext2Corrupt(what);
}

const u16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const put16 = (b: Uint8Array, o: number, v: number): void => { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; };
const put32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = (v >>> 16) & 0xff; b[o + 3] = (v >>> 24) & 0xff;
};
export { u16 as getU16, u32 as getU32, put16 as putU16, put32 as putU32 };

/** The superblock fields the driver uses (the rest of the 1024 bytes is kept as it was read). */
export interface Ext2Super {
  inodesCount: number;
  blocksCount: number;
  rBlocksCount: number;
  freeBlocksCount: number;
  freeInodesCount: number;
  firstDataBlock: number;
  logBlockSize: number;
  blocksPerGroup: number;
  inodesPerGroup: number;
  mtime: number;
  wtime: number;
  mntCount: number;
  maxMntCount: number;
  magic: number;
  state: number;
  revLevel: number;
  firstIno: number;
  inodeSize: number;
  featureCompat: number;
  featureIncompat: number;
  featureRoCompat: number;
  wantExtraIsize: number;
  /** ext3's orphan list: the first inode unlinked while still open (0: none); each links to the next through i_dtime. */
  lastOrphan: number;
  /** The raw 1024 bytes, written back with the fields above patched in. */
  raw: Uint8Array;
}

export function parseSuper(raw: Uint8Array): Ext2Super {
  const b = raw;
  const rev = u32(b, 76);
  return {
    inodesCount: u32(b, 0), blocksCount: u32(b, 4), rBlocksCount: u32(b, 8),
    freeBlocksCount: u32(b, 12), freeInodesCount: u32(b, 16), firstDataBlock: u32(b, 20),
    logBlockSize: u32(b, 24), blocksPerGroup: u32(b, 32), inodesPerGroup: u32(b, 40),
    mtime: u32(b, 44), wtime: u32(b, 48), mntCount: u16(b, 52), maxMntCount: u16(b, 54),
    magic: u16(b, 56), state: u16(b, 58), revLevel: rev,
    firstIno: rev === 0 ? EXT2_GOOD_OLD_FIRST_INO : u32(b, 84),
    inodeSize: rev === 0 ? EXT2_GOOD_OLD_INODE_SIZE : u16(b, 88),
    featureCompat: rev === 0 ? 0 : u32(b, 92), featureIncompat: rev === 0 ? 0 : u32(b, 96),
    featureRoCompat: rev === 0 ? 0 : u32(b, 100),
    wantExtraIsize: u16(b, 0x15c),
    lastOrphan: rev === 0 ? 0 : u32(b, 0xe8),
    raw: b.slice(0, SB_SIZE),
  };
}

/**
 * Why this superblock cannot be mounted at all (a string for the log), or
 * null. Checks the geometry that everything else relies on, so that later
 * arithmetic on it (group counts, table positions) stays in range.
 */
export function checkSuper(s: Ext2Super, deviceBytes: number): string | null {
  if (s.magic !== EXT2_MAGIC) return `bad magic 0x${s.magic.toString(16)} (not ext2)`;
  if (s.revLevel > 1) return `unknown revision ${s.revLevel}`;
  if (s.logBlockSize > 2) return `unsupported block size ${1024 << Math.min(s.logBlockSize, 20)}`;
  const bs = 1024 << s.logBlockSize;
  if (s.firstDataBlock !== (bs === 1024 ? 1 : 0)) return `bad first data block ${s.firstDataBlock}`;
  if (s.blocksPerGroup === 0 || s.blocksPerGroup > 8 * bs) return `bad blocks per group ${s.blocksPerGroup}`;
  if (s.inodesPerGroup === 0 || s.inodesPerGroup > 8 * bs) return `bad inodes per group ${s.inodesPerGroup}`;
  if (s.inodeSize < 128 || s.inodeSize > bs || (s.inodeSize & (s.inodeSize - 1)) !== 0) return `bad inode size ${s.inodeSize}`;
  if (s.blocksCount <= s.firstDataBlock || s.blocksCount * bs > deviceBytes) return `bad block count ${s.blocksCount} (device has ${Math.floor(deviceBytes / bs)})`;
  const groups = Math.ceil((s.blocksCount - s.firstDataBlock) / s.blocksPerGroup);
  if (s.inodesCount !== groups * s.inodesPerGroup) return `bad inode count ${s.inodesCount} for ${groups} groups`;
  if (s.firstIno < EXT2_GOOD_OLD_FIRST_INO || s.firstIno > s.inodesCount) return `bad first inode ${s.firstIno}`;
  if (s.freeBlocksCount > s.blocksCount || s.freeInodesCount > s.inodesCount) return "free counts larger than the totals";
  const unknown = s.featureIncompat & ~INCOMPAT_SUPPORTED;
  if (unknown) return `unsupported incompatible features 0x${unknown.toString(16)}`;
  return null;
}

/** Patch the fields the driver changes into the raw superblock bytes. */
export function encodeSuper(s: Ext2Super): Uint8Array {
  const b = s.raw;
  put32(b, 12, s.freeBlocksCount);
  put32(b, 16, s.freeInodesCount);
  put32(b, 44, s.mtime);
  put32(b, 48, s.wtime);
  put16(b, 52, s.mntCount);
  put16(b, 58, s.state);
  put32(b, 96, s.featureIncompat);
  if (s.revLevel !== 0) put32(b, 0xe8, s.lastOrphan);
  return b;
}

/** One block group's descriptor (32 bytes in the table after the superblock). */
export interface GroupDesc {
  blockBitmap: number;
  inodeBitmap: number;
  inodeTable: number;
  freeBlocks: number;
  freeInodes: number;
  usedDirs: number;
}

export const GD_SIZE = 32;

export function parseGroupDesc(b: Uint8Array, o: number): GroupDesc {
  return {
    blockBitmap: u32(b, o), inodeBitmap: u32(b, o + 4), inodeTable: u32(b, o + 8),
    freeBlocks: u16(b, o + 12), freeInodes: u16(b, o + 14), usedDirs: u16(b, o + 16),
  };
}

export function encodeGroupDesc(g: GroupDesc, b: Uint8Array, o: number): void {
  put32(b, o, g.blockBitmap); put32(b, o + 4, g.inodeBitmap); put32(b, o + 8, g.inodeTable);
  put16(b, o + 12, g.freeBlocks); put16(b, o + 14, g.freeInodes); put16(b, o + 16, g.usedDirs);
}

/** Whether group `g` holds a superblock backup (all groups, or with sparse_super 0, 1 and powers of 3, 5, 7). */
export function groupHasSuper(sparse: boolean, g: number): boolean {
  if (!sparse || g <= 1) return true;
  for (const p of [3, 5, 7]) {
    let n = p;
    while (n < g) n *= p;
    if (n === g) return true;
  }
  return false;
}

/** The inode fields as stored (times in seconds plus nanoseconds when the inode has room for them). */
export interface DiskInode {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atime: number; ctime: number; mtime: number; dtime: number;
  atimeNs: number; ctimeNs: number; mtimeNs: number;
  links: number;
  /** i_blocks: 512-byte sectors held (data + indirect blocks). */
  blocks512: number;
  flags: number;
  block: number[];
  generation: number;
  fileAcl: number;
  extraIsize: number;
}

/** Decode the inode at `o` of an inode-table block (`isize` bytes per inode). */
export function parseInode(b: Uint8Array, o: number, isize: number): DiskInode {
  const block: number[] = [];
  for (let i = 0; i < EXT2_N_BLOCKS; i++) block.push(u32(b, o + 40 + 4 * i));
  const extra = isize > 128 ? u16(b, o + 128) : 0;
  const ns = (at: number): number => (extra >= at - 128 + 4 ? u32(b, o + at) >>> 2 : 0) % 1e9;
  const mode = u16(b, o);
  return {
    mode,
    uid: u16(b, o + 2) | (u16(b, o + 120) << 16),
    gid: u16(b, o + 24) | (u16(b, o + 122) << 16),
    // i_size_high (i_dir_acl) counts for regular files (large_file); directories are < 4 GiB.
    size: u32(b, o + 4) + ((mode & 0o170000) === 0o100000 ? u32(b, o + 108) * 2 ** 32 : 0),
    atime: u32(b, o + 8), ctime: u32(b, o + 12), mtime: u32(b, o + 16), dtime: u32(b, o + 20),
    ctimeNs: ns(132), mtimeNs: ns(136), atimeNs: ns(140),
    links: u16(b, o + 26),
    blocks512: u32(b, o + 28) + u16(b, o + 116) * 2 ** 32,
    flags: u32(b, o + 32),
    block,
    generation: u32(b, o + 100),
    fileAcl: u32(b, o + 104),
    extraIsize: extra,
  };
}

/** Encode an inode into its slot (the bytes past the fields written here are kept). */
export function encodeInode(d: DiskInode, b: Uint8Array, o: number, isize: number): void {
  put16(b, o, d.mode);
  put16(b, o + 2, d.uid & 0xffff); put16(b, o + 120, (d.uid >>> 16) & 0xffff);
  put16(b, o + 24, d.gid & 0xffff); put16(b, o + 122, (d.gid >>> 16) & 0xffff);
  put32(b, o + 4, d.size % 2 ** 32);
  put32(b, o + 108, (d.mode & 0o170000) === 0o100000 ? Math.floor(d.size / 2 ** 32) : 0);
  put32(b, o + 8, d.atime); put32(b, o + 12, d.ctime); put32(b, o + 16, d.mtime); put32(b, o + 20, d.dtime);
  put16(b, o + 26, d.links);
  put32(b, o + 28, d.blocks512 % 2 ** 32); put16(b, o + 116, Math.floor(d.blocks512 / 2 ** 32));
  put32(b, o + 32, d.flags);
  for (let i = 0; i < EXT2_N_BLOCKS; i++) put32(b, o + 40 + 4 * i, d.block[i] ?? 0);
  put32(b, o + 100, d.generation);
  put32(b, o + 104, d.fileAcl);
  if (isize > 128) {
    put16(b, o + 128, d.extraIsize);
    const putNs = (at: number, ns: number): void => { if (d.extraIsize >= at - 128 + 4) put32(b, o + at, (ns << 2) >>> 0); };
    putNs(132, d.ctimeNs); putNs(136, d.mtimeNs); putNs(140, d.atimeNs);
  }
}

/** ext2 directory-entry file types (the FILETYPE feature) and S_IFMT. */
export const FT_UNKNOWN = 0, FT_REG = 1, FT_DIR = 2, FT_CHR = 3, FT_BLK = 4, FT_FIFO = 5, FT_SOCK = 6, FT_SYMLINK = 7;
export function fileTypeOf(mode: number): number {
  switch (mode & 0o170000) {
    case 0o100000: return FT_REG;
    case 0o040000: return FT_DIR;
    case 0o020000: return FT_CHR;
    case 0o060000: return FT_BLK;
    case 0o010000: return FT_FIFO;
    case 0o140000: return FT_SOCK;
    case 0o120000: return FT_SYMLINK;
    default: return FT_UNKNOWN;
  }
}
/** DT_* of an ext2 file type (the same numbers as Linux's fs_ftype_to_dtype). */
export const DT_OF_FT = [0, 8, 4, 2, 6, 1, 12, 10];

/** A directory entry as found in a block: where it is and what it says. */
export interface RawDirent { off: number; ino: number; recLen: number; nameLen: number; fileType: number; name: Uint8Array }

/** Smallest record that holds a name of `n` bytes. */
export function direntSize(n: number): number {
  return (8 + n + 3) & ~3;
}

/**
 * The entries of one directory block, checked as Linux's ext2_check_page:
 * rec_len at least 12 (or 8+name), a multiple of 4, inside the block; name_len
 * fits the record; the inode number is in range. A bad block is corruption.
 */
export function parseDirBlock(b: Uint8Array, filetype: boolean, inodesCount: number): RawDirent[] {
  const out: RawDirent[] = [];
  let off = 0;
  while (off < b.length) {
    if (off + 8 > b.length) corrupt(`directory entry at ${off} runs past the block`);
    const ino = u32(b, off), recLen = u16(b, off + 4);
    const nameLen = filetype ? b[off + 6] : u16(b, off + 6);
    if (recLen < 8 || recLen % 4 !== 0) corrupt(`directory rec_len ${recLen} at ${off}`);
    if (off + recLen > b.length) corrupt(`directory rec_len ${recLen} at ${off} overflows the block`);
    if (direntSize(nameLen) > recLen) corrupt(`directory name_len ${nameLen} larger than rec_len ${recLen}`);
    if (ino > inodesCount) corrupt(`directory entry names inode ${ino} of ${inodesCount}`);
    out.push({ off, ino, recLen, nameLen, fileType: filetype ? b[off + 7] : 0, name: b.subarray(off + 8, off + 8 + nameLen) });
    off += recLen;
  }
  return out;
}

export function writeDirent(b: Uint8Array, off: number, ino: number, recLen: number, name: Uint8Array, fileType: number, filetype: boolean): void {
  put32(b, off, ino);
  put16(b, off + 4, recLen);
  if (filetype) { b[off + 6] = name.length; b[off + 7] = fileType; } else put16(b, off + 6, name.length);
  b.set(name, off + 8);
  // Zero the slack between the name and the end of its minimal record (e2fsck does not mind, but it keeps images reproducible).
  b.fill(0, off + 8 + name.length, off + direntSize(name.length));
}
