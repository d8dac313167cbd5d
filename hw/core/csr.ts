// Control and status registers, traps and interrupts of the privileged
// architecture (M, S and U modes): CSR access rules, trap entry with
// delegation and vectored mode, mret/sret, and the choice of the interrupt to
// take. Everything here works on the active hart's state block (layout.ts).
//
// Concepts: C02 (user vs system mode), C03 (privileged instructions trap),
// C04 (ecall traps into the kernel), C11 (interrupts, priorities, pending),
// C12 (the timer interrupt).
import {
  STATE, PC, PRIV, FCSR, MSTATUS, MISA, MEDELEG, MIDELEG, MIE, MIP, MTVEC, MSCRATCH,
  MEPC, MCAUSE, MTVAL, MCOUNTEREN, MENVCFG, STVEC, SSCRATCH, SEPC, SCAUSE, STVAL, SATP,
  SCOUNTEREN, SENVCFG, STIMECMP, MHARTID, INSTRET, MTIMECMP, MSIP, RESERVATION, PMPCFG,
  PMPADDR, MCOUNTINHIBIT, HOST_TRAP, MCAUSE_LAST, TRAPS, INTERRUPTS,
} from "./layout";
import { updateMode, satpWritten, gMtimeNow } from "./mmu";

// mstatus bits
export const MS_SIE: u64 = 1 << 1;
export const MS_MIE: u64 = 1 << 3;
export const MS_SPIE: u64 = 1 << 5;
export const MS_MPIE: u64 = 1 << 7;
export const MS_SPP: u64 = 1 << 8;
export const MS_MPP: u64 = 3 << 11;
export const MS_FS: u64 = 3 << 13;
export const MS_MPRV: u64 = 1 << 17;
export const MS_SUM: u64 = 1 << 18;
export const MS_MXR: u64 = 1 << 19;
export const MS_TVM: u64 = 1 << 20;
export const MS_TW: u64 = 1 << 21;
export const MS_TSR: u64 = 1 << 22;
const MS_UXL: u64 = u64(2) << 32;
const MS_SXL: u64 = u64(2) << 34;
const MS_SD: u64 = u64(1) << 63;
const MSTATUS_W: u64 = MS_SIE | MS_MIE | MS_SPIE | MS_MPIE | MS_SPP | MS_MPP | MS_FS | MS_MPRV |
  MS_SUM | MS_MXR | MS_TVM | MS_TW | MS_TSR;
const SSTATUS_R: u64 = MS_SIE | MS_SPIE | MS_SPP | MS_FS | MS_SUM | MS_MXR | MS_UXL | MS_SD;
const SSTATUS_W: u64 = MS_SIE | MS_SPIE | MS_SPP | MS_FS | MS_SUM | MS_MXR;

// interrupt bits
export const SSIP: u64 = 1 << 1;
export const MSIP_B: u64 = 1 << 3;
export const STIP: u64 = 1 << 5;
export const MTIP: u64 = 1 << 7;
export const SEIP: u64 = 1 << 9;
export const MEIP: u64 = 1 << 11;
const S_INTS: u64 = SSIP | STIP | SEIP;
const M_INTS: u64 = MSIP_B | MTIP | MEIP | S_INTS;

// misa: MXL=2 (RV64), extensions A C D F I M S U
export const MISA_VALUE: u64 = (u64(2) << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) |
  (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

export const MENVCFG_STCE: u64 = u64(1) << 63;

/** Set when a CSR write changed something the interpreter caches (mode, TLB, interrupts). */
export let gCsrSideEffect: bool = false;
export function clearCsrSideEffect(): void { gCsrSideEffect = false; }

/** Set when the last trap went to a privilege that the host handles. */
export let gHostTrap: bool = false;

@inline function rd(off: i32): u64 { return load<u64>(STATE + off); }
@inline function wr(off: i32, v: u64): void { store<u64>(STATE + off, v); }

export function mstatusRead(): u64 {
  let v = rd(MSTATUS) | MS_UXL | MS_SXL;
  if ((v & MS_FS) == MS_FS) v |= MS_SD;
  return v;
}

/** The full mip, with the CLINT and Sstc timer bits computed from the current time. */
export function mipRead(): u64 {
  let v = rd(MIP) & ~(MTIP | MSIP_B);
  if (gMtimeNow >= rd(MTIMECMP)) v |= MTIP;
  if (rd(MSIP) & 1) v |= MSIP_B;
  if ((rd(MENVCFG) & MENVCFG_STCE) != 0) {
    v &= ~STIP;
    if (gMtimeNow >= rd(STIMECMP)) v |= STIP;
  }
  return v;
}

/** Whether a counter CSR (cycle=0, time=1, instret=2, hpm 3..31) may be read at `priv`. */
function counterAllowed(priv: u32, idx: u32): bool {
  if (priv == 3) return true;
  if (((rd(MCOUNTEREN) >> idx) & 1) == 0) return false;
  if (priv == 0 && ((rd(SCOUNTEREN) >> idx) & 1) == 0) return false;
  return true;
}

/** Result of the last csrRead: false means illegal instruction. */
export let gCsrOk: bool = true;

/** Read CSR `csr` at privilege `priv`; sets gCsrOk = false if the access is illegal. */
export function csrRead(csr: u32, priv: u32): u64 {
  gCsrOk = true;
  if (((csr >> 8) & 3) > priv) { gCsrOk = false; return 0; }
  switch (csr) {
    case 0x001: if ((rd(MSTATUS) & MS_FS) == 0) break; return rd(FCSR) & 0x1f;
    case 0x002: if ((rd(MSTATUS) & MS_FS) == 0) break; return (rd(FCSR) >> 5) & 7;
    case 0x003: if ((rd(MSTATUS) & MS_FS) == 0) break; return rd(FCSR) & 0xff;
    case 0xC00: case 0xC02: if (!counterAllowed(priv, csr - 0xC00)) break; return rd(INSTRET);
    case 0xC01: if (!counterAllowed(priv, 1)) break; return gMtimeNow;
    case 0xB00: case 0xB02: return rd(INSTRET);
    case 0x100: return mstatusRead() & SSTATUS_R;
    case 0x104: return rd(MIE) & rd(MIDELEG);
    case 0x105: return rd(STVEC);
    case 0x106: return rd(SCOUNTEREN);
    case 0x10A: return rd(SENVCFG);
    case 0x140: return rd(SSCRATCH);
    case 0x141: return rd(SEPC);
    case 0x142: return rd(SCAUSE);
    case 0x143: return rd(STVAL);
    case 0x144: return mipRead() & rd(MIDELEG);
    case 0x14D:
      if (priv < 3 && ((rd(MCOUNTEREN) >> 1) & 1) == 0) break;
      if (priv < 3 && (rd(MENVCFG) & MENVCFG_STCE) == 0) break;
      return rd(STIMECMP);
    case 0x180:
      if (priv == 1 && (rd(MSTATUS) & MS_TVM) != 0) break;
      return rd(SATP);
    case 0x300: return mstatusRead();
    case 0x301: return MISA_VALUE;
    case 0x302: return rd(MEDELEG);
    case 0x303: return rd(MIDELEG);
    case 0x304: return rd(MIE);
    case 0x305: return rd(MTVEC);
    case 0x306: return rd(MCOUNTEREN);
    case 0x30A: return rd(MENVCFG);
    case 0x320: return rd(MCOUNTINHIBIT);
    case 0x340: return rd(MSCRATCH);
    case 0x341: return rd(MEPC);
    case 0x342: return rd(MCAUSE);
    case 0x343: return rd(MTVAL);
    case 0x344: return mipRead();
    case 0x3A0: return rd(PMPCFG);
    case 0x3A2: return rd(PMPCFG + 8);
    case 0xF11: case 0xF12: case 0xF13: case 0xF15: return 0;
    case 0xF14: return rd(MHARTID);
    default:
      if (csr >= 0x3B0 && csr <= 0x3BF) return rd(PMPADDR + i32((csr - 0x3B0) << 3));
      if (csr >= 0xC03 && csr <= 0xC1F) { if (!counterAllowed(priv, csr - 0xC00)) break; return 0; }
      if (csr >= 0xB03 && csr <= 0xB1F) return 0;
      if (csr >= 0x323 && csr <= 0x33F) return 0;
      break;
  }
  gCsrOk = false;
  return 0;
}

/** Write CSR `csr` (already known readable at `priv`); returns false if the write is illegal. */
export function csrWrite(csr: u32, v: u64, priv: u32): bool {
  if ((csr >> 10) == 3) return false; // read-only CSR
  switch (csr) {
    case 0x001: wr(FCSR, (rd(FCSR) & ~u64(0x1f)) | (v & 0x1f)); setFsDirty(); return true;
    case 0x002: wr(FCSR, (rd(FCSR) & 0x1f) | ((v & 7) << 5)); setFsDirty(); return true;
    case 0x003: wr(FCSR, v & 0xff); setFsDirty(); return true;
    case 0xB00: case 0xB02: wr(INSTRET, v); return true;
    case 0x100: writeMstatus((rd(MSTATUS) & ~SSTATUS_W) | (v & SSTATUS_W)); return true;
    case 0x104: { const m = rd(MIDELEG); wr(MIE, (rd(MIE) & ~m) | (v & m)); gCsrSideEffect = true; return true; }
    case 0x105: if ((v & 3) < 2) wr(STVEC, v); return true;
    case 0x106: wr(SCOUNTEREN, v & 0xffffffff); return true;
    case 0x10A: wr(SENVCFG, v & 1); return true;
    case 0x140: wr(SSCRATCH, v); return true;
    case 0x141: wr(SEPC, v & ~u64(1)); return true;
    case 0x142: wr(SCAUSE, v); return true;
    case 0x143: wr(STVAL, v); return true;
    case 0x144: {
      const m = rd(MIDELEG) & SSIP;
      wr(MIP, (rd(MIP) & ~m) | (v & m)); gCsrSideEffect = true; return true;
    }
    case 0x14D: wr(STIMECMP, v); gCsrSideEffect = true; return true;
    case 0x180: {
      if (priv == 1 && (rd(MSTATUS) & MS_TVM) != 0) return false;
      const mode = v >> 60;
      if (mode != 0 && mode != 8) return true; // WARL: unsupported modes leave satp unchanged
      wr(SATP, v & ((u64(0xF) << 60) | (u64(0xFFFF) << 44) | 0xFFFFFFFFFFF));
      // No flush: the TLB is banked by ASID, and the spec leaves stale entries of
      // a reused ASID to software's sfence.vma. All 16 ASID bits are kept (ASIDLEN 16).
      satpWritten();
      gCsrSideEffect = true;
      return true;
    }
    case 0x300: writeMstatus(v); return true;
    case 0x301: return true; // misa is read-only here (WARL)
    case 0x302: wr(MEDELEG, v & 0xB3FF); return true;
    case 0x303: wr(MIDELEG, v & S_INTS); gCsrSideEffect = true; return true;
    case 0x304: wr(MIE, v & M_INTS); gCsrSideEffect = true; return true;
    case 0x305: if ((v & 3) < 2) wr(MTVEC, v); return true;
    case 0x306: wr(MCOUNTEREN, v & 0xffffffff); return true;
    case 0x30A: wr(MENVCFG, v & (MENVCFG_STCE | 1)); gCsrSideEffect = true; return true;
    case 0x320: wr(MCOUNTINHIBIT, v & 0xfffffffd); return true;
    case 0x340: wr(MSCRATCH, v); return true;
    case 0x341: wr(MEPC, v & ~u64(1)); return true;
    case 0x342: wr(MCAUSE, v); return true;
    case 0x343: wr(MTVAL, v); return true;
    case 0x344: {
      let m: u64 = SSIP | SEIP;
      if ((rd(MENVCFG) & MENVCFG_STCE) == 0) m |= STIP;
      wr(MIP, (rd(MIP) & ~m) | (v & m)); gCsrSideEffect = true; return true;
    }
    case 0x3A0: wr(PMPCFG, v); return true;
    case 0x3A2: wr(PMPCFG + 8, v); return true;
    default:
      if (csr >= 0x3B0 && csr <= 0x3BF) { wr(PMPADDR + i32((csr - 0x3B0) << 3), v & 0x3FFFFFFFFFFFFF); return true; }
      if (csr >= 0xB03 && csr <= 0xB1F) return true;
      if (csr >= 0x323 && csr <= 0x33F) return true;
      return false;
  }
}

function writeMstatus(v: u64): void {
  let n = (rd(MSTATUS) & ~MSTATUS_W) | (v & MSTATUS_W);
  if ((n & MS_MPP) == (u64(2) << 11)) n &= ~MS_MPP; // MPP=2 is reserved: legalize to U
  wr(MSTATUS, n);
  updateMode();
  gCsrSideEffect = true;
}

@inline export function setFsDirty(): void {
  const m = rd(MSTATUS);
  if ((m & MS_FS) != MS_FS) wr(MSTATUS, m | MS_FS);
}

/**
 * Take a trap with `cause` (bit 63 set for interrupts) at instruction address `epc`.
 * Returns the new pc. Sets gHostTrap when the target privilege is handled by the host.
 */
export function takeTrap(cause: u64, tval: u64, epc: u64): u64 {
  const priv = u32(rd(PRIV));
  const isInt = (cause >> 63) != 0;
  const code = cause & 63;
  const deleg = isInt ? rd(MIDELEG) : rd(MEDELEG);
  let ms = rd(MSTATUS);
  let target: u32;
  let pc: u64;
  if (priv <= 1 && ((deleg >> code) & 1) != 0) {
    target = 1;
    wr(SCAUSE, cause); wr(SEPC, epc); wr(STVAL, tval);
    ms = (ms & ~(MS_SPP | MS_SPIE | MS_SIE)) | (u64(priv) << 8) | ((ms & MS_SIE) != 0 ? MS_SPIE : 0);
    const tv = rd(STVEC);
    pc = (tv & ~u64(3)) + ((tv & 1) != 0 && isInt ? code << 2 : 0);
  } else {
    target = 3;
    wr(MCAUSE, cause); wr(MEPC, epc); wr(MTVAL, tval);
    ms = (ms & ~(MS_MPP | MS_MPIE | MS_MIE)) | (u64(priv) << 11) | ((ms & MS_MIE) != 0 ? MS_MPIE : 0);
    const tv = rd(MTVEC);
    pc = (tv & ~u64(3)) + ((tv & 1) != 0 && isInt ? code << 2 : 0);
  }
  wr(MSTATUS, ms);
  wr(PRIV, target);
  wr(RESERVATION, <u64>-1);
  wr(MCAUSE_LAST, cause);
  wr(TRAPS, rd(TRAPS) + 1);
  if (isInt) wr(INTERRUPTS, rd(INTERRUPTS) + 1);
  updateMode();
  gHostTrap = ((rd(HOST_TRAP) >> target) & 1) != 0;
  wr(PC, pc);
  return pc;
}

/** mret: returns the new pc. Caller checks privilege. */
export function doMret(): u64 {
  let ms = rd(MSTATUS);
  const mpp = (ms >> 11) & 3;
  ms = (ms & ~(MS_MIE | MS_MPP)) | ((ms & MS_MPIE) != 0 ? MS_MIE : 0) | MS_MPIE;
  if (mpp != 3) ms &= ~MS_MPRV;
  wr(MSTATUS, ms);
  wr(PRIV, mpp);
  updateMode();
  return rd(MEPC);
}

/** sret: returns the new pc. Caller checks privilege and TSR. */
export function doSret(): u64 {
  let ms = rd(MSTATUS);
  const spp = (ms >> 8) & 1;
  ms = (ms & ~(MS_SIE | MS_SPP | MS_MPRV)) | ((ms & MS_SPIE) != 0 ? MS_SIE : 0) | MS_SPIE;
  wr(MSTATUS, ms);
  wr(PRIV, spp);
  updateMode();
  return rd(SEPC);
}

/**
 * The interrupt to take now, as a cause value (bit 63 set), or 0 when none is
 * both pending and enabled at the current privilege. Priority: MEI, MSI, MTI, SEI, SSI, STI.
 */
export function pendingInterrupt(): u64 {
  const pend = mipRead() & rd(MIE);
  if (pend == 0) return 0;
  const priv = u32(rd(PRIV));
  const ms = rd(MSTATUS);
  const deleg = rd(MIDELEG);
  const mEnabled = priv < 3 || (ms & MS_MIE) != 0;
  const sEnabled = priv < 1 || (priv == 1 && (ms & MS_SIE) != 0);
  let cand: u64 = 0;
  if (mEnabled) cand |= pend & ~deleg;
  if (sEnabled) cand |= pend & deleg;
  if (cand == 0) return 0;
  if (cand & MEIP) return (u64(1) << 63) | 11;
  if (cand & MSIP_B) return (u64(1) << 63) | 3;
  if (cand & MTIP) return (u64(1) << 63) | 7;
  if (cand & SEIP) return (u64(1) << 63) | 9;
  if (cand & SSIP) return (u64(1) << 63) | 1;
  if (cand & STIP) return (u64(1) << 63) | 5;
  return 0;
}

/** Whether any interrupt is pending and locally enabled (wakes wfi, ignoring global enables). */
export function wfiWake(): bool {
  return (mipRead() & rd(MIE)) != 0;
}

/** Reset the active hart's architectural state (M-mode at `pc`). */
export function resetState(hart: u32, pc: u64): void {
  memory.fill(STATE, 0, 0x400);
  wr(PC, pc);
  wr(PRIV, 3);
  wr(MISA, MISA_VALUE);
  wr(MHARTID, hart);
  wr(MTIMECMP, <u64>-1);
  wr(STIMECMP, <u64>-1);
  wr(RESERVATION, <u64>-1);
}
