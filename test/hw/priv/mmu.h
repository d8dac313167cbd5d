/* mmu.h - Sv39 page tables and lower-mode probes for the MMU tests.
 * Include after crt.h. Layout (built by mmu_setup(), satp = Sv39, ASID 0):
 *
 *   root[0]   -> l1a:  VA 0 .. 1 GiB
 *       l1a[0] -> l0a: 4 KiB test pages, VA = k * 4 KiB (k = 0..511), all
 *                      invalid until a test maps them with map4k()
 *       l1a[1..]       2 MiB test pages (set by the tests)
 *   root[1]   1 GiB leaf  VA 0x40000000 -> PA 0x80000000, R W A D
 *   root[2]   -> l1b: l1b[0] = 2 MiB leaf VA 0x80000000 -> PA 0x80000000
 *                     R W X A D: the program itself (code, data, stack)
 *                     for S-mode; the next 2 MiB of RAM are *not* mapped
 *   root[511] 1 GiB leaf  VA 0xffffffffc0000000 -> PA 0x80000000, R A
 *
 * The stubs (the code run in S/U) live in their own 4 KiB page `stub_page`
 * (position independent: run them through any mapping of that page; the
 * identity mapping is S-only, map it with U for U-mode code). The pages
 * `xpage` / `xpage2` hold a 4-byte instruction split across two pages for
 * the page-crossing fetch tests (see below).
 */
#ifndef MMU_H
#define MMU_H

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_AD (PTE_A | PTE_D)

#define PTE(pa, flags) (((((u64)(pa)) >> 12) << 10) | (flags))
#define PTE_PA(pte) ((((pte) >> 10) & ((1UL << 44) - 1)) << 12)

#define SATP_SV39 (8UL << 60)
#define SATP(root, asid) (SATP_SV39 | ((u64)(asid) << 44) | ((u64)(root) >> 12))

#define RAM_BASE   0x80000000UL
#define MEGA       0x200000UL
#define GIGA       0x40000000UL
#define PAGE       0x1000UL
/* 2 MiB of RAM just above the identity-mapped 2 MiB, used as the target of
   the superpage tests; not mapped at its own address for S */
#define SPARE_PA   (RAM_BASE + MEGA)

u64 root[512] __attribute__((aligned(4096)));
u64 l1a[512] __attribute__((aligned(4096)));
u64 l0a[512] __attribute__((aligned(4096)));
u64 l1b[512] __attribute__((aligned(4096)));
/* data pages for the 4 KiB mappings */
#define NPAGES 16
u8 pages[NPAGES][4096] __attribute__((aligned(4096)));

/* the stubs: each ends with ecall (back to M through run_mode) */
extern char stub_page[], stub_ld[], stub_lw[], stub_sd[], stub_jr[], stub_ecall[],
    stub_sfence_all[], stub_sfence_va[], stub_sfence_asid[], stub_sfence_va_asid[],
    stub_amo[], stub_satp_fence_ld[], stub_satp_ld[], stub_strap[], xpage[], xpage_insn[], xpage2[];
extern char _stack_top[];

__asm__(
    ".section .text.stubs, \"ax\"\n"
    ".balign 4096\n"
    ".globl stub_page\n"
    "stub_page:\n"
    ".option push\n"
    ".option norvc\n"
    "stub_ld: ld a0, 0(a0)\n"
    "  ecall\n"
    "stub_lw: lw a0, 0(a0)\n"
    "  ecall\n"
    "stub_sd: sd a1, 0(a0)\n"
    "  ecall\n"
    "stub_jr: jr a0\n"
    "stub_ecall: ecall\n"
    "stub_sfence_all: sfence.vma\n"
    "  ecall\n"
    "stub_sfence_va: sfence.vma a0\n"
    "  ecall\n"
    "stub_sfence_asid: sfence.vma zero, a1\n"
    "  ecall\n"
    "stub_sfence_va_asid: sfence.vma a0, a1\n"
    "  ecall\n"
    "stub_amo: amoadd.d a0, a1, (a0)\n"
    "  ecall\n"
    /* switch satp to a0 (with / without sfence.vma), then load from a1 */
    "stub_satp_fence_ld: csrw satp, a0\n"
    "  sfence.vma\n"
    "  ld a0, 0(a1)\n"
    "  ecall\n"
    "stub_satp_ld: csrw satp, a0\n"
    "  ld a0, 0(a1)\n"
    "  ecall\n"
    /* S-mode trap handler for delegated faults: report to M by ecall */
    "  .align 2\n"
    "stub_strap: csrr a0, scause\n"
    "  csrr a1, stval\n"
    "  csrr a2, sepc\n"
    "  csrr a3, sstatus\n"
    "  ecall\n"
    /* xpage ends with the first half of addi a0, a0, 1 (0x00150513); the
       physically next page starts with 0x0000 (which would make it
       addi a0, zero, 0) and an ecall; xpage2 starts with the real second
       half and an ecall. Mapping VA k -> xpage, k+1 -> xpage2 and running
       at k + 0xffe must add 1 to a0. */
    ".balign 4096\n"
    "xpage:\n"
    ".fill 0xffe / 2, 2, 0x0001\n"   /* c.nop */
    "xpage_insn: .half 0x0513\n"
    "xpage_next: .half 0x0000\n"
    "  ecall\n"
    ".balign 4096\n"
    "xpage2: .half 0x0015\n"
    "  ecall\n"
    ".option pop\n"
    ".balign 4096\n"
    ".text\n"
);

/* VA of a stub through the mapping of stub_page at `base` */
#define STUB(base, stub) ((u64)(base) + ((u64)(stub) - (u64)stub_page))

static inline void sfence_all(void) { __asm__ volatile("sfence.vma" ::: "memory"); }

/* 4 KiB page k of VA space (k < 512) */
#define VA4K(k) ((u64)(k) * PAGE)

static void map4k(unsigned k, u64 pa, u64 flags)
{
    l0a[k] = PTE(pa, flags | PTE_V);
}

static void mmu_setup(void)
{
    for (int i = 0; i < 512; i++) root[i] = l1a[i] = l0a[i] = l1b[i] = 0;
    root[0] = PTE(l1a, PTE_V);
    l1a[0] = PTE(l0a, PTE_V);
    root[1] = PTE(RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_AD);
    root[2] = PTE(l1b, PTE_V);
    l1b[0] = PTE(RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_AD);
    root[511] = PTE(RAM_BASE, PTE_V | PTE_R | PTE_A);
    if ((u64)_stack_top > RAM_BASE + MEGA) fail(251, (u64)_stack_top, RAM_BASE + MEGA);
    csr_write(satp, SATP(root, 0));
    sfence_all();
}

/* run S-mode code at its own address (the identity megapage, S only) */
static u64 run_s(u64 stub, u64 a0, u64 a1) { return run_mode(PRV_S, (u64)stub, a0, a1); }

#endif
