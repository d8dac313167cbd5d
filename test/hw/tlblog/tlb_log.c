/* tlb_log.c - every sfence.vma form and every ASID switch leaves no entry
 * that could hit, however many entries were refilled before it. tsix's TLB
 * logs the entries each bank refills and a flush clears only those, or the
 * whole bank once more were refilled than the log holds (TLB_LOG_CAP =
 * 2046 in hw/core/layout.ts); so each case runs below the log's capacity
 * and far above it (2,560 pages read and written: 5,120 entries). Pages are
 * unmapped or moved without a fence, then fenced, then every one must fault
 * or read its new page: an entry the flush missed would hit instead.
 *  1. sfence.vma x0, x0;
 *  2. sfence.vma x0, asid, without and with a global entry cached (the
 *     global entry stays logged: a later x0, x0 fence must still drop it);
 *  3. sfence.vma va and sfence.vma va, asid while a 2 MiB page is cached
 *     (the fence drops every cached piece of that page);
 *  4. more ASIDs than the TLB has banks: each new ASID takes a bank that
 *     held another's entries, and must see only its own (empty) table.
 * Value 0xd000 + i is page i's. See ../priv/mmu.h for the layout. */
#include "../priv/crt.h"
#include "../priv/mmu.h"

#define NV 2560              /* test pages: VA 0 .. 10 MiB */
#define FEW 100              /* a case below the log's capacity */
#define G (NV - 1)           /* the page mapped global in case 2 */
#define VA_SP (5 * MEGA)     /* l1a[5]: the 2 MiB page of case 3 */
#define MEGA2_PA (RAM_BASE + 2 * MEGA)

u64 l0x[4][512] __attribute__((aligned(4096)));   /* l1a[1..4]: pages 512 .. 2559 */
u64 root_b[512] __attribute__((aligned(4096)));
u64 l1a_b[512] __attribute__((aligned(4096)));

/* S: read and write back the first word of n pages from a0 */
extern char stub_touch[];
__asm__(
    ".text\n"
    ".globl stub_touch\n"
    "stub_touch:\n"
    "  li t1, 4096\n"
    "1: ld t0, 0(a0)\n"
    "  sd t0, 0(a0)\n"
    "  add a0, a0, t1\n"
    "  addi a1, a1, -1\n"
    "  bnez a1, 1b\n"
    "  ecall\n"
);

static u64 *pte(unsigned k) { return k < 512 ? &l0a[k] : &l0x[(k - 512) / 512][(k - 512) % 512]; }

/* pages 0 .. NV-1 -> pages[k % 8], read-write */
static void map_all(void) { for (unsigned k = 0; k < NV; k++) *pte(k) = PTE(pages[k % 8], PTE_R | PTE_W | PTE_AD | PTE_V); }
static void unmap(unsigned from, unsigned n) { for (unsigned k = from; k < from + n; k++) *pte(k) = 0; }

static void touch(u64 code, unsigned from, unsigned n)
{
    EXPECT(code, run_s((u64)stub_touch, VA4K(from), n), CAUSE_ECALL_S);
}

static void fence(u64 code, char *stub, u64 va, u64 asid)
{
    EXPECT(code, run_s((u64)stub, va, asid), CAUSE_ECALL_S);
}

static u64 s_load(u64 code, u64 va)
{
    EXPECT(code, run_s((u64)stub_ld, va, 0), CAUSE_ECALL_S);
    return g_trap.a0;
}

/* every page of from .. from+n-1 must fault (FAIL code va cause) */
static void all_fault(u64 code, unsigned from, unsigned n)
{
    for (unsigned k = from; k < from + n; k++) {
        u64 c = run_s((u64)stub_ld, VA4K(k), 0);
        if (c != CAUSE_LOAD_PAGE) fail(code, VA4K(k), c);
    }
}

/* refill n pages from page 0, unmap them unfenced, fence, expect faults */
static void flush_case(u64 code, unsigned n, char *stub, u64 asid)
{
    map_all();
    fence(code, stub_sfence_all, 0, 0);
    touch(code + 1, 0, n);
    unmap(0, n);
    fence(code + 2, stub, 0, asid);
    all_fault(code + 3, 0, n);
}

int main(void)
{
    mmu_setup();
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xd000 + i;
    *(volatile u64 *)(SPARE_PA + 0x5000) = 0x1111;
    *(volatile u64 *)(SPARE_PA + 0x7000) = 0x3333;
    *(volatile u64 *)(MEGA2_PA + 0x5000) = 0x2222;
    *(volatile u64 *)(MEGA2_PA + 0x7000) = 0x4444;
    for (int i = 0; i < 4; i++) l1a[1 + i] = PTE(l0x[i], PTE_V);
    for (int i = 0; i < 512; i++) { root_b[i] = root[i]; l1a_b[i] = 0; }
    root_b[0] = PTE(l1a_b, PTE_V);     /* ASIDs 2..: VA 0 .. 1 GiB unmapped */
    csr_write(satp, SATP(root, 1));
    sfence_all();

    /* 1. sfence.vma x0, x0 */
    flush_case(10, FEW, stub_sfence_all, 0);
    flush_case(20, NV, stub_sfence_all, 0);

    /* 2. sfence.vma x0, asid; then with a global entry cached */
    flush_case(30, FEW, stub_sfence_asid, 1);
    flush_case(40, NV, stub_sfence_asid, 1);
    for (unsigned round = 0; round < 3; round++) {
        unsigned n = round == 2 ? NV - 1 : FEW;
        u64 c = 50 + 10 * round;
        map_all();
        *pte(G) = PTE(pages[9 + round], PTE_R | PTE_G | PTE_AD | PTE_V);
        fence(c, stub_sfence_all, 0, 0);
        EXPECT(c + 1, s_load(c + 2, VA4K(G)), 0xd009 + round);
        /* twice: the second ASID fence starts from what the first kept */
        for (unsigned twice = 0; twice < 2; twice++) {
            map_all();
            *pte(G) = PTE(pages[9 + round], PTE_R | PTE_G | PTE_AD | PTE_V);
            touch(c + 3, 0, n);
            unmap(0, n);
            fence(c + 4, stub_sfence_asid, 0, 1);
            all_fault(c + 5, 0, n);
        }
        /* the global entry may stay (it does on tsix); moved, then an
           x0, x0 fence must drop it wherever the flushes left it */
        *pte(G) = PTE(pages[12 + round], PTE_R | PTE_G | PTE_AD | PTE_V);
        fence(c + 6, stub_sfence_all, 0, 0);
        EXPECT(c + 7, s_load(c + 8, VA4K(G)), 0xd00c + round);
    }

    /* 3. address fences while pieces of a 2 MiB page are cached */
    for (unsigned round = 0; round < 4; round++) {
        unsigned n = (round & 1) ? NV : FEW;
        char *stub = (round & 2) ? stub_sfence_va_asid : stub_sfence_va;
        u64 c = 100 + 10 * round;
        map_all();
        l1a[5] = PTE(SPARE_PA, PTE_R | PTE_W | PTE_AD | PTE_V);
        fence(c, stub_sfence_all, 0, 0);
        EXPECT(c + 1, s_load(c + 2, VA_SP + 0x5000), 0x1111);
        EXPECT(c + 1, s_load(c + 2, VA_SP + 0x7000), 0x3333);
        touch(c + 3, 0, n);
        l1a[5] = PTE(MEGA2_PA, PTE_R | PTE_W | PTE_AD | PTE_V);
        fence(c + 4, stub, VA_SP + 0x5000, 1);
        EXPECT(c + 5, s_load(c + 6, VA_SP + 0x7000), 0x4444);   /* another piece of the same page */
        EXPECT(c + 5, s_load(c + 6, VA_SP + 0x5000), 0x2222);
        /* a 4 KiB page, fenced by address, while the pieces are cached */
        unmap(7, 1);
        fence(c + 7, stub, VA4K(7), 1);
        all_fault(c + 8, 7, 1);
        l1a[5] = 0;
    }

    /* 4. ASID 1 refills, then 16 new ASIDs take its bank and the others */
    for (unsigned round = 0; round < 2; round++) {
        unsigned n = round ? NV : FEW;
        u64 c = 150 + 10 * round;
        csr_write(satp, SATP(root, 1));
        map_all();
        fence(c, stub_sfence_all, 0, 0);
        touch(c + 1, 0, n);
        for (unsigned a = 2 + 16 * round; a < 18 + 16 * round; a++) {
            csr_write(satp, SATP(root_b, a));
            all_fault(c + 2, 0, n);
        }
    }
    return 0;
}
