// Signal frames: running a user handler and coming back from it.
//
// To run a handler the kernel pushes a struct rt_sigframe on the user stack
// (or on the alternate signal stack), exactly as riscv64 Linux lays it out:
//   +0     siginfo_t (128 bytes)
//   +128   ucontext: uc_flags, uc_link, uc_stack (24), uc_sigmask (8, padded
//          to 128), then at +176 mcontext: sc_regs = pc, x1..x31 (256), and
//          the FP state (__riscv_d_ext_state f[32] + fcsr, in a 528-byte union)
// and enters the handler with a0 = signo, a1 = &siginfo, a2 = &ucontext,
// sp = the frame, ra = the sigreturn trampoline. riscv glibc passes no
// SA_RESTORER, so the trampoline (`li a7, 139; ecall`) lives in a page the
// kernel maps into every address space ("[vdso]"). rt_sigreturn reads the
// frame back, checks it, and restores registers, mask and alternate stack.
//
// Concepts: C44 (handlers run in user mode on a frame the kernel builds;
// the saved context is how the interrupted code resumes).
import * as L from "../../hw/core/layout.js";
import type { Kernel } from "../kernel.js";
import type { Task, SigAction } from "../proc/task.js";
import type { SigInfo } from "./signal.js";
import {
  SA_ONSTACK, SA_NODEFER, SA_RESETHAND, SIG_DFL, SIGSEGV, SIGCHLD, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGIO, SI_TIMER, SI_KERNEL, UC_OFF, UC_MCONTEXT, MC_FPREGS, SS_ONSTACK, SS_DISABLE, SS_AUTODISARM, MINSIGSTKSZ, SIGINFO, UCONTEXT, sigBit, UNBLOCKABLE,
  SIGCONTEXT, D_EXT_STATE, USER_REGS, FP_REGS, RT_SIGFRAME_SIZE,
} from "../abi/signal.js";
import { copyin, copyout } from "../mm/uaccess.js";
import { type MM, type MmContext, mapRegion } from "../mm/mm.js";
import { PROT_READ, PROT_EXEC, MAP_PRIVATE, MAP_FIXED } from "../abi/mman.js";
import { PAGE_SIZE } from "../mm/phys.js";
import { type VmaBacking, vdsoFrame } from "../mm/backing.js";
import { REG_SP, REG_A0, getReg, setReg, setPc } from "../arch/regs.js";
import { EINVAL, ENOMEM, EPERM } from "../abi/errno.js";
import { pack, unpack, unpackBig } from "../abi/layout.js";
import { getU32, putU64, copyWords } from "../abi/le.js";

/** Where the sigreturn trampoline page is mapped in every address space (above the stack). */
export const VDSO_BASE = 0x3ffffff000;
export const SIGRETURN_TRAMPOLINE = VDSO_BASE;

/** `li a7, 139 (rt_sigreturn); ecall`. */
const TRAMPOLINE_CODE = [0x08b00893, 0x00000073];

export const FRAME_SIZE = RT_SIGFRAME_SIZE;                           // 1088

/** The trampoline page, shared read-only by every process (one frame per kernel, in the backing tables). */
export function vdsoFile(k: Kernel): VmaBacking {
  if (vdsoFrame(k.pm, k.mmctx.vm.backings, TRAMPOLINE_CODE) === 0) throw new Error("no memory for the vdso page");
  return { kind: "vdso", id: 0 };
}

/** Map the trampoline page into `mm` (exec and the first process). Returns 0 or -errno. */
export function mapVdso(ctx: MmContext, mm: MM, vdso: VmaBacking): number {
  const r = mapRegion(ctx, mm, VDSO_BASE, PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, vdso, 0, "[vdso]");
  return r < 0 ? r : 0;
}

/** Whether `sp` is on t's alternate signal stack (Linux on_sig_stack). */
export function onSigStack(t: Task, sp: number): boolean {
  const a = t.altStack;
  if (a.flags & SS_AUTODISARM) return false;
  return a.size !== 0 && sp > a.sp && sp - a.sp <= a.size;
}

/** The flags sigaltstack reports (SS_DISABLE, SS_ONSTACK, plus SS_AUTODISARM as set). */
export function altStackFlags(t: Task, sp: number): number {
  const a = t.altStack;
  const base = a.size === 0 ? SS_DISABLE : onSigStack(t, sp) ? SS_ONSTACK : 0;
  return (base | (a.flags & SS_AUTODISARM)) >>> 0;
}

/**
 * Change the alternate signal stack (sigaltstack and rt_sigreturn).
 * `ss` is null for "no change". Returns 0 or -errno.
 */
export function setAltStack(t: Task, sp: number, ss: { sp: number; flags: number; size: number } | null): number {
  if (!ss) return 0;
  if (onSigStack(t, sp)) return -EPERM;
  const mode = (ss.flags & ~SS_AUTODISARM) >>> 0;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -EINVAL;
  if (mode === SS_DISABLE) {
    t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    return 0;
  }
  if (ss.size < MINSIGSTKSZ) return -ENOMEM;
  t.altStack = { sp: ss.sp, size: ss.size, flags: (ss.flags & SS_AUTODISARM) >>> 0 };
  return 0;
}

/** Write a siginfo_t for `info` into `b` at `off` (the union member depends on signal and si_code). */
export function writeSiginfo(b: Uint8Array, off: number, info: SigInfo): void {
  b.fill(0, off, off + SIGINFO.size);
  pack(SIGINFO, { si_signo: info.signo, si_errno: info.errno ?? 0, si_code: info.code }, b, off);
  if (info.code <= 0 || info.code === SI_KERNEL) {
    // Sent by a process (kill, sigqueue, tgkill) or by a timer.
    if (info.code === SI_TIMER) pack(SIGINFO, { si_timerid: info.tid ?? 0, si_overrun: info.overrun ?? 0 }, b, off);
    else pack(SIGINFO, { si_pid: info.pid, si_uid: info.uid }, b, off);
    if (info.value !== undefined) pack(SIGINFO, { si_value: info.value }, b, off);
    return;
  }
  switch (info.signo) {
    case SIGCHLD:
      pack(SIGINFO, { si_pid: info.pid, si_uid: info.uid, si_status: info.status, si_utime: info.utime ?? 0, si_stime: info.stime ?? 0 }, b, off);
      return;
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
      pack(SIGINFO, { si_addr: info.addr }, b, off);
      return;
    case SIGIO:
      pack(SIGINFO, { si_band: info.band ?? 0, si_fd: info.fd ?? 0 }, b, off);
      return;
    default:
      pack(SIGINFO, { si_pid: info.pid, si_uid: info.uid }, b, off);
      if (info.value !== undefined) pack(SIGINFO, { si_value: info.value }, b, off);
  }
}

/** Read a siginfo_t from user memory (rt_sigqueueinfo): the fields a sender may set. */
export function readSiginfo(b: Uint8Array): SigInfo {
  const s = unpack(SIGINFO, b);
  return {
    signo: s.si_signo, errno: s.si_errno, code: s.si_code,
    pid: s.si_pid, uid: s.si_uid, status: 0, addr: 0,
    value: s.si_value,
  };
}

/**
 * Push a signal frame for `sig` and point the task at its handler. The
 * task's registers are live in k.regs. Returns false when the frame could
 * not be written: the caller (signal delivery) then forces SIGSEGV, as Linux
 * does.
 */
export function setupFrame(k: Kernel, t: Task, sig: number, act: SigAction, info: SigInfo): boolean {
  const r = k.regs;
  const userSp = getReg(r, REG_SP);
  // Choose the stack: the alternate one if the handler asks for it and we are not on it already.
  let sp = userSp;
  if (onSigStack(t, sp) && !onSigStack(t, sp - FRAME_SIZE)) return failFrame(t, sig);
  if ((act.flags & SA_ONSTACK) && t.altStack.size !== 0 && !onSigStack(t, sp)) sp = t.altStack.sp + t.altStack.size;
  const frame = Math.floor((sp - FRAME_SIZE) / 16) * 16;
  if (!t.mm || frame <= 0) return failFrame(t, sig);

  const b = new Uint8Array(FRAME_SIZE);
  writeSiginfo(b, 0, info);
  // uc_flags = 0, uc_link = 0; uc_stack records the alternate stack as it was.
  pack(UCONTEXT, {
    uc_stack_sp: t.altStack.sp, uc_stack_flags: t.altStack.flags, uc_stack_size: t.altStack.size,
    uc_sigmask: t.savedSigmask ?? t.sigmask,
  }, b, UC_OFF);
  saveRegs(r.b, b, UC_OFF + UC_MCONTEXT);
  if (copyout(k.mmctx, t.mm, frame, b) < 0) return failFrame(t, sig);

  // SS_AUTODISARM: the handler runs with the alternate stack switched off.
  if (t.altStack.flags & SS_AUTODISARM) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
  // The mask while the handler runs; SA_RESETHAND makes the handler one-shot.
  t.savedSigmask = null;
  t.sigmask = (t.sigmask | act.mask | (act.flags & SA_NODEFER ? 0n : sigBit(sig))) & ~UNBLOCKABLE;
  const handler = act.handler;
  if (act.flags & SA_RESETHAND) act.handler = SIG_DFL;

  setReg(r, 1, SIGRETURN_TRAMPOLINE);   // ra
  setReg(r, REG_SP, frame);
  setReg(r, REG_A0, sig);
  setReg(r, REG_A0 + 1, frame);
  setReg(r, REG_A0 + 2, frame + UC_OFF);
  setPc(r, handler);
  return true;
}

// The register files move between the hart state block (hw/core/layout.ts:
// x0..x31 at X, f0..f31 at F, pc, fcsr) and the sigcontext (SIGCONTEXT's
// sc_regs, D_EXT_STATE at MC_FPREGS) word by word, bit for bit: registers
// hold any 64-bit pattern (NaN-boxed floats, sign-extended values), which a
// number could not carry and a BigInt per register need not.

/** Write the interrupted context (pc, x1..x31, f0..f31, fcsr) as a struct sigcontext into `b` at `sc`. */
function saveRegs(regs: Uint8Array, b: Uint8Array, sc: number): void {
  copyWords(b, sc + SIGCONTEXT.fields.pc[0], regs, L.PC, 1);
  for (let i = 1; i < 32; i++) copyWords(b, sc + SIGCONTEXT.fields[USER_REGS[i]][0], regs, L.X + i * 8, 1);
  const fp = sc + MC_FPREGS;
  for (let i = 0; i < 32; i++) copyWords(b, fp + D_EXT_STATE.fields[FP_REGS[i]][0], regs, L.F + i * 8, 1);
  // fcsr: fflags and frm (bits 0-7); the hart keeps nothing else there.
  pack(D_EXT_STATE, { fcsr: getU32(regs, L.FCSR) & 0xff }, b, fp);
}

/** The inverse of saveRegs: load pc, x1..x31, f0..f31 and fcsr from the sigcontext in `b` at `sc`. */
function loadRegs(regs: Uint8Array, b: Uint8Array, sc: number): void {
  copyWords(regs, L.PC, b, sc + SIGCONTEXT.fields.pc[0], 1);
  for (let i = 1; i < 32; i++) copyWords(regs, L.X + i * 8, b, sc + SIGCONTEXT.fields[USER_REGS[i]][0], 1);
  const fp = sc + MC_FPREGS;
  for (let i = 0; i < 32; i++) copyWords(regs, L.F + i * 8, b, fp + D_EXT_STATE.fields[FP_REGS[i]][0], 1);
  putU64(regs, L.FCSR, getU32(b, fp + D_EXT_STATE.fields.fcsr[0]) & 0xff);
}

/** The frame could not be built: SIGSEGV's own handler falls back to the default action (the caller forces SIGSEGV). */
function failFrame(t: Task, sig: number): boolean {
  if (sig === SIGSEGV) t.tg.sighand.actions[SIGSEGV].handler = SIG_DFL;
  return false;
}

/**
 * rt_sigreturn: restore the context saved in the frame at sp. Returns false
 * for a frame that cannot be read or is malformed (the caller forces SIGSEGV).
 */
export function restoreFrame(k: Kernel, t: Task): boolean {
  const r = k.regs;
  const frame = getReg(r, REG_SP);
  t.sysNr = -1;
  const b = new Uint8Array(FRAME_SIZE);
  if (!t.mm || copyin(k.mmctx, t.mm, frame, b) < 0) return false;
  const uc = unpack(UCONTEXT, b, UC_OFF);
  const sc = unpack(SIGCONTEXT, b, UC_OFF + UC_MCONTEXT);
  // Extension space after the D state must be zero (no other extension is supported).
  if (sc.q_reserved0 !== 0 || sc.q_reserved1 !== 0 || sc.q_reserved2 !== 0) return false;
  t.sigmask = unpackBig(UCONTEXT, b, "uc_sigmask", UC_OFF) & ~UNBLOCKABLE;
  t.savedSigmask = null;
  loadRegs(r.b, b, UC_OFF + UC_MCONTEXT);
  // The alternate stack as it was when the signal came (only changes if we are no longer on it).
  const ss = { sp: uc.uc_stack_sp, flags: uc.uc_stack_flags >>> 0, size: uc.uc_stack_size };
  setAltStack(t, getReg(r, REG_SP), ss);
  t.restart = null;
  t.io = null;
  t.interrupted = false;
  return true;
}
