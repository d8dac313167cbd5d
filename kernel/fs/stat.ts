// The stat family's structs, byte for byte as riscv64 user space reads them:
// struct stat (asm-generic, 128 bytes), struct statx (256 bytes) and struct
// statfs (120 bytes).
//
// Concepts: C63 (inode contents as user space sees them), C60 (blocks vs
// size).
import type { Kernel } from "../kernel.js";
import type { Inode, Mount, StatFs } from "./vfs.js";
import { major, minor } from "./fstypes.js";
import { isReg, isLnk } from "./inode.js";
import {
  SIZEOF_STAT, SIZEOF_STATX, SIZEOF_STATFS, STATX_BASIC_STATS, STATX_MNT_ID, NAME_MAX,
  MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_NODIRATIME, MS_RELATIME,
} from "../abi/fs.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { iopsOf, sopsOf } from "../lib/fsops.js";

/** 512-byte blocks a file occupies (what st_blocks reports). */
export function blocksOf(ino: Inode): number {
  // In-memory directories and short symlinks occupy no blocks (tmpfs reports 0 too).
  if (!isReg(ino) && !isLnk(ino)) return 0;
  if (isLnk(ino) && ino.size < 60) return 0;
  return Math.ceil(ino.size / PAGE_SIZE) * (PAGE_SIZE / 512);
}

/** struct stat for newfstatat/fstat. */
export function encodeStat(k: Kernel, ino: Inode): Uint8Array {
  iopsOf(ino).revalidate?.(k, ino);
  const b = new Uint8Array(SIZEOF_STAT);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, BigInt(ino.sb.dev >>> 0), true);
  dv.setBigUint64(8, BigInt(ino.ino), true);
  dv.setUint32(16, ino.mode >>> 0, true);
  dv.setUint32(20, ino.nlink >>> 0, true);
  dv.setUint32(24, ino.uid >>> 0, true);
  dv.setUint32(28, ino.gid >>> 0, true);
  dv.setBigUint64(32, BigInt(ino.rdev >>> 0), true);
  dv.setBigInt64(48, BigInt(ino.size), true);
  dv.setInt32(56, PAGE_SIZE, true);
  dv.setBigInt64(64, BigInt(blocksOf(ino)), true);
  dv.setBigInt64(72, BigInt(ino.atime.sec), true);
  dv.setBigUint64(80, BigInt(ino.atime.nsec), true);
  dv.setBigInt64(88, BigInt(ino.mtime.sec), true);
  dv.setBigUint64(96, BigInt(ino.mtime.nsec), true);
  dv.setBigInt64(104, BigInt(ino.ctime.sec), true);
  dv.setBigUint64(112, BigInt(ino.ctime.nsec), true);
  return b;
}

/** struct statx. */
export function encodeStatx(k: Kernel, ino: Inode, mnt: Mount | null): Uint8Array {
  iopsOf(ino).revalidate?.(k, ino);
  const b = new Uint8Array(SIZEOF_STATX);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, STATX_BASIC_STATS | (mnt ? STATX_MNT_ID : 0), true);
  dv.setUint32(4, PAGE_SIZE, true);
  dv.setUint32(16, ino.nlink >>> 0, true);
  dv.setUint32(20, ino.uid >>> 0, true);
  dv.setUint32(24, ino.gid >>> 0, true);
  dv.setUint16(28, ino.mode & 0xffff, true);
  dv.setBigUint64(32, BigInt(ino.ino), true);
  dv.setBigUint64(40, BigInt(ino.size), true);
  dv.setBigUint64(48, BigInt(blocksOf(ino)), true);
  const ts = (off: number, t: { sec: number; nsec: number }): void => {
    dv.setBigInt64(off, BigInt(t.sec), true);
    dv.setUint32(off + 8, t.nsec >>> 0, true);
  };
  ts(64, ino.atime);
  ts(80, ino.ctime); // btime: not kept; reported as ctime but not flagged in the mask
  ts(96, ino.ctime);
  ts(112, ino.mtime);
  dv.setUint32(128, major(ino.rdev), true);
  dv.setUint32(132, minor(ino.rdev), true);
  dv.setUint32(136, major(ino.sb.dev), true);
  dv.setUint32(140, minor(ino.sb.dev), true);
  if (mnt) dv.setBigUint64(144, BigInt(mnt.id), true);
  return b;
}

/** ST_* flags of statfs' f_flags from a mount's flags. */
function stFlags(m: Mount): number {
  let f = 0x20; // ST_VALID
  if (m.flags & MS_RDONLY || m.sb.readOnly) f |= 1;
  if (m.flags & MS_NOSUID) f |= 2;
  if (m.flags & MS_NODEV) f |= 4;
  if (m.flags & MS_NOEXEC) f |= 8;
  if (m.flags & MS_NOATIME) f |= 1024;
  if (m.flags & MS_NODIRATIME) f |= 2048;
  if (m.flags & MS_RELATIME) f |= 4096;
  return f;
}

/** struct statfs for the file system of mount `m`. */
export function encodeStatfs(k: Kernel, m: Mount): Uint8Array {
  const sb = m.sb;
  const statfs = sopsOf(sb).statfs;
  const s: StatFs = statfs ? statfs(k, sb) : { bsize: PAGE_SIZE, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: NAME_MAX };
  const b = new Uint8Array(SIZEOF_STATFS);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, BigInt(sb.magic ?? 0), true);
  dv.setBigInt64(8, BigInt(s.bsize), true);
  dv.setBigUint64(16, BigInt(s.blocks), true);
  dv.setBigUint64(24, BigInt(s.bfree), true);
  dv.setBigUint64(32, BigInt(s.bavail), true);
  dv.setBigUint64(40, BigInt(s.files), true);
  dv.setBigUint64(48, BigInt(s.ffree), true);
  dv.setInt32(56, sb.dev | 0, true);
  dv.setBigInt64(64, BigInt(s.namelen), true);
  dv.setBigInt64(72, BigInt(s.bsize), true);
  dv.setBigInt64(80, BigInt(stFlags(m)), true);
  return b;
}
