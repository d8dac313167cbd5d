/* mmu_mprv.c - mstatus.MPRV: M-mode loads and stores translated and checked
 * as if in mode MPP (S or U), with SUM and MXR applying; faults trap to M
 * with the VA in mtval; MPP = M means no translation; instruction fetch is
 * never affected (the probes run from an S-only page, also with MPP = U);
 * M-mode ignores satp when MPRV = 0. See mmu.h for the layout. */
#include "crt.h"
#include "mmu.h"

u64 gvar = 0x0123456789abcdefUL;

/* mprv_ld(va, mpp): M-mode load with MPRV = 1 and MPP = mpp. On a fault the
   crt handler records it and skips the load (a0 is then garbage). */
u64 mprv_ld(u64 va, u64 mpp);
void mprv_sd(u64 va, u64 value, u64 mpp);
__asm__(
    ".text\n"
    ".option push\n"
    ".option norvc\n"
    "mprv_ld:\n"
    "  li t1, 3 << 11\n"
    "  csrc mstatus, t1\n"
    "  slli a1, a1, 11\n"
    "  csrs mstatus, a1\n"
    "  li t2, 1 << 17\n"
    "  csrs mstatus, t2\n"
    "  ld a0, 0(a0)\n"
    "  csrc mstatus, t2\n"
    "  ret\n"
    "mprv_sd:\n"
    "  li t1, 3 << 11\n"
    "  csrc mstatus, t1\n"
    "  slli a2, a2, 11\n"
    "  csrs mstatus, a2\n"
    "  li t2, 1 << 17\n"
    "  csrs mstatus, t2\n"
    "  sd a1, 0(a0)\n"
    "  csrc mstatus, t2\n"
    "  ret\n"
    ".option pop\n"
);

#define NO_TRAP 0xdeadUL

static u64 ld_ok(u64 code, u64 va, u64 mpp)
{
    g_trap.cause = NO_TRAP;
    u64 v = mprv_ld(va, mpp);
    EXPECT(code, g_trap.cause, NO_TRAP);
    EXPECT(code + 100, csr_read(mstatus) & MSTATUS_MPRV, 0);
    return v;
}

static void ld_fault(u64 code, u64 va, u64 mpp)
{
    g_trap.cause = NO_TRAP;
    mprv_ld(va, mpp);
    EXPECT(code, g_trap.cause, CAUSE_LOAD_PAGE);
    EXPECT(code + 100, g_trap.tval, va);
    /* the trap was taken from M */
    EXPECT(code + 150, g_trap.status & MSTATUS_MPP, MSTATUS_MPP);
}

int main(void)
{
    mmu_setup();
    g_trap.m_skip = 1;
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xe000 + i;
    *(volatile u64 *)(SPARE_PA + 0x40) = 0x4040;

    map4k(1, (u64)pages[1], PTE_R | PTE_W | PTE_AD);
    map4k(2, (u64)pages[2], PTE_R | PTE_AD);
    map4k(3, (u64)pages[3], PTE_X | PTE_AD);
    map4k(4, (u64)pages[4], PTE_R | PTE_W | PTE_U | PTE_AD);
    map4k(5, (u64)pages[5], PTE_X | PTE_U | PTE_AD);
    sfence_all();
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);

    /* ---- M without MPRV: physical, satp ignored */
    EXPECT(1, *(volatile u64 *)(SPARE_PA + 0x40), 0x4040);
    /* ---- MPRV with MPP = M: physical too */
    EXPECT(2, ld_ok(3, SPARE_PA + 0x40, PRV_M), 0x4040);

    /* ---- MPP = S: translated */
    u64 off = (u64)&gvar - RAM_BASE;
    EXPECT(4, ld_ok(5, GIGA + off, PRV_S), 0x0123456789abcdefUL);
    EXPECT(6, ld_ok(7, VA4K(1), PRV_S), 0xe001);
    ld_fault(8, SPARE_PA + 0x40, PRV_S);      /* not mapped at its PA */
    ld_fault(9, VA4K(7), PRV_S);
    /* stores */
    g_trap.cause = NO_TRAP;
    mprv_sd(VA4K(1) + 8, 0x1234, PRV_S);
    EXPECT(10, g_trap.cause, NO_TRAP);
    EXPECT(11, *(u64 *)(pages[1] + 8), 0x1234);
    mprv_sd(VA4K(2) + 8, 0x1234, PRV_S);
    EXPECT(12, g_trap.cause, CAUSE_STORE_PAGE);
    EXPECT(13, g_trap.tval, VA4K(2) + 8);
    EXPECT(14, *(u64 *)(pages[2] + 8), 0);
    /* MXR */
    ld_fault(15, VA4K(3), PRV_S);
    csr_set(mstatus, MSTATUS_MXR);
    EXPECT(16, ld_ok(17, VA4K(3), PRV_S), 0xe003);
    csr_clear(mstatus, MSTATUS_MXR);
    /* SUM */
    ld_fault(18, VA4K(4), PRV_S);
    csr_set(mstatus, MSTATUS_SUM);
    EXPECT(19, ld_ok(20, VA4K(4), PRV_S), 0xe004);
    csr_clear(mstatus, MSTATUS_SUM);

    /* ---- MPP = U: U pages only (fetch still from the S-only page) */
    EXPECT(21, ld_ok(22, VA4K(4), PRV_U), 0xe004);
    ld_fault(23, VA4K(1), PRV_U);
    ld_fault(24, GIGA + off, PRV_U);
    ld_fault(25, VA4K(5), PRV_U);
    csr_set(mstatus, MSTATUS_MXR);
    EXPECT(26, ld_ok(27, VA4K(5), PRV_U), 0xe005);
    csr_clear(mstatus, MSTATUS_MXR);
    g_trap.cause = NO_TRAP;
    mprv_sd(VA4K(4) + 16, 0x4444, PRV_U);
    EXPECT(28, g_trap.cause, NO_TRAP);
    EXPECT(29, *(u64 *)(pages[4] + 16), 0x4444);

    /* ---- with satp = Bare, MPRV + MPP = S is physical */
    csr_write(satp, 0);
    sfence_all();
    EXPECT(30, ld_ok(31, SPARE_PA + 0x40, PRV_S), 0x4040);
    return 0;
}
