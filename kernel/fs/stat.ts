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
  STAT, STATX, STATFS, STATX_BASIC_STATS, STATX_MNT_ID, NAME_MAX,
  MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_NODIRATIME, MS_RELATIME,
} from "../abi/fs.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { pack } from "../abi/layout.js";
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
  return pack(STAT, {
    st_dev: ino.sb.dev >>> 0, st_ino: ino.ino, st_mode: ino.mode, st_nlink: ino.nlink, st_uid: ino.uid, st_gid: ino.gid,
    st_rdev: ino.rdev >>> 0, st_size: ino.size, st_blksize: PAGE_SIZE, st_blocks: blocksOf(ino),
    st_atime: ino.atime.sec, st_atime_nsec: ino.atime.nsec, st_mtime: ino.mtime.sec, st_mtime_nsec: ino.mtime.nsec,
    st_ctime: ino.ctime.sec, st_ctime_nsec: ino.ctime.nsec,
  });
}

/** struct statx. */
export function encodeStatx(k: Kernel, ino: Inode, mnt: Mount | null): Uint8Array {
  iopsOf(ino).revalidate?.(k, ino);
  const b = pack(STATX, {
    stx_mask: STATX_BASIC_STATS | (mnt ? STATX_MNT_ID : 0), stx_blksize: PAGE_SIZE,
    stx_nlink: ino.nlink, stx_uid: ino.uid, stx_gid: ino.gid, stx_mode: ino.mode & 0xffff,
    stx_ino: ino.ino, stx_size: ino.size, stx_blocks: blocksOf(ino),
    stx_atime_sec: ino.atime.sec, stx_atime_nsec: ino.atime.nsec,
    // btime: not kept; reported as ctime but not flagged in the mask.
    stx_btime_sec: ino.ctime.sec, stx_btime_nsec: ino.ctime.nsec,
    stx_ctime_sec: ino.ctime.sec, stx_ctime_nsec: ino.ctime.nsec,
    stx_mtime_sec: ino.mtime.sec, stx_mtime_nsec: ino.mtime.nsec,
    stx_rdev_major: major(ino.rdev), stx_rdev_minor: minor(ino.rdev),
    stx_dev_major: major(ino.sb.dev), stx_dev_minor: minor(ino.sb.dev),
  });
  if (mnt) pack(STATX, { stx_mnt_id: mnt.id }, b);
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
  return pack(STATFS, {
    f_type: sb.magic ?? 0, f_bsize: s.bsize, f_blocks: s.blocks, f_bfree: s.bfree, f_bavail: s.bavail,
    f_files: s.files, f_ffree: s.ffree, f_fsid0: sb.dev, f_namelen: s.namelen, f_frsize: s.bsize, f_flags: stFlags(m),
  });
}
