// The platform-level interrupt controller (PLIC) of the QEMU `virt` machine,
// at 0x0c000000. Devices drive their interrupt lines through setLevel(); the
// PLIC latches them as pending, arbitrates by priority for every context (a
// hart in M or S mode), and drives MEIP/SEIP of each hart. A driver claims the
// best interrupt by reading claim/complete and signals the end of its handler
// by writing the ID back; counters of claims per source feed /proc/interrupts.
//
// Register map (RISC-V PLIC spec 1.0.0), offsets from the base:
//   0x000000 + 4*src        priority of source src (0 = never interrupts; 3 bits, 0..7)
//   0x001000 + 4*word       pending bits, 32 sources per word (read-only)
//   0x002000 + 0x80*ctx     enable bits of context ctx, 32 sources per word
//   0x200000 + 0x1000*ctx   priority threshold of context ctx
//   0x200004 + 0x1000*ctx   claim (read) / complete (write) of context ctx
// Context 2h is hart h in M mode (drives mip.MEIP, bit 11); context 2h+1 is
// hart h in S mode (drives mip.SEIP, bit 9), as on QEMU virt.
//
// Gateways are level-triggered, following QEMU: a source is pending while its
// line is high and it is not claimed. A source whose line drops before it is
// claimed stops being pending (so a claim may return 0, which drivers expect).
// A claimed source is not pending again until the driver completes it; if its
// line is still high at completion it becomes pending at once.
// Claim ignores the threshold (spec, "Interrupt Claim Process") but never
// returns a source of priority 0; ties go to the lowest source ID.
//
// Concepts: C11 (interrupt controller with priorities, pending interrupts,
// claim/complete; /proc/interrupts counts).

import type { InterruptTarget, IrqLine, MmioDevice } from './device.js';
import { PLIC_BASE, PLIC_SIZE } from '../core/layout.js';

/** Source IDs 0..95 (0 is reserved), so riscv,ndev = 95 as on QEMU virt. */
export const PLIC_SOURCES = 96;
/** Largest priority/threshold value (3 priority bits, as on QEMU virt). */
export const PLIC_MAX_PRIORITY = 7;
export const MIP_MEIP = 11;
export const MIP_SEIP = 9;

const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x200000;
const CONTEXT_STRIDE = 0x1000;

/** Everything the PLIC remembers: plain typed arrays, so it can be snapshotted. */
export interface PlicState {
  readonly sources: number;        // number of source IDs including the reserved 0
  readonly contexts: number;       // 2 per hart
  readonly words: number;          // 32-bit words per bit vector
  readonly priority: Uint32Array;  // [source]
  readonly level: Uint8Array;      // [source] current line level
  readonly pending: Uint32Array;   // [word] pending bits
  readonly claimed: Uint32Array;   // [word] claimed, waiting for completion
  readonly enable: Uint32Array;    // [ctx * words + word]
  readonly threshold: Uint32Array; // [ctx]
  readonly output: Uint8Array;     // [ctx] last level sent to the hart
  readonly claims: Float64Array;   // [source] how many times each source was claimed
}

/** A copy of the PLIC's state for a machine snapshot (hw/snapshot.ts): plain typed arrays. */
export interface PlicSaved {
  sources: number;
  contexts: number;
  priority: Uint32Array;
  level: Uint8Array;
  pending: Uint32Array;
  claimed: Uint32Array;
  enable: Uint32Array;
  threshold: Uint32Array;
  output: Uint8Array;
  claims: Float64Array;
}

export interface PlicOptions {
  harts: number;
  target: InterruptTarget;
  /** Number of source IDs including 0 (default 96). At most 1024. */
  sources?: number;
  base?: number;
}

export interface Plic extends MmioDevice, IrqLine {
  readonly state: PlicState;
  /** Times source `source` was claimed (for /proc/interrupts). */
  claimCount(source: number): number;
  /** The level currently driven into context ctx (2h = M, 2h+1 = S of hart h). */
  contextOutput(ctx: number): boolean;
  /** Back to power-on state (line levels are kept: they belong to the devices). */
  reset(): void;
  /** A copy of the whole state (snapshot). */
  save(): PlicSaved;
  /**
   * Take the state of a saved PLIC of the same shape (throws RangeError
   * otherwise, before changing anything). Tells no hart: the harts' mip bits
   * come from the same snapshot, and `output` records what they were told.
   */
  load(saved: PlicSaved): void;
}

export function createPlicState(harts: number, sources = PLIC_SOURCES): PlicState {
  if (!(sources >= 2 && sources <= 1024)) throw new RangeError(`plic: bad source count ${sources}`);
  if (!(harts >= 1)) throw new RangeError(`plic: bad hart count ${harts}`);
  const words = (sources + 31) >>> 5;
  const contexts = 2 * harts;
  return {
    sources,
    contexts,
    words,
    priority: new Uint32Array(sources),
    level: new Uint8Array(sources),
    pending: new Uint32Array(words),
    claimed: new Uint32Array(words),
    enable: new Uint32Array(contexts * words),
    threshold: new Uint32Array(contexts),
    output: new Uint8Array(contexts),
    claims: new Float64Array(sources),
  };
}

/** Bits of word w that name real sources (source 0 and IDs past the end are hardwired 0). */
function validMask(s: PlicState, w: number): number {
  let mask = 0xffffffff;
  if (w === 0) mask &= ~1;
  const last = s.sources - 32 * w; // sources in this word
  if (last < 32) mask &= (1 << last) - 1;
  return mask >>> 0;
}

/** Would context ctx interrupt now: some pending, enabled source above its threshold? */
function contextLevel(s: PlicState, ctx: number): boolean {
  const th = s.threshold[ctx];
  const eb = ctx * s.words;
  for (let w = 0; w < s.words; w++) {
    let bits = (s.pending[w] & s.enable[eb + w]) >>> 0;
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits);
      bits = (bits & ~(1 << b)) >>> 0;
      if (s.priority[32 * w + b] > th) return true;
    }
  }
  return false;
}

/** Highest-priority pending and enabled source of ctx (ties: lowest ID), or 0. */
function bestSource(s: PlicState, ctx: number): number {
  let best = 0;
  let bestPrio = 0; // priority 0 never wins
  const eb = ctx * s.words;
  for (let w = 0; w < s.words; w++) {
    let bits = (s.pending[w] & s.enable[eb + w]) >>> 0;
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits); // lowest set bit first, so ties keep the lower ID
      bits = (bits & ~(1 << b)) >>> 0;
      const src = 32 * w + b;
      if (s.priority[src] > bestPrio) {
        bestPrio = s.priority[src];
        best = src;
      }
    }
  }
  return best;
}

export function createPlic(opts: PlicOptions): Plic {
  const s = createPlicState(opts.harts, opts.sources ?? PLIC_SOURCES);
  const target = opts.target;

  /** Recompute every context's output and tell the harts about edges only. */
  function update(): void {
    for (let ctx = 0; ctx < s.contexts; ctx++) {
      const lvl = contextLevel(s, ctx) ? 1 : 0;
      if (lvl !== s.output[ctx]) {
        s.output[ctx] = lvl;
        target.setPending(ctx >>> 1, (ctx & 1) === 0 ? MIP_MEIP : MIP_SEIP, lvl === 1);
      }
    }
  }

  function setLevel(source: number, level: boolean): void {
    if (!(source > 0 && source < s.sources)) return;
    const v = level ? 1 : 0;
    if (s.level[source] === v) return; // the common case: nothing changed
    s.level[source] = v;
    const w = source >>> 5;
    const bit = 1 << (source & 31);
    const before = s.pending[w];
    if (level && (s.claimed[w] & bit) === 0) s.pending[w] |= bit;
    else if (!level) s.pending[w] &= ~bit;
    if (s.pending[w] !== before) update();
  }

  function claim(ctx: number): number {
    const src = bestSource(s, ctx);
    if (src === 0) return 0;
    const w = src >>> 5;
    const bit = 1 << (src & 31);
    s.pending[w] &= ~bit;
    s.claimed[w] |= bit;
    s.claims[src]++;
    update();
    return src;
  }

  function complete(ctx: number, src: number): void {
    if (!(src > 0 && src < s.sources)) return;
    const w = src >>> 5;
    const bit = 1 << (src & 31);
    // The spec: a completion for a source not enabled for this context is ignored.
    if ((s.enable[ctx * s.words + w] & bit) === 0) return;
    s.claimed[w] &= ~bit;
    if (s.level[src] === 1) s.pending[w] |= bit; // still asserted: the gateway forwards it again
    update();
  }

  function readWord(off: number): number {
    if (off < PENDING_BASE) {
      const src = off >>> 2;
      return src < s.sources ? s.priority[src] : 0;
    }
    if (off < ENABLE_BASE) {
      const w = (off - PENDING_BASE) >>> 2;
      return w < s.words ? s.pending[w] >>> 0 : 0;
    }
    if (off < CONTEXT_BASE) {
      const ctx = Math.floor((off - ENABLE_BASE) / ENABLE_STRIDE);
      const w = ((off - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      return ctx < s.contexts && w < s.words ? s.enable[ctx * s.words + w] >>> 0 : 0;
    }
    const ctx = Math.floor((off - CONTEXT_BASE) / CONTEXT_STRIDE);
    if (ctx >= s.contexts) return 0;
    const reg = (off - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg === 0) return s.threshold[ctx];
    if (reg === 4) return claim(ctx);
    return 0;
  }

  function writeWord(off: number, value: number): void {
    if (off < PENDING_BASE) {
      const src = off >>> 2;
      if (src > 0 && src < s.sources) {
        s.priority[src] = Math.min(value >>> 0, PLIC_MAX_PRIORITY); // WARL: clamp
        update();
      }
      return;
    }
    if (off < ENABLE_BASE) return; // pending bits are read-only
    if (off < CONTEXT_BASE) {
      const ctx = Math.floor((off - ENABLE_BASE) / ENABLE_STRIDE);
      const w = ((off - ENABLE_BASE) % ENABLE_STRIDE) >>> 2;
      if (ctx < s.contexts && w < s.words) {
        s.enable[ctx * s.words + w] = (value & validMask(s, w)) >>> 0;
        update();
      }
      return;
    }
    const ctx = Math.floor((off - CONTEXT_BASE) / CONTEXT_STRIDE);
    if (ctx >= s.contexts) return;
    const reg = (off - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg === 0) {
      s.threshold[ctx] = Math.min(value >>> 0, PLIC_MAX_PRIORITY);
      update();
    } else if (reg === 4) {
      complete(ctx, value >>> 0);
    }
  }

  return {
    name: 'plic',
    base: opts.base ?? PLIC_BASE,
    size: PLIC_SIZE,
    state: s,
    setLevel,
    read(offset: number, width: number): number {
      // Every register is 32 bits wide; narrower reads see part of the word.
      const word = readWord(offset & ~3);
      if (width === 4) return word >>> 0;
      const shifted = word >>> ((offset & 3) * 8);
      return width === 1 ? shifted & 0xff : shifted & 0xffff;
    },
    write(offset: number, width: number, value: number): void {
      // Registers are written whole: narrower writes are ignored (they would
      // otherwise complete or claim with a torn ID).
      if (width !== 4 || (offset & 3) !== 0) return;
      writeWord(offset, value);
    },
    claimCount(source: number): number {
      return source >= 0 && source < s.sources ? s.claims[source] : 0;
    },
    contextOutput(ctx: number): boolean {
      return s.output[ctx] === 1;
    },
    save(): PlicSaved {
      return {
        sources: s.sources, contexts: s.contexts,
        priority: s.priority.slice(), level: s.level.slice(), pending: s.pending.slice(), claimed: s.claimed.slice(),
        enable: s.enable.slice(), threshold: s.threshold.slice(), output: s.output.slice(), claims: s.claims.slice(),
      };
    },
    load(saved: PlicSaved): void {
      if (saved.sources !== s.sources || saved.contexts !== s.contexts) {
        throw new RangeError(`plic: saved with ${saved.sources} sources and ${saved.contexts} contexts, this one has ${s.sources} and ${s.contexts}`);
      }
      const pairs: [ArrayLike<number>, ArrayLike<number>, string][] = [
        [saved.priority, s.priority, 'priority'], [saved.level, s.level, 'level'], [saved.pending, s.pending, 'pending'],
        [saved.claimed, s.claimed, 'claimed'], [saved.enable, s.enable, 'enable'], [saved.threshold, s.threshold, 'threshold'],
        [saved.output, s.output, 'output'], [saved.claims, s.claims, 'claims'],
      ];
      for (const [from, to, name] of pairs) {
        if (from?.length !== to.length) throw new RangeError(`plic: saved ${name} has ${from?.length} entries, expected ${to.length}`);
      }
      s.priority.set(saved.priority); s.level.set(saved.level); s.pending.set(saved.pending); s.claimed.set(saved.claimed);
      s.enable.set(saved.enable); s.threshold.set(saved.threshold); s.output.set(saved.output); s.claims.set(saved.claims);
    },
    reset(): void {
      s.priority.fill(0);
      s.claimed.fill(0);
      s.enable.fill(0);
      s.threshold.fill(0);
      s.pending.fill(0);
      for (let src = 1; src < s.sources; src++) {
        if (s.level[src] === 1) s.pending[src >>> 5] |= 1 << (src & 31);
      }
      update();
    },
  };
}
