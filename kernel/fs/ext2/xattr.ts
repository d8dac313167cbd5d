// ext2 extended attributes on disk, as Linux and e2fsprogs write them
// (fs/ext2/xattr.c, ext4's in-inode variant for reading):
//   - an attribute block that i_file_acl points to: a 32-byte header
//     (h_magic 0xEA020000, h_refcount, h_blocks = 1, h_hash), then entries
//     (e_name_len, e_name_index, e_value_offs, e_value_block = 0,
//     e_value_size, e_hash, the name without its prefix; each padded to 4
//     bytes) ending with four zero bytes, and the values packed from the end
//     of the block down, each padded to 4 bytes. The block counts in the
//     inode's i_blocks; the block may be shared by several inodes
//     (h_refcount), so a change to a shared block goes to a new block.
//   - in a large inode (mke2fs -I 256 and up), after the 128 bytes and
//     i_extra_isize: the magic, then entries whose value offsets count from
//     the first entry. tsix reads those; a change rewrites the inode's whole
//     set into the block and empties the in-inode area (a valid layout that
//     e2fsck accepts and Linux's ext4 reads).
// Hashes are Linux's (ext2_xattr_hash_entry with the name's bytes taken as
// signed chars, as on x86, and ext2_xattr_rehash), so e2fsck -fn is clean.
// Namespaces: index 1 user.*, 4 trusted.*; others are left alone (not
// listed, not readable) since fs/xattr.ts refuses them.
//
// Every function follows ops.ts's two phases: reads (which may wait for the
// disk) come before beginUpdate, changes after it.
//
// Concepts: C64 (on-disk structures), C66 (extended attributes).
import type { Kernel } from "../../kernel.js";
import type { Inode, InodeOps } from "../vfs.js";
import { type Ext2Fs, fsOf } from "./super.js";
import { blk, dirtyBlock, newBlock, callerTask, checkBlock } from "./bio.js";
import { allocBlock, freeBlock } from "./balloc.js";
import { ei, inodeLocation } from "./inode.js";
import { corrupt, getU16, getU32, putU16, putU32, COMPAT_EXT_ATTR } from "./layout.js";
import { bytesToStr, strToBytes } from "../../lib/bytestr.js";
import { ENODATA, EEXIST, ENOSPC, ERANGE } from "../../abi/errno.js";
import { XATTR_CREATE, XATTR_REPLACE } from "../xattr.js";

const EXT2_XATTR_MAGIC = 0xea020000;
const HEADER = 32, ENTRY = 16;
/** e_name_index of each namespace tsix handles. */
const PREFIXES: [number, string][] = [[1, "user."], [4, "trusted."]];

/** One attribute: namespace index, the name after the prefix (a byte string), the value. */
interface XEntry { index: number; name: string; value: Uint8Array }

const pad4 = (n: number): number => (n + 3) & ~3;

/** Entries from `start` (the first entry) to the four zero bytes; value offsets count from `base`, and must stay below `end`. */
function parseEntries(b: Uint8Array, start: number, end: number, base: number, what: string): XEntry[] {
  const out: XEntry[] = [];
  let o = start;
  for (;;) {
    if (o + 4 > end) corrupt(`${what}: xattr entries run past the end`);
    if (getU32(b, o) === 0) return out;
    if (o + ENTRY > end) corrupt(`${what}: xattr entry past the end`);
    const nameLen = b[o], index = b[o + 1], offs = getU16(b, o + 2), size = getU32(b, o + 8);
    if (getU32(b, o + 4) !== 0) corrupt(`${what}: xattr value in another block or inode`);
    if (o + ENTRY + nameLen > end || base + offs + size > end) corrupt(`${what}: xattr entry out of bounds`);
    out.push({ index, name: bytesToStr(b.subarray(o + ENTRY, o + ENTRY + nameLen)), value: b.slice(base + offs, base + offs + size) });
    o += pad4(ENTRY + nameLen);
  }
}

/** The attributes stored in the inode body (large inodes), or none. */
function inInode(k: Kernel, fs: Ext2Fs, ino: Inode): XEntry[] {
  if (fs.inodeSize <= 128) return [];
  const loc = inodeLocation(fs, ino.ino);
  const b = blk(k, fs, loc.block);
  const at = loc.off + 128 + ei(ino).d.extraIsize;
  const end = loc.off + fs.inodeSize;
  if (at + 4 > end || getU32(b, at) !== EXT2_XATTR_MAGIC) return [];
  return parseEntries(b, at + 4, end, at + 4, `inode ${ino.ino}`);
}

/** The attribute block's bytes (checked), or null when the inode has none. */
function xblock(k: Kernel, fs: Ext2Fs, ino: Inode): Uint8Array | null {
  const nr = ei(ino).d.fileAcl;
  if (nr === 0) return null;
  checkBlock(fs, nr, `xattr block of inode ${ino.ino}`);
  const b = blk(k, fs, nr);
  if (getU32(b, 0) !== EXT2_XATTR_MAGIC || getU32(b, 8) !== 1) corrupt(`inode ${ino.ino}: bad xattr block ${nr}`);
  return b;
}

/** Every attribute of the inode (in-inode ones first). Reads, so phase one. */
function readAll(k: Kernel, fs: Ext2Fs, ino: Inode): XEntry[] {
  const b = xblock(k, fs, ino);
  return [...inInode(k, fs, ino), ...(b ? parseEntries(b, HEADER, fs.bs, 0, `xattr block ${ei(ino).d.fileAcl}`) : [])];
}

/** ext2_xattr_hash_entry: the name's bytes (as signed chars), then the value's 32-bit little-endian words (zero padded). */
function entryHash(name: Uint8Array, value: Uint8Array): number {
  let h = 0;
  for (const c of name) h = ((h << 5) ^ (h >>> 27) ^ (c >= 128 ? c - 256 : c)) >>> 0;
  for (let i = 0; i < value.length; i += 4) {
    const w = (value[i] | ((value[i + 1] ?? 0) << 8) | ((value[i + 2] ?? 0) << 16) | ((value[i + 3] ?? 0) << 24)) >>> 0;
    h = ((h << 16) ^ (h >>> 16) ^ w) >>> 0;
  }
  return h;
}

/** An attribute block holding `entries` (sorted as Linux keeps them), or null when they do not fit. */
function buildBlock(bs: number, entries: XEntry[], refcount: number): Uint8Array | null {
  const sorted = [...entries].sort((a, b) => a.index - b.index || a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let need = HEADER + 4;
  for (const e of sorted) need += pad4(ENTRY + e.name.length) + pad4(e.value.length);
  if (need > bs) return null;
  const b = new Uint8Array(bs);
  putU32(b, 0, EXT2_XATTR_MAGIC);
  putU32(b, 4, refcount);
  putU32(b, 8, 1);
  let o = HEADER, minOffs = bs, blockHash = 0;
  for (const e of sorted) {
    const name = strToBytes(e.name);
    minOffs -= pad4(e.value.length);
    b.set(e.value, minOffs);
    const h = entryHash(name, e.value);
    b[o] = name.length;
    b[o + 1] = e.index;
    putU16(b, o + 2, minOffs);
    putU32(b, o + 4, 0);
    putU32(b, o + 8, e.value.length);
    putU32(b, o + 12, h);
    b.set(name, o + ENTRY);
    blockHash = ((blockHash << 16) ^ (blockHash >>> 16) ^ h) >>> 0;
    o += pad4(ENTRY + name.length);
  }
  putU32(b, 12, blockHash);
  return b;
}

/** Split "user.x" into its index and suffix (fs/xattr.ts let only these through). */
function split(name: string): { index: number; name: string } {
  for (const [index, p] of PREFIXES) if (name.startsWith(p)) return { index, name: name.slice(p.length) };
  return { index: 0, name };
}

function privileged(k: Kernel): boolean {
  const t = callerTask(k);
  return t === null || t.tg.creds.fsuid === 0;
}

/** Let go of the inode's attribute block (phase two; the block was read in phase one): the last user frees it. */
export function releaseXattrBlock(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  const d = ei(ino).d;
  const nr = d.fileAcl;
  if (nr === 0) return;
  const b = blk(k, fs, nr);
  const refs = getU32(b, 4);
  if (refs > 1) { putU32(b, 4, refs - 1); dirtyBlock(k, fs, nr); } else freeBlock(k, fs, nr);
  d.fileAcl = 0;
  d.blocks512 = Math.max(0, d.blocks512 - fs.bs / 512);
}

/** Phase one of releaseXattrBlock (and of every change here): the blocks it touches, in the cache. */
export function prepareXattr(k: Kernel, fs: Ext2Fs, ino: Inode): void {
  readAll(k, fs, ino);
}

/** Store `entries` as the inode's whole set (phase two; everything was read in phase one). 0 or -ENOSPC. */
function storeAll(k: Kernel, fs: Ext2Fs, ino: Inode, entries: XEntry[]): number {
  const d = ei(ino).d;
  let data: Uint8Array | null = null;
  if (entries.length > 0) {
    data = buildBlock(fs.bs, entries, 1);
    if (!data) return -ENOSPC;
  }
  const old = d.fileAcl;
  const shared = old !== 0 && getU32(blk(k, fs, old), 4) > 1;
  let target = 0;
  if (data) {
    if (old !== 0 && !shared) target = old;
    else {
      target = allocBlock(fs, inodeLocation(fs, ino.ino).block, privileged(k));
      if (target === 0) return -ENOSPC;
    }
  }
  // From here on nothing fails.
  if (old !== 0 && old !== target) releaseXattrBlock(k, fs, ino);
  if (data) {
    if (target === old) { blk(k, fs, target).set(data); dirtyBlock(k, fs, target); } else {
      newBlock(k, fs, target, data);
      d.fileAcl = target;
      d.blocks512 += fs.bs / 512;
    }
  }
  // The in-inode attributes (if any) now live in the block.
  if (fs.inodeSize > 128) {
    const loc = inodeLocation(fs, ino.ino);
    const b = blk(k, fs, loc.block);
    const at = loc.off + 128 + d.extraIsize;
    if (at + 4 <= loc.off + fs.inodeSize && getU32(b, at) === EXT2_XATTR_MAGIC) {
      b.fill(0, at, loc.off + fs.inodeSize);
      dirtyBlock(k, fs, loc.block);
    }
  }
  if (!(fs.sup.featureCompat & COMPAT_EXT_ATTR)) {
    fs.sup.featureCompat |= COMPAT_EXT_ATTR;
    putU32(fs.sup.raw, 92, fs.sup.featureCompat);
    fs.superDirty = true;
  }
  return 0;
}

/**
 * The xattr inode operations, given the ext2 driver's guard (errors and
 * corruption become -errno), its phase switch and its inode write-back.
 */
export function ext2XattrOps(
  guard: (k: Kernel, fs: Ext2Fs, what: string, f: () => number | Uint8Array | string[]) => number | Uint8Array | string[],
  beginUpdate: (fs: Ext2Fs) => void,
  finish: (k: Kernel, fs: Ext2Fs, ino: Inode) => void,
): Pick<InodeOps, "getxattr" | "setxattr" | "listxattr" | "removexattr"> {
  const change = (k: Kernel, ino: Inode, what: string, edit: (all: XEntry[]) => number): number => {
    const fs = fsOf(ino.sb);
    return guard(k, fs, what, () => {
      const all = readAll(k, fs, ino);
      if (fs.inodeSize > 128) blk(k, fs, inodeLocation(fs, ino.ino).block);
      const e = edit(all);
      if (e < 0) return e;
      beginUpdate(fs);
      const r = storeAll(k, fs, ino, all);
      if (r < 0) return r;
      finish(k, fs, ino);
      return 0;
    }) as number;
  };
  return {
    getxattr(k, ino, name) {
      const fs = fsOf(ino.sb);
      const want = split(name);
      return guard(k, fs, "getxattr", () => readAll(k, fs, ino).find((e) => e.index === want.index && e.name === want.name)?.value ?? -ENODATA) as Uint8Array | number;
    },
    listxattr(k, ino) {
      const fs = fsOf(ino.sb);
      return guard(k, fs, "listxattr", () => {
        const out: string[] = [];
        for (const e of readAll(k, fs, ino)) {
          const p = PREFIXES.find(([i]) => i === e.index);
          if (p) out.push(p[1] + e.name);
        }
        return out;
      }) as string[] | number;
    },
    setxattr(k, ino, name, value, flags) {
      const want = split(name);
      const fs = fsOf(ino.sb);
      // Linux's ext2: a name over 255 bytes or a value larger than a block is ERANGE; one that does not fit, ENOSPC.
      if (want.name.length > 255 || value.length > fs.bs) return -ERANGE;
      return change(k, ino, "setxattr", (all) => {
        const i = all.findIndex((e) => e.index === want.index && e.name === want.name);
        if (i >= 0 && (flags & XATTR_CREATE)) return -EEXIST;
        if (i < 0 && (flags & XATTR_REPLACE)) return -ENODATA;
        const entry = { index: want.index, name: want.name, value: value.slice() };
        if (i >= 0) all[i] = entry; else all.push(entry);
        return 0;
      });
    },
    removexattr(k, ino, name) {
      const want = split(name);
      return change(k, ino, "removexattr", (all) => {
        const i = all.findIndex((e) => e.index === want.index && e.name === want.name);
        if (i < 0) return -ENODATA;
        all.splice(i, 1);
        return 0;
      });
    },
  };
}
