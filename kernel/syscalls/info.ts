// System information and identity calls: uname, sysinfo, getrandom,
// resource limits, user and group ids, umask, prctl names, and
// riscv_hwprobe (the harts' extensions, read from misa).
//
// Concepts: C27 (credentials), C05 (the ABI programs probe at startup).
import { pack, unpack } from "../abi/layout.js";
import { SYSINFO } from "../abi/sysinfo.js";
import { swapTotals } from "../mm/swap.js";
import { shmemPages } from "../fs/proc/info.js";
import { RLIMIT, RLIM_INFINITY, RLIMIT_NLIMITS } from "../abi/resource.js";
import type { Kernel } from "../kernel.js";
import { nowNs, MTIME_HZ } from "../time/clock.js";
import type { Task, Rlimit } from "../proc/task.js";
import { mayPrlimit, setRlimit } from "../proc/rlimit.js";
import { type SyscallTable, argU, argInt } from "./args.js";
import * as N from "../abi/sysno.js";
import * as H from "../abi/hwprobe.js";
import { getI64, getU64Big, putU64Big } from "../abi/le.js";
import { USER_TOP } from "../mm/pagetable.js";

import { copyin, copyout, copyinString, putUser32 } from "../mm/uaccess.js";
import { EINVAL, EFAULT, EPERM, ESRCH } from "../abi/errno.js";
import { freeFrames, PAGE_SIZE } from "../mm/phys.js";
import {
  GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE,
} from "../abi/random.js";
import {
  PR_SET_PDEATHSIG, PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_SET_NAME, PR_GET_NAME, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_SET_VMA,
} from "../abi/prctl.js";
import { randomBytes } from "../lib/random.js";
import { bytesToStr, strToBytes } from "../lib/bytestr.js";

function sysUname(k: Kernel, t: Task): number {
  const b = new Uint8Array(65 * 6);
  const uts = k.sysinfo.uts;
  [uts.sysname, uts.nodename, uts.release, uts.version, uts.machine, uts.domainname].forEach((s, i) => b.set(strToBytes(s).subarray(0, 64), i * 65));
  return copyout(k.mmctx, t.mm!, argU(k, 0), b) < 0 ? -EFAULT : 0;
}

function sysSethostname(k: Kernel, t: Task): number {
  if (t.tg.creds.euid !== 0) return -EPERM;
  const len = argU(k, 1);
  if (len > 64) return -EINVAL;
  const b = new Uint8Array(len);
  if (copyin(k.mmctx, t.mm!, argU(k, 0), b) < 0) return -EFAULT;
  k.sysinfo.uts.nodename = bytesToStr(b);
  return 0;
}

function sysSysinfo(k: Kernel, t: Task): number {
  const la = k.loadavg.avg.map((v) => Math.round(v * 65536));
  const b = pack(SYSINFO, {
    uptime: Math.floor(nowNs(k) / 1e9), loads0: la[0], loads1: la[1], loads2: la[2],
    totalram: k.pm.frames * PAGE_SIZE, freeram: freeFrames(k.pm) * PAGE_SIZE,
    // busybox free's "shared" column (meminfo's Shmem, as Linux's si_meminfo).
    sharedram: shmemPages(k) * PAGE_SIZE,
    // The active swap areas (mm/swap.ts): busybox free reads them here.
    totalswap: swapTotals(k.mmctx.vm.swap).total * PAGE_SIZE, freeswap: swapTotals(k.mmctx.vm.swap).free * PAGE_SIZE,
    procs: Math.min(65535, k.groups.size), mem_unit: 1,
  });
  return copyout(k.mmctx, t.mm!, argU(k, 0), b) < 0 ? -EFAULT : 0;
}

function sysGetrandom(k: Kernel, t: Task): number {
  const buf = argU(k, 0), len = Math.min(argU(k, 1), 33554431), flags = argInt(k, 2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -EINVAL;
  const b = new Uint8Array(len);
  randomBytes(k.entropy, b);
  return copyout(k.mmctx, t.mm!, buf, b) < 0 ? -EFAULT : len;
}

function u64(v: number): bigint { return v >= RLIM_INFINITY ? 0xffffffffffffffffn : BigInt(v); }

function readRlimit(k: Kernel, t: Task, va: number): Rlimit | number {
  const b = new Uint8Array(RLIMIT.size);
  if (copyin(k.mmctx, t.mm!, va, b) < 0) return -EFAULT;
  const r = unpack(RLIMIT, b);
  return { cur: r.rlim_cur, max: r.rlim_max };
}

function writeRlimit(k: Kernel, t: Task, va: number, r: Rlimit): number {
  const b = pack(RLIMIT, { rlim_cur: u64(r.cur), rlim_max: u64(r.max) });
  return copyout(k.mmctx, t.mm!, va, b) < 0 ? -EFAULT : 0;
}

function sysPrlimit64(k: Kernel, t: Task): number {
  const pid = argInt(k, 0), res = argInt(k, 1), newp = argU(k, 2), oldp = argU(k, 3);
  let want: Rlimit | null = null;
  if (newp) {
    const r = readRlimit(k, t, newp);
    if (typeof r === "number") return r;
    want = r;
  }
  const tg = pid === 0 ? t.tg : k.tasks.get(pid)?.tg;
  if (!tg || tg.zombie) return -ESRCH;
  if ((want || oldp) && !mayPrlimit(t, tg)) return -EPERM;
  if (res < 0 || res >= RLIMIT_NLIMITS) return -EINVAL;
  const old = { ...tg.rlimits[res] };
  if (want) {
    const e = setRlimit(t, tg, res, want);
    if (e < 0) return e;
  }
  return oldp ? writeRlimit(k, t, oldp, old) : 0;
}

function sysSetrlimit(k: Kernel, t: Task): number {
  const res = argInt(k, 0);
  const r = readRlimit(k, t, argU(k, 1));
  if (typeof r === "number") return r;
  return setRlimit(t, t.tg, res, r);
}

function sysGetrlimit(k: Kernel, t: Task): number {
  const res = argInt(k, 0);
  if (res < 0 || res >= RLIMIT_NLIMITS) return -EINVAL;
  return writeRlimit(k, t, argU(k, 1), t.tg.rlimits[res]);
}

function sysUmask(k: Kernel, t: Task): number {
  const old = t.fs.umask;
  t.fs.umask = argInt(k, 0) & 0o777;
  return old;
}

function sysPrctl(k: Kernel, t: Task): number {
  const op = argInt(k, 0), a = argU(k, 1);
  switch (op) {
    case PR_SET_NAME: {
      const s = copyinString(k.mmctx, t.mm!, a, 16);
      if (typeof s === "number") {
        // A name of 16+ bytes is truncated, not an error.
        const b = new Uint8Array(15);
        if (copyin(k.mmctx, t.mm!, a, b) < 0) return -EFAULT;
        const nul = b.indexOf(0);
        t.comm = bytesToStr(nul >= 0 ? b.subarray(0, nul) : b);
      } else t.comm = s.slice(0, 15);
      if (t.tg.threads[0] === t) t.tg.comm = t.comm;
      return 0;
    }
    case PR_GET_NAME: {
      const b = new Uint8Array(16);
      b.set(strToBytes(t.comm).subarray(0, 15));
      return copyout(k.mmctx, t.mm!, a, b) < 0 ? -EFAULT : 0;
    }
    case PR_SET_PDEATHSIG: if (a > 64) return -EINVAL; t.tg.pdeathSig = a; return 0;
    case PR_GET_PDEATHSIG: {
      return putUser32(k.mmctx, t.mm!, a, t.tg.pdeathSig) < 0 ? -EFAULT : 0;
    }
    case PR_GET_DUMPABLE: return 1;
    case PR_SET_DUMPABLE: return a <= 1 ? 0 : -EINVAL;
    case PR_SET_NO_NEW_PRIVS: return a === 1 ? 0 : -EINVAL;
    case PR_GET_NO_NEW_PRIVS: return 1;
    case PR_SET_VMA: return -EINVAL;
    default: return -EINVAL;
  }
}

function sysGetcpu(k: Kernel, t: Task): number {
  const cpup = argU(k, 0), nodep = argU(k, 1);
  if (cpup && putUser32(k.mmctx, t.mm!, cpup, Math.max(0, t.cpu)) < 0) return -EFAULT;
  if (nodep && copyout(k.mmctx, t.mm!, nodep, new Uint8Array(4)) < 0) return -EFAULT;
  return 0;
}

/** The misa bit of extension letter `c`. */
const misaHas = (misa: bigint, c: string): boolean => ((misa >> BigInt(c.charCodeAt(0) - 97)) & 1n) === 1n;

/**
 * The answer to one riscv_hwprobe key, read from this machine's harts (all
 * harts are the same: misa says which single-letter extensions they have;
 * no Z* extension hwprobe reports - Zba/Zbb/Zbs, Zicboz, ... - is
 * implemented). Null for a key this kernel does not know.
 */
function hwprobeValue(k: Kernel, key: number): bigint | null {
  const misa = k.core.csrRead(0x301);
  switch (key) {
    case H.RISCV_HWPROBE_KEY_MVENDORID: case H.RISCV_HWPROBE_KEY_MARCHID: case H.RISCV_HWPROBE_KEY_MIMPID:
      return 0n; // no vendor, architecture or implementation id (as /proc/cpuinfo says)
    case H.RISCV_HWPROBE_KEY_BASE_BEHAVIOR:
      return misaHas(misa, "i") && misaHas(misa, "m") && misaHas(misa, "a") ? BigInt(H.RISCV_HWPROBE_BASE_BEHAVIOR_IMA) : 0n;
    case H.RISCV_HWPROBE_KEY_IMA_EXT_0: {
      let v = 0;
      if (misaHas(misa, "f") && misaHas(misa, "d")) v |= H.RISCV_HWPROBE_IMA_FD;
      if (misaHas(misa, "c")) v |= H.RISCV_HWPROBE_IMA_C;
      if (misaHas(misa, "v")) v |= H.RISCV_HWPROBE_IMA_V;
      return BigInt(v);
    }
    case H.RISCV_HWPROBE_KEY_CPUPERF_0: return BigInt(H.RISCV_HWPROBE_MISALIGNED_UNKNOWN); // never measured
    case H.RISCV_HWPROBE_KEY_ZICBOZ_BLOCK_SIZE: return 0n; // no Zicboz
    case H.RISCV_HWPROBE_KEY_HIGHEST_VIRT_ADDRESS: return BigInt(USER_TOP - 1);
    case H.RISCV_HWPROBE_KEY_TIME_CSR_FREQ: return BigInt(MTIME_HZ);
    default: return null;
  }
}

/**
 * riscv_hwprobe(pairs, count, cpusetsize, cpus, flags): fill in the value of
 * each key (an unknown key becomes -1, value 0). As on Linux: flags must be
 * 0; cpus NULL with size 0 means every online hart, otherwise the set must
 * name at least one online hart (EINVAL) and be readable (EFAULT).
 */
function sysRiscvHwprobe(k: Kernel, t: Task): number {
  const pairs = argU(k, 0), count = argU(k, 1), setsize = argU(k, 2), cpus = argU(k, 3);
  if (argU(k, 4) !== 0) return -EINVAL;
  if (setsize !== 0 || cpus !== 0) {
    const n = Math.min(setsize, 8);
    const set = new Uint8Array(8);
    if (n > 0 && copyin(k.mmctx, t.mm!, cpus, set, 0, n) < 0) return -EFAULT;
    let any = false;
    for (let c = 0; c < Math.min(k.cpus.length, 64); c++) if (set[c >> 3] & (1 << (c & 7))) any = true;
    if (!any) return -EINVAL;
  }
  const pair = new Uint8Array(H.HWPROBE_PAIR_SIZE);
  for (let i = 0; i < count; i++) {
    const va = pairs + i * H.HWPROBE_PAIR_SIZE;
    if (copyin(k.mmctx, t.mm!, va, pair, 0, 8) < 0) return -EFAULT;
    const v = hwprobeValue(k, getI64(pair, 0));
    putU64Big(pair, 0, v === null ? 0xffffffffffffffffn : getU64Big(pair, 0));
    putU64Big(pair, 8, v ?? 0n);
    if (copyout(k.mmctx, t.mm!, va, pair) < 0) return -EFAULT;
  }
  return 0;
}

export function registerInfoSyscalls(table: SyscallTable): void {
  table[N.SYS_riscv_hwprobe] = sysRiscvHwprobe;
  table[N.SYS_uname] = sysUname;
  table[N.SYS_sethostname] = sysSethostname;
  table[N.SYS_sysinfo] = sysSysinfo;
  table[N.SYS_getrandom] = sysGetrandom;
  table[N.SYS_prlimit64] = sysPrlimit64;
  table[N.SYS_getrlimit] = sysGetrlimit;
  table[N.SYS_setrlimit] = sysSetrlimit;
  table[N.SYS_umask] = sysUmask;
  table[N.SYS_prctl] = sysPrctl;
  table[N.SYS_getcpu] = sysGetcpu;
  table[N.SYS_getuid] = (_k, t) => t.tg.creds.uid;
  table[N.SYS_geteuid] = (_k, t) => t.tg.creds.euid;
  table[N.SYS_getgid] = (_k, t) => t.tg.creds.gid;
  table[N.SYS_getegid] = (_k, t) => t.tg.creds.egid;
}
