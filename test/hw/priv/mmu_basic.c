/* mmu_basic.c - Sv39 translation from S-mode: satp WARL behaviour, 4 KiB,
 * 2 MiB and 1 GiB pages (including a high canonical address), page faults
 * 12/13/15 with exact mtval/mepc (including a fetch crossing into an
 * unmapped page), non-canonical addresses, invalid / reserved (W without R)
 * PTEs, misaligned superpages, a pointer PTE at level 0, page faults
 * delegated to S (scause/stval/sepc), satp Bare in S, M-mode ignoring
 * satp. See mmu.h for the page-table layout. */
#include "crt.h"
#include "mmu.h"

u64 gvar = 0x1122334455667788UL;

#define RWX (PTE_R | PTE_W | PTE_X)

static void expect_fault(u64 code, u64 cause, u64 tval)
{
    EXPECT(code, g_trap.cause, cause);
    EXPECT(code + 100, g_trap.tval, tval);
}

int main(void)
{
    /* ---- satp: Bare at reset in M; an unsupported MODE write is ignored
       entirely; Sv39 reads back */
    csr_write(satp, 0);
    EXPECT(1, csr_read(satp), 0);
    csr_write(satp, (1UL << 60) | 0x1234);   /* MODE 1: reserved */
    EXPECT(2, csr_read(satp), 0);
    mmu_setup();
    EXPECT(3, csr_read(satp), SATP(root, 0));

    /* data in the pages */
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xa000 + i;
    *(volatile u64 *)(SPARE_PA + 0x1238) = 0x5151;
    *(volatile u64 *)(SPARE_PA + 0x1000) = 0x5252;

    /* ---- S runs through the identity megapage; ecall comes back */
    EXPECT(4, run_s((u64)stub_ecall, 7, 0), CAUSE_ECALL_S);
    EXPECT(5, g_trap.a0, 7);

    /* ---- 4 KiB pages: VA 1 * 4K -> pages[3], VA 2 * 4K -> pages[5] */
    map4k(1, (u64)pages[3], PTE_R | PTE_AD);
    map4k(2, (u64)pages[5], PTE_R | PTE_W | PTE_AD);
    sfence_all();
    EXPECT(6, run_s((u64)stub_ld, VA4K(1), 0), CAUSE_ECALL_S);
    EXPECT(7, g_trap.a0, 0xa003);
    EXPECT(8, run_s((u64)stub_sd, VA4K(2) + 8, 0x77), CAUSE_ECALL_S);
    EXPECT(9, *(u64 *)(pages[5] + 8), 0x77);
    /* page offset is kept */
    *(u64 *)(pages[3] + 0xff8) = 0x3ff8;
    EXPECT(10, run_s((u64)stub_ld, VA4K(1) + 0xff8, 0), CAUSE_ECALL_S);
    EXPECT(11, g_trap.a0, 0x3ff8);

    /* ---- 2 MiB page: VA 2M -> SPARE_PA */
    l1a[1] = PTE(SPARE_PA, PTE_V | PTE_R | PTE_W | PTE_AD);
    sfence_all();
    EXPECT(12, run_s((u64)stub_ld, MEGA + 0x1238, 0), CAUSE_ECALL_S);
    EXPECT(13, g_trap.a0, 0x5151);

    /* ---- 1 GiB pages: VA 0x40000000 and VA 0xffffffffc0000000 -> RAM */
    u64 off = (u64)&gvar - RAM_BASE;
    EXPECT(14, run_s((u64)stub_ld, GIGA + off, 0), CAUSE_ECALL_S);
    EXPECT(15, g_trap.a0, 0x1122334455667788UL);
    EXPECT(16, run_s((u64)stub_ld, 0xffffffffc0000000UL + off, 0), CAUSE_ECALL_S);
    EXPECT(17, g_trap.a0, 0x1122334455667788UL);
    /* root[511] is read-only */
    EXPECT(18, run_s((u64)stub_sd, 0xffffffffc0000000UL + off, 1), CAUSE_STORE_PAGE);
    expect_fault(18, CAUSE_STORE_PAGE, 0xffffffffc0000000UL + off);
    EXPECT(19, gvar, 0x1122334455667788UL);

    /* ---- unmapped: load 13, store 15, fetch 12; mtval = the VA; mepc =
       the faulting instruction (the fetch: the target) */
    u64 va = VA4K(7) + 0x123;
    run_s((u64)stub_ld, va, 0);
    expect_fault(20, CAUSE_LOAD_PAGE, va);
    EXPECT(21, g_trap.epc, (u64)stub_ld);
    run_s((u64)stub_sd, va, 0);
    expect_fault(22, CAUSE_STORE_PAGE, va);
    EXPECT(23, g_trap.epc, (u64)stub_sd);
    va = VA4K(7) + 0x124;
    run_s((u64)stub_jr, va, 0);
    expect_fault(24, CAUSE_FETCH_PAGE, va);
    EXPECT(25, g_trap.epc, va);
    /* AMO on an unmapped page: store/AMO page fault per the spec; QEMU 7.2
       reports a load page fault (13), accepted too */
    run_s((u64)stub_amo, va - 4, 1);
    if (g_trap.cause != CAUSE_LOAD_PAGE) expect_fault(26, CAUSE_STORE_PAGE, va - 4);
    EXPECT(126, g_trap.tval, va - 4);
    /* the unmapped 2 MiB of RAM above the program, at its own address */
    run_s((u64)stub_ld, SPARE_PA + 0x1238, 0);
    expect_fault(27, CAUSE_LOAD_PAGE, SPARE_PA + 0x1238);
    /* an invalid root entry (root[3]) */
    run_s((u64)stub_ld, 3 * GIGA + 8, 0);
    expect_fault(28, CAUSE_LOAD_PAGE, 3 * GIGA + 8);

    /* ---- non-canonical addresses: bits 63..39 must equal bit 38 */
    run_s((u64)stub_ld, 0x0000004000000000UL, 0);
    expect_fault(30, CAUSE_LOAD_PAGE, 0x0000004000000000UL);
    /* low 39 bits name a mapped page (the program): still a fault */
    va = 0x8000000000000000UL | (u64)&gvar;
    run_s((u64)stub_ld, va, 0);
    expect_fault(31, CAUSE_LOAD_PAGE, va);
    va = 0xffffffbfc0000000UL + off;         /* bit 38 = 0, upper ones */
    run_s((u64)stub_sd, va, 0);
    expect_fault(32, CAUSE_STORE_PAGE, va);
    va = 0x0000008000000000UL | (u64)stub_ecall;
    run_s((u64)stub_jr, va, 0);
    EXPECT(33, g_trap.cause, CAUSE_FETCH_PAGE);
    EXPECT(34, g_trap.epc, va);

    /* ---- reserved encodings and invalid PTEs */
    map4k(4, (u64)pages[4], PTE_W | PTE_AD);            /* W without R */
    map4k(5, (u64)pages[4], PTE_W | PTE_X | PTE_AD);    /* W X without R */
    l0a[6] = PTE(pages[6], RWX | PTE_AD);               /* V = 0 */
    l0a[8] = PTE(pages[8], PTE_V);                      /* pointer at level 0 */
    sfence_all();
    run_s((u64)stub_ld, VA4K(4), 0);
    expect_fault(40, CAUSE_LOAD_PAGE, VA4K(4));
    run_s((u64)stub_sd, VA4K(4), 0);
    expect_fault(41, CAUSE_STORE_PAGE, VA4K(4));
    run_s((u64)stub_ld, VA4K(5), 0);
    expect_fault(42, CAUSE_LOAD_PAGE, VA4K(5));
    run_s((u64)stub_jr, VA4K(5), 0);
    expect_fault(43, CAUSE_FETCH_PAGE, VA4K(5));
    run_s((u64)stub_ld, VA4K(6), 0);
    expect_fault(44, CAUSE_LOAD_PAGE, VA4K(6));
    run_s((u64)stub_ld, VA4K(8), 0);
    expect_fault(45, CAUSE_LOAD_PAGE, VA4K(8));

    /* ---- misaligned superpages: a 2 MiB leaf with PPN[0] != 0, a 1 GiB
       leaf with PPN[1] != 0 */
    l1a[2] = PTE(SPARE_PA + PAGE, PTE_V | PTE_R | PTE_W | PTE_AD);
    root[4] = PTE(SPARE_PA, PTE_V | PTE_R | PTE_W | PTE_AD);
    sfence_all();
    run_s((u64)stub_ld, 2 * MEGA + 0x238, 0);
    expect_fault(50, CAUSE_LOAD_PAGE, 2 * MEGA + 0x238);
    run_s((u64)stub_sd, 2 * MEGA, 0);
    expect_fault(51, CAUSE_STORE_PAGE, 2 * MEGA);
    run_s((u64)stub_ld, 4 * GIGA + 0x1238, 0);
    expect_fault(52, CAUSE_LOAD_PAGE, 4 * GIGA + 0x1238);
    /* the aligned 2 MiB mapping at l1a[1] still works and shows the page */
    EXPECT(53, run_s((u64)stub_ld, MEGA + 0x1000, 0), CAUSE_ECALL_S);
    EXPECT(54, g_trap.a0, 0x5252);

    /* ---- instruction fetch crossing into an unmapped page: mepc = the
       instruction, mtval = the start of the unmapped page */
    map4k(9, (u64)xpage, PTE_R | PTE_X | PTE_AD);
    sfence_all();
    va = VA4K(9) + 0xffe;
    run_s(va, 0, 0);
    EXPECT(55, g_trap.cause, CAUSE_FETCH_PAGE);
    EXPECT(56, g_trap.epc, va);
    EXPECT(57, g_trap.tval, VA4K(10));
    /* with the next page mapped (to a page that is not the physically
       next one) it executes: addi a0, a0, 1 then ecall */
    map4k(10, (u64)xpage2, PTE_R | PTE_X | PTE_AD);
    sfence_all();
    EXPECT(58, run_s(va, 41, 0), CAUSE_ECALL_S);
    EXPECT(59, g_trap.a0, 42);

    /* ---- page faults delegated to S: stvec handler reports scause, stval,
       sepc, sstatus (SPP = S) to M by ecall */
    csr_write(stvec, (u64)stub_strap);
    csr_write(medeleg, (1UL << CAUSE_FETCH_PAGE) | (1UL << CAUSE_LOAD_PAGE) | (1UL << CAUSE_STORE_PAGE));
    EXPECT(60, run_s((u64)stub_ld, VA4K(7) + 0x10, 0), CAUSE_ECALL_S);
    EXPECT(61, g_trap.a0, CAUSE_LOAD_PAGE);
    EXPECT(62, g_trap.a1, VA4K(7) + 0x10);
    EXPECT(63, g_trap.a2, (u64)stub_ld);
    EXPECT(64, g_trap.a3 & MSTATUS_SPP, MSTATUS_SPP);
    EXPECT(65, run_s((u64)stub_sd, VA4K(1) + 0x18, 0), CAUSE_ECALL_S);
    EXPECT(66, g_trap.a0, CAUSE_STORE_PAGE);
    EXPECT(67, g_trap.a1, VA4K(1) + 0x18);
    EXPECT(68, run_s((u64)stub_jr, VA4K(7) + 0x20, 0), CAUSE_ECALL_S);
    EXPECT(69, g_trap.a0, CAUSE_FETCH_PAGE);
    EXPECT(70, g_trap.a1, VA4K(7) + 0x20);
    EXPECT(71, g_trap.a2, VA4K(7) + 0x20);
    csr_write(medeleg, 0);

    /* ---- M-mode ignores satp (MPRV = 0): physical accesses to the spare
       RAM and to the CLINT, neither mapped in the page table */
    EXPECT(72, *(volatile u64 *)(SPARE_PA + 0x1238), 0x5151);
    (void)mmio_read64(0x200bff8);

    /* ---- satp = Bare: S accesses are physical */
    csr_write(satp, 0);
    sfence_all();
    EXPECT(73, run_s((u64)stub_ld, SPARE_PA + 0x1238, 0), CAUSE_ECALL_S);
    EXPECT(74, g_trap.a0, 0x5151);
    return 0;
}
