// The JBD2 journal's on-disk format (Linux's include/linux/jbd2.h, as
// Debian's e2fsprogs and the Linux kernel read and write it): the journal
// superblock (v2, in block 0 of the journal inode), and the log blocks that
// follow it in a circular area from s_first to s_maxlen - 1: descriptor
// blocks (a 12-byte header, then one tag per logged block naming its home
// block), the logged copies themselves, revoke blocks (block numbers whose
// older logged copies must not be replayed), and a commit block that makes
// the transaction count. Every field is big-endian. A logged copy that
// starts with the journal magic is stored with those four bytes zeroed and
// its tag flagged ESCAPE, so that a scan never mistakes it for a header.
//
// Supported: the features Debian's mke2fs gives an ext3 journal (none) plus
// REVOKE (set by the kernel that writes revoke records) and 64BIT (12-byte
// tags). Journals with checksums (CSUM_V2/V3), ASYNC_COMMIT or fast commits
// are refused (the file system then mounts read-only: e2fsck can replay them).
//
// Concepts: C65 journaling (the journal's layout: a circular log of
// transactions, each a descriptor, the logged blocks and a commit record).

export const JBD2_MAGIC = 0xc03b3998;
export const BT_DESCRIPTOR = 1, BT_COMMIT = 2, BT_SB_V1 = 3, BT_SB_V2 = 4, BT_REVOKE = 5;
/** s_feature_incompat */
export const JFEAT_REVOKE = 0x1, JFEAT_64BIT = 0x2, JFEAT_ASYNC_COMMIT = 0x4, JFEAT_CSUM_V2 = 0x8, JFEAT_CSUM_V3 = 0x10,
  JFEAT_FAST_COMMIT = 0x20;
export const JFEAT_SUPPORTED = JFEAT_REVOKE | JFEAT_64BIT;
/** Tag flags. */
export const TAG_ESCAPE = 1, TAG_SAME_UUID = 2, TAG_DELETED = 4, TAG_LAST = 8;
/** The header: magic, block type, transaction sequence. */
export const HEADER_SIZE = 12;
/** The superblock's fields this code uses end before this offset; the rest (s_users...) is kept as read. */
export const JSB_SIZE = 1024;

export const be32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
export const be16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
export function put32be(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
}
export function put16be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff;
}

/** Transaction ids compare modulo 2^32 (tid_gt/tid_geq). */
export const tidGt = (x: number, y: number): boolean => ((x - y) | 0) > 0;
export const tidGeq = (x: number, y: number): boolean => ((x - y) | 0) >= 0;

export interface JournalSuper {
  blockType: number;
  blockSize: number;
  /** Blocks in the journal (the log wraps from maxLen - 1 back to first). */
  maxLen: number;
  /** The first log block (1: block 0 is this superblock). */
  first: number;
  /** The id of the first transaction expected in the log (at `start`). */
  sequence: number;
  /** The log's tail, the first block of the oldest transaction still needed; 0: the journal is empty. */
  start: number;
  errno: number;
  featureCompat: number;
  featureIncompat: number;
  featureRoCompat: number;
  uuid: Uint8Array;
}

/** Decode a journal superblock, or a string saying what is wrong with it. */
export function parseJournalSuper(b: Uint8Array): JournalSuper | string {
  if (b.length < JSB_SIZE) return "journal superblock block too small";
  if (be32(b, 0) !== JBD2_MAGIC) return "bad journal superblock magic";
  const blockType = be32(b, 4);
  if (blockType !== BT_SB_V1 && blockType !== BT_SB_V2) return `bad journal superblock type ${blockType}`;
  const s: JournalSuper = {
    blockType, blockSize: be32(b, 0x0c), maxLen: be32(b, 0x10), first: be32(b, 0x14), sequence: be32(b, 0x18),
    start: be32(b, 0x1c), errno: be32(b, 0x20) | 0,
    featureCompat: blockType === BT_SB_V2 ? be32(b, 0x24) : 0,
    featureIncompat: blockType === BT_SB_V2 ? be32(b, 0x28) : 0,
    featureRoCompat: blockType === BT_SB_V2 ? be32(b, 0x2c) : 0,
    uuid: b.slice(0x30, 0x40),
  };
  return s;
}

/** Check a decoded superblock against the journal inode's size (`blocks`) and the file system's block size. */
export function checkJournalSuper(s: JournalSuper, blocks: number, fsBlockSize: number): string | null {
  if (s.blockSize !== fsBlockSize) return `journal block size ${s.blockSize} is not the file system's ${fsBlockSize}`;
  if (s.maxLen < 16 || s.maxLen > blocks) return `journal length ${s.maxLen} does not fit its inode (${blocks} blocks)`;
  if (s.first < 1 || s.first >= s.maxLen) return `journal first block ${s.first} out of range`;
  if (s.start !== 0 && (s.start < s.first || s.start >= s.maxLen)) return `journal start ${s.start} out of range`;
  const unknown = s.featureIncompat & ~JFEAT_SUPPORTED;
  if (unknown) return `unsupported journal features 0x${unknown.toString(16)}`;
  // No read-only-compatible journal feature is known to anyone yet: a set bit is corruption or the future (jbd2 refuses too).
  if (s.featureRoCompat) return `unknown read-only journal features 0x${s.featureRoCompat.toString(16)}`;
  return null;
}

/** Patch the fields this code changes into a superblock's bytes (the rest stays as read). */
export function encodeJournalSuper(s: JournalSuper, b: Uint8Array): void {
  put32be(b, 0x18, s.sequence);
  put32be(b, 0x1c, s.start);
  put32be(b, 0x20, s.errno >>> 0);
  if (s.blockType === BT_SB_V2) {
    put32be(b, 0x24, s.featureCompat);
    put32be(b, 0x28, s.featureIncompat);
    put32be(b, 0x2c, s.featureRoCompat);
  }
}

/** Bytes of one descriptor tag (journal_tag_bytes without checksums). */
export function tagBytes(s: JournalSuper): number {
  return s.featureIncompat & JFEAT_64BIT ? 12 : 8;
}

/** Bytes of one revoke record. */
export function revokeRecordBytes(s: JournalSuper): number {
  return s.featureIncompat & JFEAT_64BIT ? 8 : 4;
}

export function writeHeader(b: Uint8Array, type: number, seq: number): void {
  put32be(b, 0, JBD2_MAGIC);
  put32be(b, 4, type);
  put32be(b, 8, seq);
}

export interface Tag { target: number; flags: number }

/** The tags of a descriptor block (stops at LAST_TAG or at the end of the block). */
export function parseTags(b: Uint8Array, tb: number): Tag[] {
  const out: Tag[] = [];
  let o = HEADER_SIZE;
  while (o + tb <= b.length) {
    const lo = be32(b, o);
    const flags = be16(b, o + 6);
    const hi = tb >= 12 ? be32(b, o + 8) : 0;
    out.push({ target: hi * 0x100000000 + lo, flags });
    o += tb;
    if (!(flags & TAG_SAME_UUID)) o += 16;
    if (flags & TAG_LAST) break;
  }
  return out;
}

/** How many tags fit in one descriptor block (the first one is followed by the 16-byte UUID). */
export function tagsPerDescriptor(bs: number, tb: number): number {
  return Math.floor((bs - HEADER_SIZE - 16) / tb);
}

/** Build a descriptor block for `targets` (tags flagged ESCAPE where `escaped` says so). */
export function buildDescriptor(bs: number, tb: number, seq: number, uuid: Uint8Array, targets: number[], escaped: boolean[]): Uint8Array {
  const b = new Uint8Array(bs);
  writeHeader(b, BT_DESCRIPTOR, seq);
  let o = HEADER_SIZE;
  for (let i = 0; i < targets.length; i++) {
    let flags = i === 0 ? 0 : TAG_SAME_UUID;
    if (escaped[i]) flags |= TAG_ESCAPE;
    if (i === targets.length - 1) flags |= TAG_LAST;
    put32be(b, o, targets[i] % 0x100000000);
    put16be(b, o + 6, flags);
    if (tb >= 12) put32be(b, o + 8, Math.floor(targets[i] / 0x100000000));
    o += tb;
    if (i === 0) { b.set(uuid.subarray(0, 16), o); o += 16; }
  }
  return b;
}

/** Build a commit block (no checksum; the commit time in seconds and nanoseconds). */
export function buildCommit(bs: number, seq: number, sec: number, nsec: number): Uint8Array {
  const b = new Uint8Array(bs);
  writeHeader(b, BT_COMMIT, seq);
  put32be(b, 0x30, Math.floor(sec / 0x100000000));
  put32be(b, 0x34, sec >>> 0);
  put32be(b, 0x38, nsec >>> 0);
  return b;
}

/** Revoke blocks for `targets` (as many as needed). */
export function buildRevokes(bs: number, rb: number, seq: number, targets: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const per = Math.floor((bs - 16) / rb);
  for (let i = 0; i < targets.length; i += per) {
    const chunk = targets.slice(i, i + per);
    const b = new Uint8Array(bs);
    writeHeader(b, BT_REVOKE, seq);
    let o = 16;
    for (const t of chunk) {
      if (rb === 8) { put32be(b, o, Math.floor(t / 0x100000000)); put32be(b, o + 4, t % 0x100000000); }
      else put32be(b, o, t);
      o += rb;
    }
    put32be(b, 12, o);
    out.push(b);
  }
  return out;
}

/** The block numbers of a revoke block (r_count bounds them; a bad count reads nothing past the block). */
export function parseRevokes(b: Uint8Array, rb: number): number[] {
  const count = Math.min(be32(b, 12), b.length);
  const out: number[] = [];
  for (let o = 16; o + rb <= count; o += rb) out.push(rb === 8 ? be32(b, o) * 0x100000000 + be32(b, o + 4) : be32(b, o));
  return out;
}

/** Blocks a transaction of `n` logged blocks and `r` revokes takes in the log. */
export function logBlocksFor(bs: number, tb: number, rb: number, n: number, r: number): number {
  const desc = n === 0 ? 0 : Math.ceil(n / tagsPerDescriptor(bs, tb));
  const rev = r === 0 ? 0 : Math.ceil(r / Math.floor((bs - 16) / rb));
  return n + desc + rev + 1;
}
