/* mmu_fence.c - SFENCE.VMA and ASIDs: after a PTE change, sfence.vma (all;
 * by address; by ASID; by address and ASID) executed in S makes the new
 * translation visible (remap, valid -> invalid, invalid -> valid, a 2 MiB
 * superpage flushed through any address inside it); S switching satp
 * itself; two address spaces with different ASIDs switched back and forth
 * without any fence (legal when the tables are unchanged), or with a fence
 * when the hart has no ASID bits. See mmu.h for the layout. */
#include "crt.h"
#include "mmu.h"

u64 root_b[512] __attribute__((aligned(4096)));
u64 l1a_b[512] __attribute__((aligned(4096)));
u64 l0a_b[512] __attribute__((aligned(4096)));

#define MEGA2_PA (RAM_BASE + 2 * MEGA)   /* another 2 MiB of RAM */

static u64 s_load(u64 code, u64 va)
{
    EXPECT(code, run_s((u64)stub_ld, va, 0), CAUSE_ECALL_S);
    return g_trap.a0;
}

static void s_fence(u64 code, char *stub, u64 va, u64 asid)
{
    EXPECT(code, run_s((u64)stub, va, asid), CAUSE_ECALL_S);
}

int main(void)
{
    mmu_setup();
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xd000 + i;
    *(volatile u64 *)(SPARE_PA + 0x5000) = 0x1111;
    *(volatile u64 *)(MEGA2_PA + 0x5000) = 0x2222;

    /* ---- remap VA 1 and fence in each of the four ways */
    map4k(1, (u64)pages[1], PTE_R | PTE_W | PTE_AD);
    sfence_all();
    EXPECT(1, s_load(2, VA4K(1)), 0xd001);
    map4k(1, (u64)pages[2], PTE_R | PTE_W | PTE_AD);
    s_fence(3, stub_sfence_va, VA4K(1), 0);
    EXPECT(4, s_load(5, VA4K(1)), 0xd002);
    map4k(1, (u64)pages[3], PTE_R | PTE_W | PTE_AD);
    s_fence(6, stub_sfence_all, 0, 0);
    EXPECT(7, s_load(8, VA4K(1)), 0xd003);
    map4k(1, (u64)pages[4], PTE_R | PTE_W | PTE_AD);
    s_fence(9, stub_sfence_asid, 0, 0);           /* rs2 = a register holding 0 */
    EXPECT(10, s_load(11, VA4K(1)), 0xd004);
    map4k(1, (u64)pages[5], PTE_R | PTE_W | PTE_AD);
    s_fence(12, stub_sfence_va_asid, VA4K(1) + 0x123, 0);  /* any offset */
    EXPECT(13, s_load(14, VA4K(1)), 0xd005);

    /* ---- valid -> invalid, then invalid -> valid */
    l0a[1] = 0;
    s_fence(15, stub_sfence_va, VA4K(1), 0);
    EXPECT(16, run_s((u64)stub_ld, VA4K(1), 0), CAUSE_LOAD_PAGE);
    map4k(1, (u64)pages[6], PTE_R | PTE_AD);
    s_fence(17, stub_sfence_va, VA4K(1), 0);
    EXPECT(18, s_load(19, VA4K(1)), 0xd006);
    /* a permission change: R -> R W */
    EXPECT(20, run_s((u64)stub_sd, VA4K(1), 1), CAUSE_STORE_PAGE);
    map4k(1, (u64)pages[6], PTE_R | PTE_W | PTE_AD);
    s_fence(21, stub_sfence_va, VA4K(1), 0);
    EXPECT(22, run_s((u64)stub_sd, VA4K(1), 0x66), CAUSE_ECALL_S);
    EXPECT(23, *(u64 *)pages[6], 0x66);

    /* ---- a 2 MiB page, flushed by an address inside it other than the one
       used */
    l1a[1] = PTE(SPARE_PA, PTE_V | PTE_R | PTE_AD);
    sfence_all();
    EXPECT(24, s_load(25, MEGA + 0x5000), 0x1111);
    l1a[1] = PTE(MEGA2_PA, PTE_V | PTE_R | PTE_AD);
    s_fence(26, stub_sfence_va, MEGA + 0x1ff000, 0);
    EXPECT(27, s_load(28, MEGA + 0x5000), 0x2222);

    /* ---- a second address space: root_b maps VA 1 -> pages[9] */
    for (int i = 0; i < 512; i++) {
        root_b[i] = root[i];
        l1a_b[i] = l1a[i];
        l0a_b[i] = l0a[i];
    }
    root_b[0] = PTE(l1a_b, PTE_V);
    l1a_b[0] = PTE(l0a_b, PTE_V);
    l0a_b[1] = PTE(pages[9], PTE_V | PTE_R | PTE_AD);
    map4k(1, (u64)pages[8], PTE_R | PTE_AD);
    sfence_all();
    /* S switches satp itself, with a fence (same ASID 0) */
    EXPECT(29, run_s((u64)stub_satp_fence_ld, SATP(root_b, 0), VA4K(1)), CAUSE_ECALL_S);
    EXPECT(30, g_trap.a0, 0xd009);
    EXPECT(31, csr_read(satp), SATP(root_b, 0));
    EXPECT(32, run_s((u64)stub_satp_fence_ld, SATP(root, 0), VA4K(1)), CAUSE_ECALL_S);
    EXPECT(33, g_trap.a0, 0xd008);

    /* ---- ASIDs: how many bits does satp keep? */
    csr_write(satp, SATP(root, 0xffff));
    u64 asid_mask = (csr_read(satp) >> 44) & 0xffff;
    csr_write(satp, SATP(root, 0));
    sfence_all();
    if (asid_mask >= 3) {
        /* ASIDs 1 and 2: switch back and forth with no fence at all */
        csr_write(satp, SATP(root, 1));
        EXPECT(34, csr_read(satp), SATP(root, 1));
        sfence_all();
        EXPECT(35, s_load(36, VA4K(1)), 0xd008);
        for (int i = 0; i < 3; i++) {
            EXPECT(37, run_s((u64)stub_satp_ld, SATP(root_b, 2), VA4K(1)), CAUSE_ECALL_S);
            EXPECT(38, g_trap.a0, 0xd009);
            EXPECT(39, run_s((u64)stub_satp_ld, SATP(root, 1), VA4K(1)), CAUSE_ECALL_S);
            EXPECT(40, g_trap.a0, 0xd008);
        }
        /* satp written by M, no fence, then S loads */
        csr_write(satp, SATP(root_b, 2));
        EXPECT(41, s_load(42, VA4K(1)), 0xd009);
        csr_write(satp, SATP(root, 1));
        EXPECT(43, s_load(44, VA4K(1)), 0xd008);
        /* a PTE change in ASID 1, fenced by ASID (x0, asid) */
        map4k(1, (u64)pages[10], PTE_R | PTE_AD);
        s_fence(45, stub_sfence_asid, 0, 1);
        EXPECT(46, s_load(47, VA4K(1)), 0xd00a);
        /* ... and by address + ASID */
        map4k(1, (u64)pages[11], PTE_R | PTE_AD);
        s_fence(48, stub_sfence_va_asid, VA4K(1), 1);
        EXPECT(49, s_load(50, VA4K(1)), 0xd00b);
        /* ASID 2 is still right */
        csr_write(satp, SATP(root_b, 2));
        EXPECT(51, s_load(52, VA4K(1)), 0xd009);
        /* a change in ASID 2's table fenced while ASID 1 is current: an
           sfence.vma for ASID 2 from S (with satp.ASID = 1) */
        csr_write(satp, SATP(root, 1));
        l0a_b[1] = PTE(pages[12], PTE_V | PTE_R | PTE_AD);
        s_fence(53, stub_sfence_asid, 0, 2);
        csr_write(satp, SATP(root_b, 2));
        EXPECT(54, s_load(55, VA4K(1)), 0xd00c);
    } else {
        /* no ASID bits: switching needs a fence each time */
        for (int i = 0; i < 3; i++) {
            EXPECT(56, run_s((u64)stub_satp_fence_ld, SATP(root_b, 0), VA4K(1)), CAUSE_ECALL_S);
            EXPECT(57, g_trap.a0, 0xd009);
            EXPECT(58, run_s((u64)stub_satp_fence_ld, SATP(root, 0), VA4K(1)), CAUSE_ECALL_S);
            EXPECT(59, g_trap.a0, 0xd008);
        }
    }
    return 0;
}
