/* tlb_asid.c - what tsix's TLB caches across ASIDs (hw/core/mmu.ts), seen
 * through stale translations: a PTE is changed without a fence, so a load
 * returns the old page's value exactly when the TLB still holds the old
 * entry. These are tsix's caching choices, which the privileged spec allows
 * but does not require (so this runs on tsix only, test/hw/asid.test.ts):
 *  - entries of ASID 1 survive satp writes to ASID 2 and back (no flush),
 *    and never hit under ASID 2 (another table, another value);
 *  - a global (G) entry cached under ASID 1 hits under ASID 2;
 *  - sfence.vma x0, asid drops that ASID's non-global entries only;
 *  - sfence.vma va, asid drops that page of that ASID only, not a global page;
 *  - sfence.vma va, x0 and sfence.vma x0, x0 drop global entries too;
 *  - more ASIDs than the TLB keeps banks for: still never a wrong hit.
 * Value 0xd000 + i is page i's. */
#include "../priv/crt.h"
#include "../priv/mmu.h"

u64 root_b[512] __attribute__((aligned(4096)));
u64 l1a_b[512] __attribute__((aligned(4096)));
u64 l0a_b[512] __attribute__((aligned(4096)));

static u64 s_load(u64 code, u64 va)
{
    EXPECT(code, run_s((u64)stub_ld, va, 0), CAUSE_ECALL_S);
    return g_trap.a0;
}

static void s_fence(u64 code, char *stub, u64 va, u64 asid)
{
    EXPECT(code, run_s((u64)stub, va, asid), CAUSE_ECALL_S);
}

static void map4k_b(unsigned k, u64 pa, u64 flags) { l0a_b[k] = PTE(pa, flags | PTE_V); }

int main(void)
{
    mmu_setup();
    for (int i = 0; i < NPAGES; i++) *(u64 *)pages[i] = 0xd000 + i;
    for (int i = 0; i < 512; i++) {
        root_b[i] = root[i];
        l1a_b[i] = l1a[i];
        l0a_b[i] = 0;
    }
    root_b[0] = PTE(l1a_b, PTE_V);
    l1a_b[0] = PTE(l0a_b, PTE_V);

    /* ASID 1: VA1 -> page 1, VA3 -> page 7; ASID 2: VA1 -> page 2;
       both: VA2 -> page 3, global */
    map4k(1, (u64)pages[1], PTE_R | PTE_AD);
    map4k(3, (u64)pages[7], PTE_R | PTE_AD);
    map4k_b(1, (u64)pages[2], PTE_R | PTE_AD);
    map4k(2, (u64)pages[3], PTE_R | PTE_G | PTE_AD);
    map4k_b(2, (u64)pages[3], PTE_R | PTE_G | PTE_AD);

    csr_write(satp, SATP(root, 1));
    sfence_all();
    EXPECT(1, s_load(2, VA4K(1)), 0xd001);
    EXPECT(3, s_load(4, VA4K(3)), 0xd007);
    EXPECT(5, s_load(6, VA4K(2)), 0xd003);      /* the global entry, cached under ASID 1 */

    /* ASID 2 sees its own table at VA1, not ASID 1's cached entry */
    csr_write(satp, SATP(root_b, 2));
    EXPECT(7, s_load(8, VA4K(1)), 0xd002);

    /* ASID 1's VA1 now points at page 4, unfenced; back in ASID 1 the cached
       entry is still there: the satp writes flushed nothing */
    map4k(1, (u64)pages[4], PTE_R | PTE_AD);
    csr_write(satp, SATP(root, 1));
    EXPECT(9, s_load(10, VA4K(1)), 0xd001);

    /* the global page moves to page 5 in both tables, unfenced: ASID 2 has
       never loaded VA2, yet hits the global entry cached under ASID 1 */
    map4k(2, (u64)pages[5], PTE_R | PTE_G | PTE_AD);
    map4k_b(2, (u64)pages[5], PTE_R | PTE_G | PTE_AD);
    csr_write(satp, SATP(root_b, 2));
    EXPECT(11, s_load(12, VA4K(2)), 0xd003);

    /* sfence.vma x0, 2 (from S, in ASID 2): ASID 2's VA1 (moved to page 6)
       is refetched; the global entry and ASID 1's entries stay */
    EXPECT(13, s_load(14, VA4K(1)), 0xd002);
    map4k_b(1, (u64)pages[6], PTE_R | PTE_AD);
    s_fence(15, stub_sfence_asid, 0, 2);
    EXPECT(16, s_load(17, VA4K(1)), 0xd006);
    EXPECT(18, s_load(19, VA4K(2)), 0xd003);
    csr_write(satp, SATP(root, 1));
    EXPECT(20, s_load(21, VA4K(1)), 0xd001);
    EXPECT(22, s_load(23, VA4K(3)), 0xd007);

    /* sfence.vma VA1, 1 (issued while ASID 2 is current, as a kernel
       fencing another address space): only that page of ASID 1 */
    map4k(3, (u64)pages[8], PTE_R | PTE_AD);
    csr_write(satp, SATP(root_b, 2));
    s_fence(24, stub_sfence_va_asid, VA4K(1), 1);
    csr_write(satp, SATP(root, 1));
    EXPECT(25, s_load(26, VA4K(1)), 0xd004);
    EXPECT(27, s_load(28, VA4K(3)), 0xd007);

    /* an address-and-ASID fence leaves a global entry; an address fence
       with rs2 = x0 does not */
    s_fence(29, stub_sfence_va_asid, VA4K(2), 1);
    EXPECT(30, s_load(31, VA4K(2)), 0xd003);
    s_fence(32, stub_sfence_va, VA4K(2), 0);
    EXPECT(33, s_load(34, VA4K(2)), 0xd005);

    /* sfence.vma x0, x0: everything */
    s_fence(35, stub_sfence_all, 0, 0);
    EXPECT(36, s_load(37, VA4K(3)), 0xd008);

    /* sfence.vma x0, 1 leaves a global entry: cache the global page again,
       move it, fence ASID 1 */
    EXPECT(44, s_load(45, VA4K(2)), 0xd005);
    map4k(2, (u64)pages[9], PTE_R | PTE_G | PTE_AD);
    s_fence(38, stub_sfence_asid, 0, 1);
    EXPECT(39, s_load(40, VA4K(2)), 0xd005);
    sfence_all();

    /* more ASIDs than the TLB has banks (8), round after round: VA1 is
       remapped to ASID a's own page before each switch to a, unfenced, so
       an entry of a that survived and a fresh walk both give page a, and
       only another ASID's entry hitting could give anything else */
    for (int round = 0; round < 3; round++) {
        for (unsigned a = 3; a < 3 + 12; a++) {
            map4k(1, (u64)pages[a], PTE_R | PTE_AD);
            csr_write(satp, SATP(root, a));
            EXPECT(41, s_load(42, VA4K(1)), 0xd000 + a);
        }
    }
    return 0;
}
