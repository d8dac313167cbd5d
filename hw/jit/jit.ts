// The second execution tier's manager: turns hot guest pages into wasm
// functions (translate.ts), places them in the core's function table and in
// the entry table the interpreter looks up (hw/core/jit.ts), drops them when
// the guest writes their page or everything is invalidated, and keeps the
// counters shown by --stats.
//
// Regions are keyed by (virtual page, host page, entry offset): an entry is
// only taken when the interpreter's current fetch translation gives the same
// host address, so a region always stands for the bytes the interpreter would
// fetch. The code cache is bounded by a region count and a byte count; when it
// is full everything is dropped (a new generation), the simplest exact eviction.
//
// A full invalidation (a new generation: fence.i, the host's whole-TLB
// flushes and satp changes, which the kernel does at every context switch
// and exec) empties the entry table but keeps the compiled regions with a
// copy of the instruction bytes each was made from. When an entry becomes hot
// again, a region whose bytes are unchanged is registered again instead of
// being translated and compiled anew (bytes equal means the same code: a
// region depends only on its virtual page and the bytes of the instructions
// it translated). Without this, every context switch threw away all
// translated code of every process. A pc that had a region before the flush
// is asked for at its first arrival (hw/core/jit.ts), not after it is hot again.
//
// What gets translated (issue 12: the JIT must not slow short programs): no
// lookups and no translation during a global warm-up; then a pc is hot when
// it gets `hot` looked-up arrivals within one hotness epoch (a rate), the
// interpreter looks only now and then while it finds nothing (`sample`), and
// a translation budget (`translateCost` retired instructions per translation,
// a few saved up) bounds the share of time translation can take. The policy
// only decides when code runs translated, never what the guest sees: both
// tiers are exact.
//
// Concepts: C15 (memory hierarchy: translated code as a cache in front of RAM,
// kept coherent with the guest's stores), C52 (flushes of the TLB drop it).
import * as L from "../core/layout.js";
import { translatePage } from "./translate.js";

export interface JitOptions {
  /**
   * Looked-up taken-branch arrivals at a pc (within one hotness epoch) before
   * a region is translated for it (default DEFAULT_HOT). A caller that sets
   * it (the tests) gets the plain policy unless it asks for more: every
   * arrival looked up, hotness that never ages, no budget, no warm-up.
   */
  hot?: number;
  /**
   * Instructions the machine retires before the JIT looks for or translates
   * any region (the global warm-up: short programs such as `echo hello` and
   * busybox start-up then pay nothing for the tier). Default DEFAULT_WARMUP,
   * or 0 when `hot` is given.
   */
  warmup?: number;
  /** Instructions per hotness epoch: only arrivals within one count (0: hotness never ages). */
  hotEpoch?: number;
  /** Looked-up arrivals at a pc over all epochs that make it hot too (0: only `hot` within an epoch does; at most 65535). */
  hotTotal?: number;
  /** Instructions the interpreter runs before it looks again after a taken branch found no region (0: look at every one). */
  sample?: number;
  /** Retired instructions that must pay for each translation (the translation budget; 0: none). */
  translateCost?: number;
  /** Translations the budget may save up (the machine starts with them). */
  savedTranslations?: number;
  /** How many retired instructions each one retired in translated code pays off the budget (1: no more than an interpreted one). */
  translatedPay?: number;
  /** Most regions kept at once; when full, all are dropped (default 2048). */
  maxRegions?: number;
  /** Most bytes of generated wasm kept at once; when full, all regions are dropped (default 16 MiB). */
  maxCodeBytes?: number;
}

export interface JitStats {
  enabled: boolean;
  /** Regions translated (a page translated again for a new entry counts again). */
  regionsTranslated: number;
  /** Regions alive now. */
  regionsLive: number;
  /** Milliseconds spent translating and compiling. */
  translateMs: number;
  /** Bytes of wasm generated. */
  codeBytes: number;
  /** Guest instructions retired inside translated regions. */
  jitInstructions: number;
  /** Region entries from the interpreter. */
  regionEntries: number;
  /** Region entries made by a region leaving straight into the next one (chaining), without the interpreter. */
  chained: number;
  /** Full invalidations (fence.i, host TLB flushes, a full cache). */
  flushes: number;
  /** Regions dropped because the host flushed the TLB entries of their virtual page. */
  vaFlushDrops: number;
  /** Guest stores that hit a page holding translated code (each drops that page's regions). */
  codePageWrites: number;
  /** Times the code cache was full and emptied. */
  evictions: number;
  /** Regions registered again after a full invalidation, their bytes unchanged (no new translation). */
  reused: number;
  /** Bytes of wasm of the regions alive now. */
  liveCodeBytes: number;
  /** Instructions still to retire before the JIT starts (the global warm-up; 0 once it is over). */
  warmupLeft: number;
  /** Translations refused by the host because the translation budget was spent (hot pcs the core found in debt are not counted). */
  deferred: number;
  /** Instructions still to retire before the next translation (negative: translations saved up). */
  budgetDebt: number;
}

/** What the JIT needs from the core (hw/core/index.ts exports). */
export interface JitCore {
  jitMarkCodePage(page: number): void;
  jitFlushAll(): void;
  /** Executes one F/D computational instruction on the current hart's state (0, or 1 = illegal, nothing changed). */
  fpExec(insn: number): number;
}

export interface Jit {
  /** The core's imports: env.jitCompile and env.jitPageWritten. */
  readonly imports: {
    jitCompile(pcLo: number, pcHi: number, host: number, owed: number): void;
    jitPageWritten(ramOff: number, width: number): void;
    jitFlushVa(vaLo: number, vaHi: number): void;
  };
  attach(core: JitCore): void;
  setEnabled(on: boolean): void;
  /** Set the warm-up still to run (instructions; 0 ends it: translation starts at the hotness threshold). */
  setWarmup(insns: number): void;
  readonly enabled: boolean;
  stats(): JitStats;
}

interface Region {
  key: string;
  vaPage: bigint;
  hostPage: number;
  /** Page offset of the entry it was translated for. */
  root: number;
  blocks: number[];
  /** The first block's dispatch slot (translate.ts). */
  slotBase: number;
  index: number;
  /** (page offset, length) of every translated instruction. */
  covered: number[];
  /** Size of its wasm module. */
  bytes: number;
  /** The bytes of the translated instructions (in `covered` order), to check it is still the same code after a flush. */
  code: Uint8Array;
  /** The generation in which it was last checked and registered. */
  gen: number;
  /**
   * Its entry-table words, SLOT_WORDS per block: the slot's word index, the
   * block's pc (low, high), host address and dispatch slot. Computed once, so
   * that registering it again after every context switch (a new generation)
   * makes no BigInt.
   */
  slots: Uint32Array;
  /** Its virtual page as two 32-bit halves (the fast lookup compares them without BigInt). */
  vaLo: number;
  vaHi: number;
  /** Dropped (a stale `byHost` entry must not be used). */
  dead: boolean;
}

const SLOT_WORDS = 5;

/** The regions made from one host page and which of its bytes they were translated from. */
interface CodePage { regions: Region[]; cover: Uint8Array }

const ENTRY_WORDS = L.JIT_ENTRY_SIZE / 4;

/**
 * The default global warm-up, in retired instructions (under 10 ms of
 * interpretation): `echo hello` (65 K taken branches, about 0.4 M
 * instructions under tsix run, boot included) and `sh -c 'ls /'` translate
 * nothing (each translation plus V8's compilation costs a few ms that such a
 * program never wins back), and during it the interpreter does not even look
 * at the entry table.
 */
export const DEFAULT_WARMUP = 2_000_000;

// The default hotness policy (issue 12). Measured on python3 -c pass (91 M
// instructions, ~1 s on the interpreter): with every pc translated at 256
// taken-branch arrivals, 1,650 regions cost ~5 s of translation, V8
// compilation (its optimizing tier included) and instantiation, and saved
// ~0.3 s, since python's start-up code runs often but each region only runs
// ~50 K instructions. A translation costs ~2-5 ms on the main thread and
// about as much again in V8's optimizing compiler on its own threads (host
// CPU all the same), the time to interpret ~1 M instructions, and pays only in
// code that runs millions. Looking for regions costs too: with a lookup 16
// instructions after each one that found nothing, python3 -c 'print(1)'
// spent ~0.09 s (7 %) only looking, with nothing translated (the entry table
// is 2 MiB: each lookup is about one cache miss); 64 instructions apart,
// ~0.03-0.05 s. So (paired runs, docs/machine.md):

/** Hot: this many looked-up arrivals at a pc within one hotness epoch. */
export const DEFAULT_HOT = 256;
/** Instructions per hotness epoch (hotness is a rate, not a count over the whole run). */
export const DEFAULT_HOT_EPOCH = 1_000_000;
/**
 * ...or this many looked-up arrivals over the whole run: each one that found
 * no region was followed by at least DEFAULT_SAMPLE interpreted instructions,
 * so by then the interpreter spent about what a translation costs on that pc.
 */
export const DEFAULT_HOT_TOTAL = 16384;
/** After a taken branch found no region, the interpreter runs this many instructions before it looks again. */
export const DEFAULT_SAMPLE = 64;
/** The translation budget: each translation must be paid for by this many retired instructions... */
export const DEFAULT_TRANSLATE_COST = 16_000_000;
/** ...of which this many translations' worth may be saved up (and are at the start)... */
export const DEFAULT_SAVED_TRANSLATIONS = 2;
/**
 * ...and an instruction retired in translated code pays this many: a program
 * that already runs mostly translated (a long loop) gets its next regions 4x
 * sooner than one that mostly interprets (a start-up).
 */
export const DEFAULT_TRANSLATED_PAY = 4;

export function createJit(memory: WebAssembly.Memory, table: WebAssembly.Table, ramBytes: number, opts: JitOptions = {}): Jit {
  const words = new Uint32Array(memory.buffer, L.JIT_ENTRIES, (L.JIT_ENTRY_COUNT * L.JIT_ENTRY_SIZE) / 4);
  const machineWords = new Uint32Array(memory.buffer, L.MACHINE, 48);
  const machine64 = new BigUint64Array(memory.buffer, L.MACHINE, 16);
  const codePages = new Uint8Array(memory.buffer, L.JIT_CODE_PAGES, ramBytes / 4096);
  const rvc = new Uint32Array(memory.buffer, L.RVC_TABLE, 65536);
  const memPages = memory.buffer.byteLength / 65536;
  const maxRegions = opts.maxRegions ?? 2048;
  const maxCodeBytes = opts.maxCodeBytes ?? 16 << 20;
  let liveBytes = 0;
  // A caller that sets `hot` (the tests) gets the plain policy: every
  // arrival counts, hotness never ages, no budget, no warm-up, unless it asks.
  const plain = opts.hot !== undefined;
  const num = (v: number | undefined, dflt: number, plainDflt: number): number => Math.max(0, Math.floor(v ?? (plain ? plainDflt : dflt)));
  machineWords[L.M_JIT_SAMPLE / 4] = Math.min(num(opts.sample, DEFAULT_SAMPLE, 0), 1 << 20);
  machineWords[L.M_JIT_HOT / 4] = Math.max(1, Math.min(num(opts.hot, DEFAULT_HOT, DEFAULT_HOT), 0xffffffff));
  const epochLen = Math.min(num(opts.hotEpoch, DEFAULT_HOT_EPOCH, 0), 0xffffffff);
  machineWords[L.M_JIT_EPOCH_LEN / 4] = epochLen;
  machineWords[L.M_JIT_HOT_TOTAL / 4] = Math.min(num(opts.hotTotal, DEFAULT_HOT_TOTAL, 0), 0xffff);
  new BigInt64Array(memory.buffer, L.MACHINE + L.M_JIT_EPOCH_LEFT, 1)[0] = BigInt(epochLen);
  const budget = new BigInt64Array(memory.buffer, L.MACHINE + L.M_JIT_DEBT, 2); // [debt, floor]
  const cost = BigInt(num(opts.translateCost, DEFAULT_TRANSLATE_COST, 0));
  budget[1] = -cost * BigInt(num(opts.savedTranslations, DEFAULT_SAVED_TRANSLATIONS, 0));
  budget[0] = budget[1]; // start with the saved-up translations
  machineWords[L.M_JIT_PAY / 4] = Math.max(1, Math.min(num(opts.translatedPay, DEFAULT_TRANSLATED_PAY, 1), 1 << 16));
  new BigUint64Array(memory.buffer, L.MACHINE + L.M_JIT_PAID, 1)[0] = machine64[L.M_JIT_INSNS / 8];
  const warmup = BigInt(Math.max(0, Math.floor(opts.warmup ?? (opts.hot !== undefined ? 0 : DEFAULT_WARMUP))));
  machine64[L.M_JIT_WARM / 8] = warmup;
  let core: JitCore | undefined;
  const regions = new Map<string, Region>();
  /** Every region by the keys of its blocks other than its root (a later block wins). */
  const entries = new Map<string, Region>();
  /** The region last found or made for an entry's host address (jitCompile's fast lookup; checked against pc before use). */
  const byHost = new Map<number, Region>();
  const byHostPage = new Map<number, CodePage>();
  const freeIndices: number[] = [];
  let nextIndex = 1;
  machineWords[L.M_JIT_GEN / 4] = 1; // zeroed entry slots (generation 0) never match
  let seenGen = machineWords[L.M_JIT_GEN / 4];
  const st = { regionsTranslated: 0, translateMs: 0, codeBytes: 0, evictions: 0, vaFlushDrops: 0, reused: 0, deferred: 0 };

  const gen = (): number => machineWords[L.M_JIT_GEN / 4];

  function allocIndex(): number {
    const i = freeIndices.pop();
    if (i !== undefined) return i;
    if (nextIndex >= table.length) table.grow(Math.max(64, table.length));
    return nextIndex++;
  }

  /**
   * A new generation began (the entry table is empty): keep the regions, and
   * every region is checked against its bytes before reuse. The code pages
   * stay marked: a guest store to one still drops the regions it overlaps,
   * and a page that stays marked has no write TLB entry, so registering a
   * region on it again needs no scan of the TLBs (hw/core/jit.ts
   * jitMarkCodePage). Unmarking them here made every context switch (a new
   * generation) cost a scan of every hart's write TLBs per region reused:
   * stress-ng --futex, two processes switching ~100,000 times a second, ran
   * 13 times slower with the JIT on than off.
   */
  function newGeneration(): void {
    seenGen = gen();
  }

  /** Copy of the bytes of the instructions a translation covered. */
  function codeBytes(hostPage: number, covered: number[]): Uint8Array {
    let n = 0;
    for (let i = 1; i < covered.length; i += 2) n += covered[i];
    const out = new Uint8Array(n);
    const page = new Uint8Array(memory.buffer, hostPage, 4096);
    for (let i = 0, o = 0; i < covered.length; i += 2) {
      out.set(page.subarray(covered[i], covered[i] + covered[i + 1]), o);
      o += covered[i + 1];
    }
    return out;
  }

  /** Whether guest RAM still holds the instructions `r` was translated from. */
  function unchanged(r: Region): boolean {
    const page = new Uint8Array(memory.buffer, r.hostPage, 4096);
    for (let i = 0, o = 0; i < r.covered.length; i += 2) {
      const off = r.covered[i], len = r.covered[i + 1];
      for (let j = 0; j < len; j++) if (page[off + j] !== r.code[o + j]) return false;
      o += len;
    }
    return true;
  }

  /** Forget every region (the entry table was already invalidated by a new generation). */
  function dropAll(): void {
    for (const r of regions.values()) { table.set(r.index, null); freeIndices.push(r.index); }
    regions.clear();
    entries.clear();
    byHost.clear();
    byHostPage.clear();
    liveBytes = 0;
    codePages.fill(0);
    seenGen = gen();
  }

  function slotOf(va: bigint): number {
    return Number((va >> 1n) & BigInt(L.JIT_ENTRY_COUNT - 1)) * ENTRY_WORDS;
  }

  function dropRegion(r: Region): void {
    const g = gen();
    for (let i = 0; i < r.slots.length; i += SLOT_WORDS) {
      const w = r.slots[i];
      if (words[w + 3] === r.index && words[w + 6] === g) words[w + 6] = g - 1; // stale: never matches
      if (byHost.get(r.slots[i + 3]) === r) byHost.delete(r.slots[i + 3]);
    }
    table.set(r.index, null);
    freeIndices.push(r.index);
    r.dead = true;
    regions.delete(r.key);
    for (const b of r.blocks) {
      const k = `${r.vaPage}:${r.hostPage}:${b}`;
      if (entries.get(k) === r) entries.delete(k);
    }
    liveBytes -= r.bytes;
    const cp = byHostPage.get(r.hostPage);
    if (cp) {
      const k = cp.regions.indexOf(r);
      if (k >= 0) cp.regions.splice(k, 1);
      if (cp.regions.length === 0) {
        byHostPage.delete(r.hostPage);
        codePages[(r.hostPage - L.RAM_HOST) / 4096] = 0;
      } else {
        cp.cover.fill(0);
        for (const o of cp.regions) cover(cp, o);
      }
    }
  }

  function cover(cp: CodePage, r: Region): void {
    for (let i = 0; i < r.covered.length; i += 2) cp.cover.fill(1, r.covered[i], r.covered[i] + r.covered[i + 1]);
  }

  /** The entry-table words of `blocks` of the region at (vaPage, hostPage) (Region.slots). */
  function slotWords(vaPage: bigint, hostPage: number, blocks: number[], slotBase: number): Uint32Array {
    const out = new Uint32Array(blocks.length * SLOT_WORDS);
    blocks.forEach((s, i) => {
      const va = vaPage + BigInt(s);
      out[i * SLOT_WORDS] = slotOf(va);
      out[i * SLOT_WORDS + 1] = Number(va & 0xffffffffn);
      out[i * SLOT_WORDS + 2] = Number(va >> 32n);
      out[i * SLOT_WORDS + 3] = hostPage + s;
      out[i * SLOT_WORDS + 4] = (s >> 1) - slotBase; // the region's dispatch slot
    });
    return out;
  }

  /**
   * Register `r` again for the current generation if it still stands for the
   * bytes in RAM (it was registered in this generation already, or its
   * instructions are unchanged); false when it must be translated anew.
   */
  function reuse(r: Region): boolean {
    if (r.gen === gen()) { register(r); return true; } // its slot was taken by another pc meanwhile
    if (!unchanged(r)) return false;
    r.gen = gen();
    st.reused++;
    register(r);
    core!.jitMarkCodePage((r.hostPage - L.RAM_HOST) / 4096);
    return true;
  }

  function register(r: Region): void {
    const g = gen();
    const a = r.slots;
    for (let i = 0; i < a.length; i += SLOT_WORDS) {
      const w = a[i];
      words[w] = a[i + 1];
      words[w + 1] = a[i + 2];
      words[w + 2] = a[i + 3];
      words[w + 3] = r.index;
      words[w + 4] = a[i + 4];
      words[w + 5] = 0;
      words[w + 6] = g;
    }
  }

  const jit: Jit = {
    imports: {
      jitCompile(pcLo: number, pcHi: number, host: number, owed: number): void {
        if (gen() !== seenGen) newGeneration();
        // After every context switch (a new generation) the core asks again
        // for each pc that had a region: find it by its host address first,
        // with no BigInt and no string key.
        const fast = byHost.get(host >>> 0);
        if (fast !== undefined && !fast.dead && fast.vaLo === ((pcLo & ~0xfff) >>> 0) && fast.vaHi === pcHi >>> 0 && reuse(fast)) return;
        const va = (BigInt(pcHi >>> 0) << 32n) | BigInt(pcLo >>> 0);
        const off = Number(va & 0xfffn);
        const vaPage = va - BigInt(off);
        const hostPage = (host >>> 0) - off;
        // One region per entry pc (and host page): the code near that entry,
        // bounded in size (translate.ts MAX_REGION_INSNS); regions of one page may overlap.
        const key = `${vaPage}:${hostPage}:${off}`;
        // The region made for this entry, or one in which it starts a block
        // (the core asks again at once for a pc that had a region before a flush).
        const old = regions.get(key) ?? entries.get(key);
        if (old) {
          byHost.set(host >>> 0, old);
          if (reuse(old)) return;
          dropRegion(old); // the page holds other code now: translate again
        }
        // `owed`: the core found the pc hot by its arrivals over all epochs,
        // which the budget does not hold back (hw/core/jit.ts jitTry).
        if (budget[0] > 0n && owed === 0) {
          // The translation budget is spent (the core checks it before asking,
          // except for a pc that had a region before a flush): leave the slot
          // stale, so that the pc counts its hotness again from zero.
          const w = slotOf(va);
          if (words[w] === pcLo >>> 0 && words[w + 1] === pcHi >>> 0) { words[w + 3] = 0; words[w + 6] = gen() - 1; }
          st.deferred++;
          return;
        }
        if (regions.size >= maxRegions || liveBytes >= maxCodeBytes) {
          st.evictions++;
          core!.jitFlushAll();
          dropAll();
        }
        const t0 = performance.now();
        const bytes = new Uint8Array(memory.buffer, hostPage, 4096);
        const tr = translatePage({ vaPage, bytes, rvc }, [off], memPages);
        if (!tr) { st.translateMs += performance.now() - t0; return; }
        const inst = new WebAssembly.Instance(new WebAssembly.Module(tr.wasm as Uint8Array<ArrayBuffer>), { env: { memory, table, fp: core!.fpExec } });
        const fn = inst.exports.r as (...args: unknown[]) => unknown;
        st.translateMs += performance.now() - t0;
        st.regionsTranslated++;
        budget[0] += cost;
        st.codeBytes += tr.wasm.length;
        const index = allocIndex();
        table.set(index, fn);
        const r: Region = {
          key, vaPage, hostPage, root: off, blocks: tr.blocks, slotBase: tr.slotBase, index, covered: tr.covered,
          bytes: tr.wasm.length, code: codeBytes(hostPage, tr.covered), gen: gen(),
          slots: slotWords(vaPage, hostPage, tr.blocks, tr.slotBase),
          vaLo: Number(vaPage & 0xffffffffn), vaHi: Number(vaPage >> 32n), dead: false,
        };
        byHost.set(host >>> 0, r);
        liveBytes += r.bytes;
        regions.set(key, r);
        for (const b of r.blocks) if (b !== off) entries.set(`${vaPage}:${hostPage}:${b}`, r);
        let cp = byHostPage.get(hostPage);
        if (!cp) { cp = { regions: [], cover: new Uint8Array(4096) }; byHostPage.set(hostPage, cp); }
        cp.regions.push(r);
        cover(cp, r);
        register(r);
        core!.jitMarkCodePage((hostPage - L.RAM_HOST) / 4096);
      },
      jitFlushVa(vaLo: number, vaHi: number): void {
        if (gen() !== seenGen) newGeneration();
        if (regions.size === 0) return;
        const vaPage = ((BigInt(vaHi >>> 0) << 32n) | BigInt(vaLo >>> 0)) & ~0xfffn;
        for (const r of [...regions.values()]) {
          if (r.vaPage === vaPage) { dropRegion(r); st.vaFlushDrops++; }
        }
      },
      jitPageWritten(ramOff: number, width: number): void {
        if (gen() !== seenGen) newGeneration();
        const off = ramOff % 4096;
        const hostPage = L.RAM_HOST + (ramOff - off);
        const cp = byHostPage.get(hostPage);
        if (!cp) { codePages[(ramOff - off) / 4096] = 0; return; }
        let hit = false;
        for (let i = off; i < off + width && i < 4096; i++) if (cp.cover[i]) hit = true;
        if (!hit) return; // data next to code: the page stays marked, its regions stay valid
        for (const r of [...cp.regions]) {
          for (let i = 0; i < r.covered.length; i += 2) {
            if (r.covered[i] < off + width && off < r.covered[i] + r.covered[i + 1]) { dropRegion(r); break; }
          }
        }
      },
    },
    attach(c: JitCore): void { core = c; },
    get enabled(): boolean { return machineWords[L.M_JIT_ON / 4] !== 0; },
    setWarmup(insns: number): void { machine64[L.M_JIT_WARM / 8] = BigInt(Math.max(0, Math.floor(insns))); },
    setEnabled(on: boolean): void {
      if (!on && jit.enabled) { core!.jitFlushAll(); dropAll(); }
      machineWords[L.M_JIT_ON / 4] = on ? 1 : 0;
    },
    stats(): JitStats {
      return {
        enabled: jit.enabled,
        regionsTranslated: st.regionsTranslated,
        regionsLive: regions.size,
        translateMs: st.translateMs,
        codeBytes: st.codeBytes,
        jitInstructions: Number(machine64[L.M_JIT_INSNS / 8]),
        regionEntries: Number(machine64[L.M_JIT_CALLS / 8]),
        chained: Number(machine64[L.M_JIT_CHAINS / 8]),
        flushes: Number(machine64[L.M_JIT_FLUSHES / 8]),
        vaFlushDrops: st.vaFlushDrops,
        codePageWrites: Number(machine64[L.M_JIT_PAGE_WRITES / 8]),
        evictions: st.evictions,
        reused: st.reused,
        liveCodeBytes: liveBytes,
        warmupLeft: Number(machine64[L.M_JIT_WARM / 8]),
        deferred: st.deferred,
        budgetDebt: Number(budget[0]),
      };
    },
  };
  return jit;
}

/** The JIT's counters as `key=value` words for a --stats line; `instructions` is the total retired. */
export function jitStatsText(s: JitStats, instructions: number): string {
  return `jit_regions=${s.regionsTranslated} jit_live=${s.regionsLive} jit_translate_ms=${s.translateMs.toFixed(1)} ` +
    `jit_code_bytes=${s.codeBytes} jit_insns=${s.jitInstructions} interp_insns=${instructions - s.jitInstructions} ` +
    `jit_entries=${s.regionEntries} jit_chained=${s.chained} jit_flushes=${s.flushes} jit_va_drops=${s.vaFlushDrops} jit_code_writes=${s.codePageWrites} jit_evictions=${s.evictions} jit_reused=${s.reused} jit_warmup_left=${s.warmupLeft} jit_budget_debt=${s.budgetDebt}`;
}
