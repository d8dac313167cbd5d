// The layout of the machine's WebAssembly.Memory, shared by the wasm core
// (AssemblyScript) and the TypeScript side (devices, kernel, tests).
//
// One linear memory holds everything: the state of the running hart, the
// saved state of the others, the software TLBs, the RVC expansion table and
// guest RAM. TypeScript reads the same bytes through typed-array views, so the
// kernel sees hart registers and RAM without copying (DESIGN.md, "The machine").
//
// This file must stay valid both as AssemblyScript and as TypeScript: plain
// integer constants only (all below 2^31, so both languages read them as i32).
//
// Concepts: C50 (physical memory is one array), C21 (the PCB's saved
// registers mirror this state block).

// ---- Fixed regions (byte offsets into linear memory) -----------------------
/** Static data of the AssemblyScript module lives below this. */
export const STATE = 0x10000;
/** Size of one hart state block. */
export const STATE_SIZE = 0x400;
/** Saved hart states: hart i at HART_SAVE + i * STATE_SIZE. */
export const HART_SAVE = 0x20000;
export const MAX_HARTS = 8;
/** Machine-wide state (mtime and friends). */
export const MACHINE = 0x30000;
/**
 * Software TLBs of all harts: MAX_HARTS * TLB_PER_HART bytes. Each hart has
 * TLB_BANKS banks of translated entries, one per address space (ASID) it
 * ran recently, and one bare set: a satp write selects the bank of its ASID
 * (hw/core/mmu.ts asidSelect), so switching address spaces flushes nothing
 * and an entry of one ASID can never hit under another (the hot paths and
 * the JIT's inline check just use the current bank's tables).
 * A bank holds TLB_BANK_KINDS tables {read, write, fetch} x {S, U}; the bare
 * set {read, write, fetch} follows the last bank (at TLB_BARE).
 */
export const TLB = 0x1000000;
export const TLB_ENTRIES = 4096;           // per TLB, direct mapped by VPN
export const TLB_ENTRY_SIZE = 16;          // tag (vpn, -1 = invalid) : i64, addend : i64
export const TLB_SIZE = 0x10000;           // TLB_ENTRIES * TLB_ENTRY_SIZE
export const TLB_BANK_KINDS = 6;           // {read, write, fetch} x {S, U}
export const TLB_BANK_SIZE = 0x60000;      // TLB_BANK_KINDS * TLB_SIZE
export const TLB_BANKS = 8;                // address spaces cached per hart
export const TLB_BARE = 0x300000;          // TLB_BANKS * TLB_BANK_SIZE: the bare set, 3 tables
export const TLB_KINDS = 51;               // tables per hart: TLB_BANKS * TLB_BANK_KINDS + 3
export const TLB_PER_HART = 0x330000;      // TLB_KINDS * TLB_SIZE
/**
 * One byte per TLB entry of every hart (entry at TLB + 16 i has its byte at
 * TLB_GLOBAL + i): bit 0 set when the entry came from a global (G) PTE, which
 * matches any ASID and survives an ASID-scoped sfence.vma.
 */
export const TLB_GLOBAL = 0x2980000;       // MAX_HARTS * TLB_PER_HART / 16 = 0x198000 bytes
/**
 * Refill logs: why a flush costs what was filled, not the table size. Each
 * set of tables (a bank, or the bare set) of each hart has a log of the
 * entries that became valid since the set was last emptied (mmu.ts logAdd):
 * a u32 state, then TLB_LOG_CAP u16 entry indexes within the set (table kind
 * * TLB_ENTRIES + index). The state is 1 + the number of indexes logged;
 * TLB_LOG_LOST when the log overflowed (the next flush clears the whole set);
 * 0 in fresh memory (the set was never emptied: core init empties every set).
 * Hart h, set s (TLB_BANKS for the bare set) at TLB_LOG + h * TLB_LOG_PER_HART + s * TLB_LOG_SET.
 */
export const TLB_LOG = 0x680000;
export const TLB_LOG_SET = 0x1000;         // 4 + 2 * TLB_LOG_CAP bytes
export const TLB_LOG_CAP = 2046;
export const TLB_LOG_LOST = 0xFFFF;
export const TLB_LOG_PER_HART = 0x9000;    // (TLB_BANKS + 1) * TLB_LOG_SET; MAX_HARTS of them end at 0x6C8000
/** RVC expansion table: u32[65536], 16-bit parcel -> 32-bit instruction (0 = illegal). */
export const RVC_TABLE = 0x200000;
/** Scratch area for host <-> core transfers (4 KiB). */
export const SCRATCH = 0x300000;
/**
 * Second tier (hw/jit): the entry table, JIT_ENTRY_COUNT slots of
 * JIT_ENTRY_SIZE bytes, hashed by guest pc: va : u64, host address of the
 * instruction : u32, table index of the region function : u32 (0 = not yet
 * translated, 0xFFFFFFFF = cannot be translated), dispatch slot (page offset / 2) : u32, hotness in the
 * epoch : u32, generation : u32, epoch of that hotness : u16, arrivals over all epochs : u16 (saturating).
 * A slot counts only while its generation equals M_JIT_GEN.
 */
export const JIT_ENTRIES = 0x400000;
export const JIT_ENTRY_COUNT = 65536;
export const JIT_ENTRY_SIZE = 32;
/** One byte per 4 KiB page of guest RAM (up to 2 GiB): 1 while translated code was made from it. */
export const JIT_CODE_PAGES = 0x600000;
/** Guest RAM starts here in linear memory; guest physical RAM_PA maps to it. */
export const RAM_HOST = 0x3000000;
/** Guest physical address of RAM (QEMU virt). Stored as a u32 constant. */
export const RAM_PA = 0x80000000;

// ---- Hart state block: offsets from STATE (or from a saved block) ---------
export const X = 0;          // x0..x31, i64 each
export const F = 256;        // f0..f31, raw 64-bit patterns (F values NaN-boxed)
export const PC = 512;
export const PRIV = 520;     // 0 = U, 1 = S, 3 = M
export const FCSR = 528;     // bits 0-4 fflags (NX UF OF DZ NV), bits 5-7 frm
export const MSTATUS = 536;
export const MISA = 544;
export const MEDELEG = 552;
export const MIDELEG = 560;
export const MIE = 568;
export const MIP = 576;
export const MTVEC = 584;
export const MSCRATCH = 592;
export const MEPC = 600;
export const MCAUSE = 608;
export const MTVAL = 616;
export const MCOUNTEREN = 624;
export const MENVCFG = 632;
export const STVEC = 640;
export const SSCRATCH = 648;
export const SEPC = 656;
export const SCAUSE = 664;
export const STVAL = 672;
export const SATP = 680;
export const SCOUNTEREN = 688;
export const SENVCFG = 696;
export const STIMECMP = 704;
export const MHARTID = 712;
export const INSTRET = 720;      // retired instructions of this hart (minstret; mcycle reads the same)
export const MTIMECMP = 728;     // CLINT mtimecmp of this hart
export const MSIP = 736;         // CLINT msip of this hart (0/1)
export const RESERVATION = 744;  // LR/SC reserved physical address, -1 = none
export const PMPCFG = 752;       // pmpcfg0, pmpcfg2 (WARL storage only)
export const PMPADDR = 768;      // pmpaddr0..15
export const MCOUNTINHIBIT = 896;
export const TLB_HITS = 904;
export const TLB_MISSES = 912;
export const TLB_FLUSHES = 920;
export const EXIT_REASON = 928;  // why run() returned (see EXIT_*)
export const HOST_TRAP = 936;    // bit m set: traps taken into privilege m exit to the host
export const WFI_STATE = 944;    // 1 while the hart sleeps in wfi
export const MCAUSE_LAST = 952;  // cause of the last trap taken (for the host)
export const TRAPS = 960;        // number of traps taken
export const INTERRUPTS = 968;   // number of interrupts taken
export const MTIME_SLICE = 976;  // scratch: mtime at the start of the current run slice
export const SUPERPAGE_CACHED = 984; // 1 when the TLB holds pieces of a 2 MiB / 1 GiB page
// ASID banks of this hart's TLB (hw/core/mmu.ts): the ASID each bank holds
// (u16 x TLB_BANKS), which banks hold one (u8 mask), the current bank (u8),
// the next bank to evict (u8), and whether any bank holds a global entry (u8).
export const ASID_BANK_IDS = 992;
export const ASID_BANK_VALID = 1008;
export const ASID_BANK_CUR = 1009;
export const ASID_BANK_NEXT = 1010;
export const ASID_GLOBALS = 1011;
export const X_SINK = 1016;      // writes to x0 land here, so x0 itself always reads 0

// ---- Machine-wide state: offsets from MACHINE ------------------------------
export const M_MTIME = 0;        // CLINT mtime (i64), advanced by the host between slices
export const M_RAM_SIZE = 8;     // bytes of guest RAM
export const M_NHARTS = 16;
export const M_INSNS_PER_TICK = 24; // instret-clock mode: instructions per mtime tick (0 = host clock)
export const M_FINISHER = 32;    // last value written to the SiFive test finisher (0 = none)
export const M_ACTIVE_HART = 40;
export const M_TICK_FRAC = 48;   // instret-clock mode: instructions not yet converted into a tick
export const M_JIT_ON = 56;      // 1: run() enters translated regions (hw/jit)
export const M_JIT_GEN = 64;     // generation of the entry table; bumping it drops every region
export const M_JIT_HOT = 72;     // taken-branch arrivals at a pc before it is translated
export const M_JIT_INSNS = 80;   // instructions retired inside translated regions
export const M_JIT_CALLS = 88;   // region entries
export const M_JIT_FLUSHES = 96; // full invalidations (fence.i, host TLB flushes)
export const M_JIT_PAGE_WRITES = 104; // guest stores that hit a page holding translated code
export const M_JIT_WARM = 112;   // interpreted taken branches still to run before the JIT may enter or translate (global warm-up)
export const M_JIT_CHAINS = 120; // region entries made by a region leaving straight into the next one (counted by the chaining loop of hw/core/jit.ts jitTry)
// Past the snapshot's MACHINE block (hw/snapshot.ts MACHINE_BLOCK_BYTES): the JIT's
// translation budget is host policy, not machine state (a restored machine starts a fresh budget).
export const M_JIT_DEBT = 128;   // i64: instructions still to retire before the next translation (<= 0: one may be made)
export const M_JIT_DEBT_MIN = 136; // i64: the lowest the debt goes (minus the saved-up credit of a few translations)
export const M_JIT_SAMPLE = 144; // u32: after a taken branch found no region, instructions the interpreter runs before it looks again
export const M_JIT_EPOCH = 152;  // u32: the hotness epoch; a pc's hotness counts only the arrivals of the current epoch
export const M_JIT_EPOCH_LEN = 156; // u32: instructions per hotness epoch (0: one epoch forever, hotness never ages)
export const M_JIT_EPOCH_LEFT = 160; // i64: instructions still to retire in this epoch
export const M_JIT_PAY = 168;    // u32: how many instructions each one retired in translated code counts for on the translation budget (1: one)
export const M_JIT_PAID = 176;   // u64: M_JIT_INSNS when the budget was last paid (at the last slice end)
export const M_JIT_HOT_TOTAL = 184; // u32: looked-up arrivals at a pc over all epochs that make it hot too (0: only the rate counts)

// ---- Exit reasons of run() -------------------------------------------------
export const EXIT_BUDGET = 0;    // the instruction budget ran out
export const EXIT_TRAP = 1;      // a trap was taken into a host-handled privilege (HOST_TRAP)
export const EXIT_WFI = 2;       // wfi with nothing pending
export const EXIT_HALT = 3;      // the test finisher was written
export const EXIT_HOST = 4;      // a device asked the core to stop (e.g. to deliver input)

// ---- Memory-mapped devices (QEMU virt addresses) ---------------------------
export const TEST_BASE = 0x100000;
export const RTC_BASE = 0x101000;
export const CLINT_BASE = 0x2000000;
export const CLINT_SIZE = 0x10000;
export const PLIC_BASE = 0xc000000;
export const PLIC_SIZE = 0x600000;
export const UART_BASE = 0x10000000;
export const UART_IRQ = 10;
export const VIRTIO_BASE = 0x10001000;
export const VIRTIO_STRIDE = 0x1000;
export const VIRTIO_IRQ = 1;     // virtio slot n uses IRQ 1 + n
