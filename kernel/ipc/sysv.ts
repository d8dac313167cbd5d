// System V IPC, the part its three kinds share (Linux's ipc/util.c): keys,
// identifiers with sequence numbers, permissions, and the limits of
// /proc/sys/kernel. Message queues (msg.ts), semaphore sets (sem.ts) and
// shared memory segments (shm.ts) keep
// their objects here, in plain-data tables under k.ipc.sysv, so that a
// snapshot copies them like the rest of the kernel's state.
//
// An identifier is seq * 32768 + slot (Linux's ipc_buildid with
// IPCMNI_SHIFT 15): a slot freed by IPC_RMID and reused gets a new sequence
// number, so a stale identifier fails with EINVAL instead of reaching the
// new object.
//
// Concepts: C34 (semaphores), C42 (message queues), C43 (shared memory):
// their naming and access-control layer.
import { getU32, putU32 } from "../abi/le.js";
import type { Creds } from "../proc/task.js";
import type { WaitQueue } from "../sched/wait.js";

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;
/** The "new layout" flag user space may or in to a ctl command; the 64-bit ABI always uses it. */
export const IPC_64 = 0x100;

/** Slots per kind: identifiers are seq << 15 | slot (IPCMNI). */
export const IPCMNI = 32768;
const SEQ_MAX = 65535;

/** struct kern_ipc_perm, as data. */
export interface IpcPerm {
  key: number;
  uid: number; gid: number; cuid: number; cgid: number;
  /** The low 9 bits: read/write permissions (msg/sem use 0o666 and ignore x). */
  mode: number;
  seq: number;
  /** The identifier user space sees. */
  id: number;
}

/** The objects of one kind, by slot, with the cyclic allocation state. */
export interface IpcIds<T extends { perm: IpcPerm }> {
  slots: (T | undefined)[];
  /** Objects in use. */
  inUse: number;
  /** Sequence number the next new object gets (bumped whenever allocation wraps). */
  seq: number;
  /** Slot of the last allocation (allocation is cyclic, as Linux's idr_alloc_cyclic). */
  lastIdx: number;
}

export interface SysvLimits {
  msgmax: number; msgmnb: number; msgmni: number;
  /** kernel.shmmax (bytes) and kernel.shmall (pages): u64s, kept exact as bigints. */
  shmmax: bigint; shmall: bigint;
  /** kernel.shmmni: segments at most. */
  shmmni: number;
  /** kernel.sem: SEMMSL SEMMNS SEMOPM SEMMNI. */
  semmsl: number; semmns: number; semopm: number; semmni: number;
}

/** Linux's SHMMAX and SHMALL default: ULONG_MAX - 2^24. */
export const SHM_UNLIMITED = 0xffffffffffffffffn - (1n << 24n);

export function defaultLimits(): SysvLimits {
  // Linux's defaults (include/uapi/linux/msg.h, sem.h).
  // shmmax and shmall: ULONG_MAX - (1 << 24) (include/uapi/linux/shm.h).
  return {
    msgmax: 8192, msgmnb: 16384, msgmni: 32000, semmsl: 32000, semmns: 1024000000, semopm: 500, semmni: 32000,
    shmmax: SHM_UNLIMITED, shmall: SHM_UNLIMITED, shmmni: 4096,
  };
}

export function createIds<T extends { perm: IpcPerm }>(): IpcIds<T> {
  return { slots: [], inUse: 0, seq: 0, lastIdx: -1 };
}

export function slotOf(id: number): number { return id % IPCMNI; }

/** The object named by `id`, if its slot holds it with the same sequence number. */
export function lookupId<T extends { perm: IpcPerm }>(ids: IpcIds<T>, id: number): T | undefined {
  if (id < 0) return undefined;
  const o = ids.slots[slotOf(id)];
  return o && o.perm.id === id ? o : undefined;
}

/**
 * The object a *_STAT command names: IPC_STAT takes an identifier; MSG_STAT,
 * SEM_STAT, SHM_STAT and their _ANY forms take a slot index, as ipcs walks
 * the table from 0 to the highest index *_INFO returned.
 */
export function lookupForStat<T extends { perm: IpcPerm }>(ids: IpcIds<T>, id: number, byIndex: boolean): T | undefined {
  if (!byIndex) return lookupId(ids, id);
  return id >= 0 && id < ids.slots.length ? ids.slots[id] : undefined;
}

export function findKey<T extends { perm: IpcPerm }>(ids: IpcIds<T>, key: number): T | undefined {
  for (const o of ids.slots) if (o && o.perm.key === key) return o;
  return undefined;
}

/** Allocate a slot (cyclically) and the identifier; -1 when `max` objects exist. */
export function allocId<T extends { perm: IpcPerm }>(ids: IpcIds<T>, max: number, perm: IpcPerm): number {
  if (ids.inUse >= max) return -1;
  const lim = Math.min(max, IPCMNI);
  for (let n = 1; n <= lim; n++) {
    const idx = (ids.lastIdx + n) % lim;
    if (ids.slots[idx] !== undefined) continue;
    if (idx <= ids.lastIdx) ids.seq = ids.seq >= SEQ_MAX ? 0 : ids.seq + 1;
    ids.lastIdx = idx;
    perm.seq = ids.seq;
    perm.id = ids.seq * IPCMNI + idx;
    return idx;
  }
  return -1;
}

export function freeId<T extends { perm: IpcPerm }>(ids: IpcIds<T>, o: T): void {
  const idx = slotOf(o.perm.id);
  if (ids.slots[idx] === o) { ids.slots[idx] = undefined; ids.inUse--; }
  while (ids.slots.length && ids.slots[ids.slots.length - 1] === undefined) ids.slots.pop();
}

/** The highest slot in use, or -1 (what IPC_INFO / MSG_INFO / SEM_INFO return). */
export function maxIdx<T extends { perm: IpcPerm }>(ids: IpcIds<T>): number {
  for (let i = ids.slots.length - 1; i >= 0; i--) if (ids.slots[i]) return i;
  return -1;
}

export function newPerm(key: number, flg: number, c: Creds): IpcPerm {
  return { key, uid: c.euid, gid: c.egid, cuid: c.euid, cgid: c.egid, mode: flg & 0o777, seq: 0, id: 0 };
}

function inGroup(c: Creds, gid: number): boolean {
  return c.egid === gid || c.groups.includes(gid);
}

/**
 * Linux's ipcperms: whether `c` may access with the rwx bits of `flag`
 * (given in any of the three positions). Root (CAP_IPC_OWNER) always may.
 */
export function ipcPermitted(p: IpcPerm, c: Creds, flag: number): boolean {
  const req = ((flag >> 6) | (flag >> 3) | flag) & 7;
  let granted = p.mode;
  if (c.euid === p.cuid || c.euid === p.uid) granted >>= 6;
  else if (inGroup(c, p.cgid) || inGroup(c, p.gid)) granted >>= 3;
  return (req & ~granted & 7) === 0 || c.euid === 0;
}

/** IPC_SET / IPC_RMID: the owner, the creator or root (CAP_SYS_ADMIN). */
export function ipcOwner(p: IpcPerm, c: Creds): boolean {
  return c.euid === 0 || c.euid === p.uid || c.euid === p.cuid;
}

/** Encode struct ipc64_perm (48 bytes) at `off`. */
export function putPerm(b: Uint8Array, off: number, p: IpcPerm): void {
  putU32(b, off, p.key);
  putU32(b, off + 4, p.uid);
  putU32(b, off + 8, p.gid);
  putU32(b, off + 12, p.cuid);
  putU32(b, off + 16, p.cgid);
  putU32(b, off + 20, p.mode);
  b[off + 24] = p.seq & 0xff;
  b[off + 25] = p.seq >>> 8;
}

/** IPC_SET: take uid, gid and the permission bits from a struct ipc64_perm. */
export function setPerm(b: Uint8Array, off: number, p: IpcPerm): void {
  p.uid = getU32(b, off + 4);
  p.gid = getU32(b, off + 8);
  p.mode = (p.mode & ~0o777) | (getU32(b, off + 20) & 0o777);
}

/** One message: its type and bytes. */
export interface Msg { type: number; data: Uint8Array }

/** struct msg_queue. */
export interface MsgQueue {
  perm: IpcPerm;
  msgs: Msg[];
  /** Bytes in the queue (msg_cbytes) and the most it may hold (msg_qbytes). */
  cbytes: number;
  qbytes: number;
  stime: number; rtime: number; ctime: number;
  lspid: number; lrpid: number;
  /** Senders waiting for room, receivers waiting for a message. */
  sendWait: WaitQueue;
  recvWait: WaitQueue;
}

/** struct sem_array: the values and, per semaphore, the pid of the last operation. */
export interface SemSet {
  perm: IpcPerm;
  vals: number[];
  pids: number[];
  otime: number; ctime: number;
  /** Tasks blocked in semop on this set (each rechecks its whole operation when woken). */
  wait: WaitQueue;
}

/**
 * struct shmid_kernel: a shared memory segment. Its pages are a shmem object
 * in the memory manager's backing table (mm/backing.ts); the segment holds
 * one reference to it until IPC_RMID, each attachment (a VMA) holds one more,
 * so the frames live until the last of them lets go.
 */
export interface ShmSeg {
  perm: IpcPerm;
  /** shm_segsz: the size asked for (attachments map it rounded up to pages). */
  size: number;
  /** The shmem object's id in k.mmctx.vm.backings.shmem. */
  backing: number;
  /** Whether the segment itself still holds a reference (dropped at IPC_RMID). */
  held: boolean;
  /** Pages charged to Committed_AS at shmget (0 with SHM_NORESERVE), given back when destroyed. */
  charged: number;
  cpid: number; lpid: number;
  atime: number; dtime: number; ctime: number;
}

/** k.ipc.sysv: every System V IPC object, the limits, and the SEM_UNDO adjustments. */
export interface SysvState {
  msg: IpcIds<MsgQueue>;
  sem: IpcIds<SemSet>;
  shm: IpcIds<ShmSeg>;
  /** Pages in all segments (shm_tot, bounded by kernel.shmall). */
  shmTot: number;
  limits: SysvLimits;
  /** SEM_UNDO adjustments: process id -> semaphore set id -> semadj per semaphore. */
  undo: Map<number, Map<number, number[]>>;
}

export function createSysvState(): SysvState {
  return { msg: createIds(), sem: createIds(), shm: createIds(), shmTot: 0, limits: defaultLimits(), undo: new Map() };
}
