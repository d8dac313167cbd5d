// Credentials: the set*id family with Linux's permission rules, supplementary
// groups, fsuid/fsgid, and capget/capset (root holds every capability,
// others none).
//
// Concepts: C27 (user and group ids), C69 (privileges).
import { pack, unpack } from "../abi/layout.js";
import { CAP_HEADER, CAP_DATA, CAP_V1, CAP_V2, CAP_V3 } from "../abi/capability.js";
import type { Kernel } from "../kernel.js";
import { type Task, type ThreadGroup, type Creds, findProcess } from "../proc/task.js";
import { type SyscallTable, argU, argInt, argU32, putUser } from "./args.js";
import * as N from "../abi/sysno.js";
import { copyin, putUser32 } from "../mm/uaccess.js";
import { EINVAL, EFAULT, EPERM, ESRCH } from "../abi/errno.js";
import { getU32, putU32 } from "../abi/le.js";

// ---- credentials ---------------------------------------------------------------

const NO_ID = 0xffffffff;
const NGROUPS_MAX = 65536;

function sysSetuid(k: Kernel, t: Task): number {
  const c = t.tg.creds, uid = argU32(k, 0);
  if (uid === NO_ID) return -EINVAL;
  if (c.euid === 0) { c.uid = c.euid = c.suid = c.fsuid = uid; return 0; }
  if (uid !== c.uid && uid !== c.suid) return -EPERM;
  c.euid = c.fsuid = uid;
  return 0;
}

function sysSetgid(k: Kernel, t: Task): number {
  const c = t.tg.creds, gid = argU32(k, 0);
  if (gid === NO_ID) return -EINVAL;
  if (c.euid === 0) { c.gid = c.egid = c.sgid = c.fsgid = gid; return 0; }
  if (gid !== c.gid && gid !== c.sgid) return -EPERM;
  c.egid = c.fsgid = gid;
  return 0;
}

/** setreuid/setregid: -1 leaves a field alone; the saved id follows a changed effective id. */
function setre(c: Creds, r: number, e: number, which: "uid" | "gid"): number {
  const priv = c.euid === 0;
  const R = which === "uid" ? c.uid : c.gid, E = which === "uid" ? c.euid : c.egid, S = which === "uid" ? c.suid : c.sgid;
  if (r !== NO_ID && !priv && r !== R && r !== E) return -EPERM;
  if (e !== NO_ID && !priv && e !== R && e !== E && e !== S) return -EPERM;
  const nr = r !== NO_ID ? r : R, ne = e !== NO_ID ? e : E;
  const ns = r !== NO_ID || (e !== NO_ID && e !== R) ? ne : S;
  if (which === "uid") { c.uid = nr; c.euid = ne; c.suid = ns; c.fsuid = ne; }
  else { c.gid = nr; c.egid = ne; c.sgid = ns; c.fsgid = ne; }
  return 0;
}

function setres(c: Creds, r: number, e: number, s: number, which: "uid" | "gid"): number {
  const priv = c.euid === 0;
  const cur = which === "uid" ? [c.uid, c.euid, c.suid] : [c.gid, c.egid, c.sgid];
  for (const v of [r, e, s]) if (v !== NO_ID && !priv && !cur.includes(v)) return -EPERM;
  const nr = r !== NO_ID ? r : cur[0], ne = e !== NO_ID ? e : cur[1], ns = s !== NO_ID ? s : cur[2];
  if (which === "uid") { c.uid = nr; c.euid = ne; c.suid = ns; c.fsuid = ne; }
  else { c.gid = nr; c.egid = ne; c.sgid = ns; c.fsgid = ne; }
  return 0;
}

function getres(k: Kernel, t: Task, ids: number[]): number {
  for (let i = 0; i < 3; i++) {
    if (putUser32(k.mmctx, t.mm!, argU(k, i), ids[i]) < 0) return -EFAULT;
  }
  return 0;
}

function sysSetfsuid(k: Kernel, t: Task): number {
  const c = t.tg.creds, id = argU32(k, 0), old = c.fsuid;
  if (id !== NO_ID && (c.euid === 0 || [c.uid, c.euid, c.suid, c.fsuid].includes(id))) c.fsuid = id;
  return old;
}

function sysSetfsgid(k: Kernel, t: Task): number {
  const c = t.tg.creds, id = argU32(k, 0), old = c.fsgid;
  if (id !== NO_ID && (c.euid === 0 || [c.gid, c.egid, c.sgid, c.fsgid].includes(id))) c.fsgid = id;
  return old;
}

function sysGetgroups(k: Kernel, t: Task): number {
  const size = argInt(k, 0), va = argU(k, 1);
  const g = t.tg.creds.groups;
  if (size < 0) return -EINVAL;
  if (size === 0) return g.length;
  if (size < g.length) return -EINVAL;
  // A gid_t (u32) array.
  const b = new Uint8Array(g.length * 4);
  for (let i = 0; i < g.length; i++) putU32(b, i * 4, g[i]);
  if (g.length && putUser(k, t, va, b) < 0) return -EFAULT;
  return g.length;
}

function sysSetgroups(k: Kernel, t: Task): number {
  const size = argInt(k, 0), va = argU(k, 1);
  if (t.tg.creds.euid !== 0) return -EPERM;
  if (size < 0 || size > NGROUPS_MAX) return -EINVAL;
  const b = new Uint8Array(size * 4);
  if (size && copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  t.tg.creds.groups = Array.from({ length: size }, (_, i) => getU32(b, i * 4));
  return 0;
}

// ---- capabilities (minimal: root has them all, others none) -------------------

const CAP_FULL = [0xffffffff, 0x1ff]; // CAP_LAST_CAP = 40

function capHeader(k: Kernel, t: Task): { version: number; pid: number } | number {
  const b = new Uint8Array(CAP_HEADER.size);
  const va = argU(k, 0);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const { version, pid } = unpack(CAP_HEADER, b);
  if (version !== CAP_V1 && version !== CAP_V2 && version !== CAP_V3) {
    // Only the version field is written back.
    pack(CAP_HEADER, { version: CAP_V3 }, b);
    if (putUser(k, t, va, b.subarray(0, 4)) < 0) return -EFAULT;
    // A probe without a data pointer learns the preferred version and succeeds.
    return argU(k, 1) === 0 ? 0 : -EINVAL;
  }
  return { version, pid };
}

function capsOf(tg: ThreadGroup): number[] {
  return tg.creds.euid === 0 ? CAP_FULL : [0, 0];
}

function sysCapget(k: Kernel, t: Task): number {
  const h = capHeader(k, t);
  if (typeof h === "number") return h;
  if (h.pid < 0) return -EINVAL;
  const tg = h.pid === 0 ? t.tg : findProcess(k, h.pid);
  if (!tg) return -ESRCH;
  const dataVa = argU(k, 1);
  if (!dataVa) return 0;
  const words = h.version === CAP_V1 ? 1 : 2;
  const caps = capsOf(tg);
  const b = new Uint8Array(words * CAP_DATA.size);
  for (let i = 0; i < words; i++) pack(CAP_DATA, { effective: caps[i], permitted: caps[i], inheritable: 0 }, b, i * CAP_DATA.size);
  return putUser(k, t, dataVa, b);
}

function sysCapset(k: Kernel, t: Task): number {
  const h = capHeader(k, t);
  if (typeof h === "number") return h;
  if (h.pid !== 0 && h.pid !== t.tg.pid && h.pid !== t.tid) return -EPERM;
  const words = h.version === CAP_V1 ? 1 : 2;
  const b = new Uint8Array(words * CAP_DATA.size);
  if (copyin(k.mmctx, t.mm!, argU(k, 1), b) < 0) return -EFAULT;
  const have = capsOf(t.tg);
  for (let i = 0; i < words; i++) {
    const { effective: eff, permitted: perm } = unpack(CAP_DATA, b, i * CAP_DATA.size);
    // Capabilities can only be kept or dropped, never gained; effective must be within permitted.
    if ((perm & ~have[i]) >>> 0 || (eff & ~perm) >>> 0) return -EPERM;
  }
  return 0;
}

export function registerCredSyscalls(table: SyscallTable): void {
  table[N.SYS_setuid] = sysSetuid;
  table[N.SYS_setgid] = sysSetgid;
  table[N.SYS_setreuid] = (k, t) => setre(t.tg.creds, argU32(k, 0), argU32(k, 1), "uid");
  table[N.SYS_setregid] = (k, t) => setre(t.tg.creds, argU32(k, 0), argU32(k, 1), "gid");
  table[N.SYS_setresuid] = (k, t) => setres(t.tg.creds, argU32(k, 0), argU32(k, 1), argU32(k, 2), "uid");
  table[N.SYS_setresgid] = (k, t) => setres(t.tg.creds, argU32(k, 0), argU32(k, 1), argU32(k, 2), "gid");
  table[N.SYS_getresuid] = (k, t) => getres(k, t, [t.tg.creds.uid, t.tg.creds.euid, t.tg.creds.suid]);
  table[N.SYS_getresgid] = (k, t) => getres(k, t, [t.tg.creds.gid, t.tg.creds.egid, t.tg.creds.sgid]);
  table[N.SYS_setfsuid] = sysSetfsuid;
  table[N.SYS_setfsgid] = sysSetfsgid;
  table[N.SYS_getgroups] = sysGetgroups;
  table[N.SYS_setgroups] = sysSetgroups;
  table[N.SYS_capget] = sysCapget;
  table[N.SYS_capset] = sysCapset;
}
