/* mmu_ad.c - hardware update of the PTE A and D bits (the QEMU behaviour;
 * menvcfg.ADUE is set in case the hart implements Svadu): a load sets A
 * only, a store or AMO sets A and D, a fetch sets A, on 4 KiB pages and
 * superpages, from S and U; nothing else in the PTE changes (RSW, G, U kept);
 * a faulting access updates nothing; non-leaf PTEs are left alone. The PTEs
 * are read back from M. */
#include "crt.h"
#include "mmu.h"

#define MENVCFG_ADUE (1UL << 61)

int main(void)
{
    mmu_setup();
    csr_set(0x30a, MENVCFG_ADUE);     /* menvcfg, WARL */
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xc000 + i;
    *(volatile u64 *)(SPARE_PA + 0x10) = 0x5a5a;

    const u64 RSW = 3UL << 8;
    map4k(1, (u64)pages[1], PTE_R | PTE_W | RSW);
    map4k(2, (u64)pages[2], PTE_R | PTE_W | PTE_G);
    map4k(3, (u64)stub_page, PTE_R | PTE_X);
    map4k(4, (u64)pages[4], PTE_R);
    map4k(5, (u64)pages[5], PTE_R | PTE_W | PTE_U);
    map4k(6, (u64)stub_page, PTE_R | PTE_X | PTE_U);
    map4k(7, (u64)pages[7], PTE_R | PTE_W);
    l1a[1] = PTE(SPARE_PA, PTE_V | PTE_R | PTE_W);
    root[3] = PTE(RAM_BASE, PTE_V | PTE_R | PTE_W);   /* 1 GiB at 3 GiB */
    u64 p1 = l0a[1], p2 = l0a[2], p3 = l0a[3], p4 = l0a[4], p5 = l0a[5], p6 = l0a[6], p7 = l0a[7];
    u64 mega = l1a[1], giga = root[3];
    u64 ptr_root0 = root[0], ptr_l1a0 = l1a[0];
    sfence_all();

    /* ---- load: A only */
    EXPECT(1, run_s((u64)stub_ld, VA4K(1), 0), CAUSE_ECALL_S);
    EXPECT(2, g_trap.a0, 0xc001);
    EXPECT(3, l0a[1], p1 | PTE_A);
    /* ---- then store: D too */
    EXPECT(4, run_s((u64)stub_sd, VA4K(1) + 8, 9), CAUSE_ECALL_S);
    EXPECT(5, l0a[1], p1 | PTE_A | PTE_D);
    /* ---- store first: A and D; G kept */
    EXPECT(6, run_s((u64)stub_sd, VA4K(2), 9), CAUSE_ECALL_S);
    EXPECT(7, l0a[2], p2 | PTE_A | PTE_D);
    /* ---- fetch: A */
    EXPECT(8, run_mode(PRV_S, STUB(VA4K(3), stub_ecall), 0, 0), CAUSE_ECALL_S);
    EXPECT(9, l0a[3], p3 | PTE_A);
    /* ---- faulting store to a read-only page: no update */
    EXPECT(10, run_s((u64)stub_sd, VA4K(4), 1), CAUSE_STORE_PAGE);
    EXPECT(11, l0a[4], p4);
    /* a load then sets A */
    EXPECT(12, run_s((u64)stub_ld, VA4K(4), 0), CAUSE_ECALL_S);
    EXPECT(13, l0a[4], p4 | PTE_A);
    /* ---- faulting S access to a U page (SUM = 0): no update */
    csr_clear(mstatus, MSTATUS_SUM);
    EXPECT(14, run_s((u64)stub_ld, VA4K(5), 0), CAUSE_LOAD_PAGE);
    EXPECT(15, l0a[5], p5);
    /* ---- U: fetch from U code sets A; U store sets A and D */
    EXPECT(16, run_mode(PRV_U, STUB(VA4K(6), stub_sd), VA4K(5), 7), CAUSE_ECALL_U);
    EXPECT(17, l0a[6], p6 | PTE_A);
    EXPECT(18, l0a[5], p5 | PTE_A | PTE_D);
    EXPECT(19, *(u64 *)pages[5], 7);
    /* ---- AMO: A and D */
    EXPECT(20, run_s((u64)stub_amo, VA4K(7), 1), CAUSE_ECALL_S);
    EXPECT(21, g_trap.a0, 0xc007);
    EXPECT(22, l0a[7], p7 | PTE_A | PTE_D);
    /* ---- superpages: 2 MiB load -> A; 1 GiB store -> A and D */
    EXPECT(23, run_s((u64)stub_ld, MEGA + 0x10, 0), CAUSE_ECALL_S);
    EXPECT(24, g_trap.a0, 0x5a5a);
    EXPECT(25, l1a[1], mega | PTE_A);
    u64 off = (u64)pages[8] - RAM_BASE;
    EXPECT(26, run_s((u64)stub_sd, 3 * GIGA + off, 0x88), CAUSE_ECALL_S);
    EXPECT(27, *(u64 *)pages[8], 0x88);
    EXPECT(28, root[3], giga | PTE_A | PTE_D);
    /* ---- non-leaf PTEs are not touched */
    EXPECT(29, root[0], ptr_root0);
    EXPECT(30, l1a[0], ptr_l1a0);
    return 0;
}
