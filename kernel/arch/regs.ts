// Access to the running hart's user registers from the kernel: the hart
// state block in the machine's memory (hw/core/layout.ts) seen through typed
// arrays. Syscall arguments come from a0-a5, the number from a7, the result
// goes to a0 (RISC-V Linux calling convention). 64-bit values are read as two
// 32-bit halves so that the hot path (getpid and friends) needs no BigInt.
//
// Concepts: C04 (arguments in registers), C21/C23 (saved PC/SP in the PCB).
import * as L from "../../hw/core/layout.js";

export interface Regs {
  /** The hart state block as 32-bit words (index = byte offset / 4). */
  readonly w: Uint32Array;
  readonly i: Int32Array;
  /** The same block as bytes (for saving/restoring a task's context). */
  readonly b: Uint8Array;
  /**
   * Its first REGS_CTX_BYTES bytes: a task's saved user context (proc/task.ts
   * CTX_BYTES), a view made once so that a context switch copies without
   * making a subarray.
   */
  readonly ctx: Uint8Array;
}

/** Bytes of the user context at the start of the state block (x0-x31, f0-f31, pc, priv, fcsr: proc/task.ts CTX_BYTES). */
export const REGS_CTX_BYTES = 536;

export function createRegs(memory: WebAssembly.Memory): Regs {
  return {
    w: new Uint32Array(memory.buffer, L.STATE, L.STATE_SIZE / 4),
    i: new Int32Array(memory.buffer, L.STATE, L.STATE_SIZE / 4),
    b: new Uint8Array(memory.buffer, L.STATE, L.STATE_SIZE),
    ctx: new Uint8Array(memory.buffer, L.STATE, REGS_CTX_BYTES),
  };
}

export const REG_SP = 2;
export const REG_TP = 4;
export const REG_A0 = 10;
export const REG_A7 = 17;

/** x[n] as an unsigned number (exact below 2^53; user addresses and sizes fit). */
export function getReg(r: Regs, n: number): number {
  return r.w[n * 2] + r.w[n * 2 + 1] * 4294967296;
}

/** x[n] as a signed 32-bit int (file descriptors, flags, pids). */
export function getRegInt(r: Regs, n: number): number {
  return r.i[n * 2];
}

/** x[n] as a signed 64-bit number (offsets; exact within ±2^53). */
export function getRegSigned(r: Regs, n: number): number {
  return r.i[n * 2 + 1] * 4294967296 + r.w[n * 2];
}

export function getRegBig(r: Regs, n: number): bigint {
  return (BigInt(r.w[n * 2 + 1]) << 32n) | BigInt(r.w[n * 2]);
}

/** Write x[n] from a number in -2^53..2^64 (negative values are sign-extended). */
export function setReg(r: Regs, n: number, v: number): void {
  if (n === 0) return;
  if (v >= 0 && v < 4294967296) {
    r.w[n * 2] = v;
    r.w[n * 2 + 1] = 0;
  } else if (v < 0 && v >= -2147483648) {
    r.i[n * 2] = v;
    r.i[n * 2 + 1] = -1;
  } else {
    const big = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    r.w[n * 2] = Number(big & 0xffffffffn);
    r.w[n * 2 + 1] = Number(big >> 32n);
  }
}

export function setRegBig(r: Regs, n: number, v: bigint): void {
  if (n === 0) return;
  const u = BigInt.asUintN(64, v);
  r.w[n * 2] = Number(u & 0xffffffffn);
  r.w[n * 2 + 1] = Number(u >> 32n);
}

export function getPc(r: Regs): number {
  return r.w[L.PC / 4] + r.w[L.PC / 4 + 1] * 4294967296;
}

export function setPc(r: Regs, pc: number): void {
  r.w[L.PC / 4] = pc % 4294967296;
  r.w[L.PC / 4 + 1] = Math.floor(pc / 4294967296);
}

/** A CSR-valued field of the state block (scause, stval, sepc ...) as a number. */
export function getField(r: Regs, off: number): number {
  return r.w[off / 4] + r.w[off / 4 + 1] * 4294967296;
}

export function getFieldBig(r: Regs, off: number): bigint {
  return (BigInt(r.w[off / 4 + 1]) << 32n) | BigInt(r.w[off / 4]);
}

export function setField(r: Regs, off: number, v: number): void {
  r.w[off / 4] = v % 4294967296;
  r.w[off / 4 + 1] = Math.floor(v / 4294967296);
}
