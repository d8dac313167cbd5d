// System V shared memory (Linux's ipc/shm.c): shmget, shmat, shmdt,
// shmctl. A segment (ShmSeg in sysv.ts, plain data in k.ipc.sysv.shm) names
// a shmem object of the memory manager (mm/backing.ts), the same kind of
// object MAP_SHARED | MAP_ANONYMOUS makes: its frames are made on first touch
// and every attachment maps the same frames, so a store by one process is a
// load away for every other. shmat is an mmap of that object; fork copies
// the VMA (the object gains a reference: shm_nattch grows); exec and exit
// drop the VMAs. shm_nattch is therefore the object's reference count, less
// the segment's own reference.
//
// IPC_RMID (Linux's do_shm_rmid): with no attachment the segment goes at
// once; otherwise it is marked SHM_DEST, its key becomes IPC_PRIVATE (a new
// shmget with that key makes a new segment), and the segment drops its own
// reference, so that the last detach - shmdt, munmap, exec or exit, all
// through the memory manager - frees the frames. The identifier then names a
// segment whose object is gone; it is reaped the next time the table is
// looked at (reap below), so nothing in mm/ has to call up into ipc/.
//
// Commit accounting as Linux's shmem_kernel_file_setup: the segment's pages
// are charged to Committed_AS at shmget (ENOMEM when the overcommit policy
// refuses) unless SHM_NORESERVE is given outside overcommit mode 2; they are
// given back when the segment is destroyed. Attachments are never charged.
//
// Concepts: C43 (shared memory: one object's frames in many page tables),
// C59 (frames with reference counts), C56 (commit accounting).
import { putU32, putU64 } from "../abi/le.js";
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import type { MM } from "../mm/mm.js";
import { mapRegion, unmapRange, rangeUsed, pageUp, checkMmapAddr } from "../mm/mm.js";
import { backingAcquire, backingHold, backingRelease } from "../mm/backing.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { vmAcct, vmUnacct, OVERCOMMIT_NEVER } from "../mm/vmstate.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { MAP_SHARED, MAP_FIXED, PROT_READ, PROT_WRITE, PROT_EXEC } from "../abi/mman.js";
import { EACCES, EEXIST, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSPC, EPERM, EIDRM } from "../abi/errno.js";
import { RLIMIT_MEMLOCK } from "../abi/resource.js";
import {
  type ShmSeg, type IpcPerm, IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_RMID, IPC_SET, IPC_STAT, IPC_INFO, IPC_64,
  lookupId, lookupForStat, findKey, allocId, freeId, maxIdx, newPerm, ipcPermitted, ipcOwner, putPerm, setPerm,
} from "./sysv.js";
import { ipcSeconds } from "./msg.js";
import { vtToArray } from "../mm/vma_tree.js";

export const SHM_RDONLY = 0o10000;
export const SHM_RND = 0o20000;
export const SHM_REMAP = 0o40000;
export const SHM_EXEC = 0o100000;
export const SHM_HUGETLB = 0o4000;
export const SHM_NORESERVE = 0o10000;
/** Mode bits kept in shm_perm.mode beside the permissions. */
export const SHM_DEST = 0o1000;
export const SHM_LOCKED = 0o2000;
export const SHM_LOCK = 11;
export const SHM_UNLOCK = 12;
export const SHM_STAT = 13;
export const SHM_INFO = 14;
export const SHM_STAT_ANY = 15;
/** SHMMIN (bytes) and SHMLBA (riscv uses the generic PAGE_SIZE). */
export const SHMMIN = 1;
export const SHMLBA = PAGE_SIZE;
/** sizeof(struct shmid64_ds), struct shminfo64 and struct shm_info on riscv64. */
const SHMID_DS_SIZE = 112;
const SHMINFO_SIZE = 72;
const SHM_INFO_SIZE = 48;
/** The device /proc/PID/maps shows for a segment (Linux's internal shm mount, 00:01). */
const SHM_DEV = 1;

function sysv(k: Kernel) { return k.ipc.sysv; }
function bt(k: Kernel) { return k.mmctx.vm.backings; }

/** Attachments: the shmem object's references less the segment's own. */
export function shmNattch(k: Kernel, seg: ShmSeg): number {
  const o = bt(k).shmem.get(seg.backing);
  return o ? o.refs - (seg.held ? 1 : 0) : 0;
}

/** Resident bytes of a segment (frames its object has made). */
export function shmRss(k: Kernel, seg: ShmSeg): number {
  const o = bt(k).shmem.get(seg.backing);
  return o ? o.frames.size * PAGE_SIZE : 0;
}

function destroy(k: Kernel, seg: ShmSeg): void {
  const s = sysv(k);
  if (seg.held) { seg.held = false; backingRelease(k, bt(k), { kind: "shmem", id: seg.backing }); }
  vmUnacct(k.mmctx.vm, seg.charged);
  seg.charged = 0;
  s.shmTot -= pageUp(seg.size) / PAGE_SIZE;
  freeId(s.shm, seg);
}

/**
 * Free the identifiers of removed segments whose last attachment has gone
 * (the memory manager freed their object when its last VMA let go).
 */
export function shmReap(k: Kernel): void {
  const s = sysv(k);
  for (const seg of s.shm.slots) if (seg && !seg.held && !bt(k).shmem.has(seg.backing)) destroy(k, seg);
}

/** The segment a VMA's shmem object belongs to, if any. */
function segOfBacking(k: Kernel, id: number): ShmSeg | undefined {
  for (const seg of sysv(k).shm.slots) if (seg && seg.backing === id) return seg;
  return undefined;
}

/** shmget(2). `size` is exact (a size_t). */
export function shmGet(k: Kernel, t: Task, key: number, size: bigint, flg: number): number {
  shmReap(k);
  const s = sysv(k), c = t.tg.creds, L = s.limits;
  if (key !== IPC_PRIVATE) {
    const seg = findKey(s.shm, key);
    if (seg) {
      if ((flg & IPC_CREAT) && (flg & IPC_EXCL)) return -EEXIST;
      if (BigInt(seg.size) < size) return -EINVAL; // shm_more_checks, before the permission check
      if (!ipcPermitted(seg.perm, c, flg & 0o777)) return -EACCES;
      return seg.perm.id;
    }
    if (!(flg & IPC_CREAT)) return -ENOENT;
  }
  // newseg.
  if (size < BigInt(SHMMIN) || size > L.shmmax) return -EINVAL;
  const pagesBig = (size + BigInt(PAGE_SIZE - 1)) / BigInt(PAGE_SIZE);
  if (BigInt(s.shmTot) + pagesBig > L.shmall) return -ENOSPC;
  if (flg & SHM_HUGETLB) return -ENOMEM; // no huge pages reserved: Linux with vm.nr_hugepages 0 says ENOMEM
  // shmem's own limit (MAX_LFS_FILESIZE, LLONG_MAX): a larger object cannot exist.
  if (size > 0x7fffffffffffffffn) return -EINVAL;
  const pages = Number(pagesBig), bytes = Number(size);
  const vm = k.mmctx.vm;
  const reserve = !(flg & SHM_NORESERVE) || vm.overcommitMemory === OVERCOMMIT_NEVER;
  if (reserve && !vmAcct(k.pm, vm, pages)) return -ENOMEM;
  const charged = reserve ? pages : 0;
  const perm: IpcPerm = newPerm(key, flg, c);
  const idx = allocId(s.shm, L.shmmni, perm);
  if (idx < 0) { vmUnacct(vm, charged); return -ENOSPC; }
  const name = `/SYSV${(key >>> 0).toString(16).padStart(8, "0")} (deleted)`;
  const b = backingAcquire(bt(k), { kind: "new-shmem", size: pages * PAGE_SIZE, path: name, dev: SHM_DEV });
  const o = bt(k).shmem.get(b.id)!;
  o.ino = perm.id;
  o.charged = true;
  s.shm.slots[idx] = {
    perm, size: bytes, backing: b.id, held: true, charged, cpid: t.tg.pid, lpid: 0, atime: 0, dtime: 0, ctime: ipcSeconds(k),
  };
  s.shm.inUse++;
  s.shmTot += pages;
  return perm.id;
}

/** shmat(2): the address of the attachment, or -errno. */
export function shmAt(k: Kernel, t: Task, id: number, addr: number, flg: number): number {
  shmReap(k);
  if (id < 0) return -EINVAL;
  let fixed = false;
  if (addr !== 0) {
    if (addr % SHMLBA !== 0) {
      if (!(flg & SHM_RND)) return -EINVAL;
      addr -= addr % SHMLBA;
      if (addr === 0 && (flg & SHM_REMAP)) return -EINVAL;
    }
    fixed = true;
  } else if (flg & SHM_REMAP) return -EINVAL;
  let prot = PROT_READ, acc = 0o444;
  if (!(flg & SHM_RDONLY)) { prot |= PROT_WRITE; acc |= 0o222; }
  if (flg & SHM_EXEC) { prot |= PROT_EXEC; acc |= 0o111; }
  const seg = lookupId(sysv(k).shm, id);
  if (!seg) return -EINVAL;
  if (!ipcPermitted(seg.perm, t.tg.creds, acc)) return -EACCES;
  if (!bt(k).shmem.has(seg.backing)) return -EIDRM;
  const mm = t.mm!;
  const len = pageUp(seg.size);
  if (fixed) {
    // SHMLBA rounding can give page 0: mmap's own rule (vm.mmap_min_addr) decides, as in do_mmap.
    const e = checkMmapAddr(addr, k.sysctl.mmapMinAddr, t.tg.creds.euid === 0);
    if (e < 0) return e;
    if (!(flg & SHM_REMAP) && (addr + len < addr || rangeUsed(mm, addr, addr + len))) return -EINVAL;
  }
  // A read-only attachment can never be made writable (the segment's file is opened O_RDONLY on Linux).
  const may = PROT_READ | PROT_EXEC | ((flg & SHM_RDONLY) ? 0 : PROT_WRITE);
  // Hold the object while mapping: SHM_REMAP over this segment's own last
  // attachment (after IPC_RMID) would otherwise free it in the unmap that
  // comes before the new mapping takes its hold.
  const obj = { kind: "shmem", id: seg.backing } as const;
  backingHold(bt(k), obj);
  const r = mapRegion(k.mmctx, mm, fixed ? addr : 0, len, prot, MAP_SHARED | (fixed ? MAP_FIXED : 0), obj, 0, "", may);
  backingRelease(k, bt(k), obj);
  if (r < 0) return r;
  seg.atime = ipcSeconds(k);
  seg.lpid = t.tg.pid;
  return r;
}

/**
 * shmdt(2) (Linux's ksys_shmdt): `addr` must be where a segment's first page
 * is attached; every VMA of that segment within the segment's size from
 * there is unmapped (an attachment split by mprotect goes whole).
 */
export function shmDt(k: Kernel, t: Task, addr: number): number {
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  const mm = t.mm!;
  const first = vtToArray(mm.vmaTree).find((v) => v.start === addr && v.pgoff === 0 && v.backing?.kind === "shmem");
  const seg = first ? segOfBacking(k, first.backing!.id) : undefined;
  if (!first || !seg) return -EINVAL;
  const end = addr + pageUp(seg.size);
  const mine = vtToArray(mm.vmaTree).filter((v) => v.start >= addr && v.start < end && v.backing?.kind === "shmem" && v.backing.id === seg.backing);
  for (const v of mine) unmapRange(k.mmctx, mm, v.start, v.end);
  seg.dtime = ipcSeconds(k);
  seg.lpid = t.tg.pid;
  shmReap(k);
  return 0;
}

/**
 * An address space is going (exit, exec): its attachments are detached by
 * the memory manager; here the segments note the detach time and pid, as
 * Linux's shm_close does.
 */
export function shmMmGone(k: Kernel, mm: MM, pid: number): void {
  if (mm.users > 1 || sysv(k).shm.inUse === 0) return;
  const now = ipcSeconds(k);
  for (const v of vtToArray(mm.vmaTree)) {
    if (v.backing?.kind !== "shmem") continue;
    const seg = segOfBacking(k, v.backing.id);
    if (seg) { seg.dtime = now; seg.lpid = pid; }
  }
}

function totals(k: Kernel): { pages: number; rss: number; swp: number } {
  let rss = 0, swp = 0;
  for (const seg of sysv(k).shm.slots) {
    if (!seg) continue;
    rss += shmRss(k, seg) / PAGE_SIZE;
    swp += bt(k).shmem.get(seg.backing)?.swapped.size ?? 0;
  }
  return { pages: sysv(k).shmTot, rss, swp };
}

/** A u64 that may be a bigint, as the low and high words. */
function putBig(b: Uint8Array, off: number, v: bigint): void {
  putU32(b, off, Number(v & 0xffffffffn));
  putU32(b, off + 4, Number((v >> 32n) & 0xffffffffn));
}

/** shmctl(2). `buf` is a user address. */
export function shmCtl(k: Kernel, t: Task, id: number, cmd: number, buf: number): number {
  shmReap(k);
  const s = sysv(k), c = t.tg.creds;
  cmd &= ~IPC_64;
  if (id < 0 || cmd < 0) return -EINVAL;
  if (cmd === IPC_INFO) {
    const b = new Uint8Array(SHMINFO_SIZE);
    // struct shminfo64: shmmax shmmin shmmni shmseg shmall, then four unused longs.
    putBig(b, 0, s.limits.shmmax);
    putU64(b, 8, SHMMIN);
    putU64(b, 16, s.limits.shmmni);
    putU64(b, 24, s.limits.shmmni); // SHMSEG is SHMMNI
    putBig(b, 32, s.limits.shmall);
    if (copyout(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
    return Math.max(maxIdx(s.shm), 0);
  }
  if (cmd === SHM_INFO) {
    const b = new Uint8Array(SHM_INFO_SIZE);
    const tot = totals(k);
    // struct shm_info: int used_ids; then shm_tot shm_rss shm_swp swap_attempts swap_successes.
    putU32(b, 0, s.shm.inUse);
    putU64(b, 8, tot.pages);
    putU64(b, 16, tot.rss);
    putU64(b, 24, tot.swp);
    if (copyout(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
    return Math.max(maxIdx(s.shm), 0);
  }
  if (cmd === IPC_STAT || cmd === SHM_STAT || cmd === SHM_STAT_ANY) {
    const seg = lookupForStat(s.shm, id, cmd !== IPC_STAT);
    if (!seg) return -EINVAL;
    if (cmd !== SHM_STAT_ANY && !ipcPermitted(seg.perm, c, 0o444)) return -EACCES;
    const b = new Uint8Array(SHMID_DS_SIZE);
    putPerm(b, 0, seg.perm);
    putU64(b, 48, seg.size);
    putU64(b, 56, seg.atime);
    putU64(b, 64, seg.dtime);
    putU64(b, 72, seg.ctime);
    putU32(b, 80, seg.cpid);
    putU32(b, 84, seg.lpid);
    putU64(b, 88, shmNattch(k, seg));
    if (copyout(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
    return cmd === IPC_STAT ? 0 : seg.perm.id;
  }
  if (cmd === SHM_LOCK || cmd === SHM_UNLOCK) {
    const seg = lookupId(s.shm, id);
    if (!seg) return -EINVAL;
    if (c.euid !== 0) {
      // Without CAP_IPC_LOCK: only the owner or creator, and SHM_LOCK needs a memlock limit at all.
      if (c.euid !== seg.perm.uid && c.euid !== seg.perm.cuid) return -EPERM;
      if (cmd === SHM_LOCK && t.tg.rlimits[RLIMIT_MEMLOCK].cur === 0) return -EPERM;
    }
    // A locked segment's pages stay in RAM (mm/shmem_swap.ts passes them over); pages already on swap stay there until touched, as on Linux.
    if (cmd === SHM_LOCK) seg.perm.mode |= SHM_LOCKED;
    else seg.perm.mode &= ~SHM_LOCKED;
    const o = bt(k).shmem.get(seg.backing);
    if (o) o.locked = cmd === SHM_LOCK;
    return 0;
  }
  if (cmd !== IPC_SET && cmd !== IPC_RMID) return -EINVAL;
  const b = new Uint8Array(SHMID_DS_SIZE);
  if (cmd === IPC_SET && copyin(k.mmctx, t.mm!, buf, b) < 0) return -EFAULT;
  const seg = lookupId(s.shm, id);
  if (!seg) return -EINVAL;
  if (!ipcOwner(seg.perm, c)) return -EPERM;
  if (cmd === IPC_SET) {
    setPerm(b, 0, seg.perm);
    seg.ctime = ipcSeconds(k);
    return 0;
  }
  // IPC_RMID.
  if (shmNattch(k, seg) === 0) { destroy(k, seg); return 0; }
  seg.perm.mode |= SHM_DEST;
  seg.perm.key = IPC_PRIVATE;
  seg.held = false;
  backingRelease(k, bt(k), { kind: "shmem", id: seg.backing });
  return 0;
}
