/* mmu_perm.c - Sv39 permission checks: R/W/X for loads, stores and fetches
 * from S and U, the U bit (U pages from S only with SUM, never executable
 * from S; S pages never accessible from U, SUM or not), MXR making
 * execute-only pages readable (loads only), execute-only code. Every fault
 * is checked for its cause and exact mtval. See mmu.h for the layout. */
#include "crt.h"
#include "mmu.h"

static void expect_fault(u64 code, u64 cause, u64 tval)
{
    EXPECT(code, g_trap.cause, cause);
    EXPECT(code + 100, g_trap.tval, tval);
}

static void expect_value(u64 code, u64 cause, u64 value)
{
    EXPECT(code, g_trap.cause, cause);
    EXPECT(code + 100, g_trap.a0, value);
}

#define UCODE VA4K(5)              /* stub_page mapped R X U */

static u64 run_u(u64 stub, u64 a0, u64 a1) { return run_mode(PRV_U, STUB(UCODE, stub), a0, a1); }

int main(void)
{
    mmu_setup();
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xb000 + i;

    map4k(1, (u64)pages[1], PTE_R | PTE_AD);
    map4k(2, (u64)pages[2], PTE_R | PTE_W | PTE_AD);
    map4k(3, (u64)pages[3], PTE_X | PTE_AD);
    map4k(4, (u64)pages[4], PTE_R | PTE_W | PTE_U | PTE_AD);
    map4k(5, (u64)stub_page, PTE_R | PTE_X | PTE_U | PTE_AD);
    map4k(6, (u64)pages[6], PTE_R | PTE_U | PTE_AD);
    map4k(7, (u64)pages[7], PTE_X | PTE_U | PTE_AD);
    map4k(11, (u64)stub_page, PTE_X | PTE_AD);
    map4k(13, (u64)stub_page, PTE_R | PTE_X | PTE_AD);
    sfence_all();
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);

    /* ---- S: read-only page */
    run_s((u64)stub_ld, VA4K(1), 0);
    expect_value(1, CAUSE_ECALL_S, 0xb001);
    run_s((u64)stub_sd, VA4K(1) + 8, 5);
    expect_fault(2, CAUSE_STORE_PAGE, VA4K(1) + 8);
    EXPECT(3, *(u64 *)(pages[1] + 8), 0);
    /* ---- S: read-write page, not executable */
    run_s((u64)stub_sd, VA4K(2) + 16, 0x22);
    expect_fault(4, CAUSE_ECALL_S, 0);
    EXPECT(5, *(u64 *)(pages[2] + 16), 0x22);
    run_s((u64)stub_jr, VA4K(2) + 0x40, 0);
    expect_fault(6, CAUSE_FETCH_PAGE, VA4K(2) + 0x40);
    EXPECT(7, g_trap.epc, VA4K(2) + 0x40);
    /* ---- S: execute-only page: not readable, unless MXR; MXR does not
       make it writable */
    run_s((u64)stub_ld, VA4K(3), 0);
    expect_fault(8, CAUSE_LOAD_PAGE, VA4K(3));
    csr_set(mstatus, MSTATUS_MXR);
    run_s((u64)stub_ld, VA4K(3), 0);
    expect_value(9, CAUSE_ECALL_S, 0xb003);
    run_s((u64)stub_sd, VA4K(3), 0);
    expect_fault(10, CAUSE_STORE_PAGE, VA4K(3));
    csr_clear(mstatus, MSTATUS_MXR);
    /* execute-only code runs */
    run_mode(PRV_S, STUB(VA4K(11), stub_ld), VA4K(1), 0);
    expect_value(11, CAUSE_ECALL_S, 0xb001);

    /* ---- S and U pages: SUM */
    run_s((u64)stub_ld, VA4K(4), 0);
    expect_fault(12, CAUSE_LOAD_PAGE, VA4K(4));
    run_s((u64)stub_sd, VA4K(4) + 8, 1);
    expect_fault(13, CAUSE_STORE_PAGE, VA4K(4) + 8);
    csr_set(mstatus, MSTATUS_SUM);
    run_s((u64)stub_ld, VA4K(4), 0);
    expect_value(14, CAUSE_ECALL_S, 0xb004);
    run_s((u64)stub_sd, VA4K(4) + 8, 0x44);
    expect_fault(15, CAUSE_ECALL_S, 0);
    EXPECT(16, *(u64 *)(pages[4] + 8), 0x44);
    /* U code is never executable from S, SUM or not */
    run_mode(PRV_S, STUB(UCODE, stub_ecall), 0, 0);
    expect_fault(17, CAUSE_FETCH_PAGE, STUB(UCODE, stub_ecall));
    csr_clear(mstatus, MSTATUS_SUM);
    run_mode(PRV_S, STUB(UCODE, stub_ecall), 0, 0);
    expect_fault(18, CAUSE_FETCH_PAGE, STUB(UCODE, stub_ecall));
    /* SUM + MXR: an execute-only U page is readable from S */
    csr_set(mstatus, MSTATUS_SUM | MSTATUS_MXR);
    run_s((u64)stub_ld, VA4K(7), 0);
    expect_value(19, CAUSE_ECALL_S, 0xb007);
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_MXR);
    /* SUM does not help a read of a U page without R */
    csr_set(mstatus, MSTATUS_SUM);
    run_s((u64)stub_ld, VA4K(7), 0);
    expect_fault(20, CAUSE_LOAD_PAGE, VA4K(7));
    csr_clear(mstatus, MSTATUS_SUM);

    /* ---- U: runs from a U page; reads/writes U pages */
    EXPECT(21, run_u((u64)stub_ecall, 3, 0), CAUSE_ECALL_U);
    run_u((u64)stub_ld, VA4K(4), 0);
    expect_value(22, CAUSE_ECALL_U, 0xb004);
    run_u((u64)stub_sd, VA4K(4) + 24, 0x55);
    expect_fault(23, CAUSE_ECALL_U, 0);
    EXPECT(24, *(u64 *)(pages[4] + 24), 0x55);
    /* read-only U page */
    run_u((u64)stub_sd, VA4K(6), 0);
    expect_fault(25, CAUSE_STORE_PAGE, VA4K(6));
    run_u((u64)stub_ld, VA4K(6), 0);
    expect_value(26, CAUSE_ECALL_U, 0xb006);
    /* S pages are not accessible from U, even with SUM */
    csr_set(mstatus, MSTATUS_SUM);
    run_u((u64)stub_ld, VA4K(1), 0);
    expect_fault(27, CAUSE_LOAD_PAGE, VA4K(1));
    run_u((u64)stub_sd, VA4K(2), 0);
    expect_fault(28, CAUSE_STORE_PAGE, VA4K(2));
    csr_clear(mstatus, MSTATUS_SUM);
    run_u((u64)stub_ld, (u64)&g_trap, 0);      /* the program itself */
    expect_fault(29, CAUSE_LOAD_PAGE, (u64)&g_trap);
    /* S code is not executable from U */
    run_mode(PRV_U, STUB(VA4K(13), stub_ecall), 0, 0);
    expect_fault(30, CAUSE_FETCH_PAGE, STUB(VA4K(13), stub_ecall));
    run_mode(PRV_U, (u64)stub_ecall, 0, 0);
    expect_fault(31, CAUSE_FETCH_PAGE, (u64)stub_ecall);
    /* U page without X is not executable */
    run_u((u64)stub_jr, VA4K(4) + 0x80, 0);
    expect_fault(32, CAUSE_FETCH_PAGE, VA4K(4) + 0x80);
    /* execute-only U page: readable from U only with MXR */
    run_u((u64)stub_ld, VA4K(7), 0);
    expect_fault(33, CAUSE_LOAD_PAGE, VA4K(7));
    csr_set(mstatus, MSTATUS_MXR);
    run_u((u64)stub_ld, VA4K(7), 0);
    expect_value(34, CAUSE_ECALL_U, 0xb007);
    csr_clear(mstatus, MSTATUS_MXR);
    /* an AMO needs both R and W: on the read-only U page it faults as a
       store (QEMU 7.2: as a load, accepted too) */
    run_u((u64)stub_amo, VA4K(6), 1);
    if (g_trap.cause != CAUSE_LOAD_PAGE) expect_fault(35, CAUSE_STORE_PAGE, VA4K(6));
    EXPECT(36, g_trap.tval, VA4K(6));
    EXPECT(37, *(u64 *)pages[6], 0xb006);
    run_u((u64)stub_amo, VA4K(4), 0x10);
    expect_value(38, CAUSE_ECALL_U, 0xb004);
    EXPECT(39, *(u64 *)pages[4], 0xb014);
    return 0;
}
