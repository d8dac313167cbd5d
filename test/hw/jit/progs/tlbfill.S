/* tlbfill.S - data TLB misses inside a translated loop: each leaves the
 * region before the access, and the interpreter's walk refills the entry.
 * S-mode under Sv39: the program runs from a 1 GiB identity leaf;
 * VA 0x40000000.. maps PAGES 4 KiB pages through two level-0 tables whose
 * PTEs have neither A nor D set, so each first read sets A and each first
 * write sets D. The two
 * tables map VPNs that collide in the direct-mapped TLB (512 entries), so
 * every access of the second pass misses again. The last page is unmapped:
 * the load from it after the passes faults precisely (mcause 13, mtval,
 * mepc), and M-mode checks the sum and the A/D bits the walks set. */
#include "bare.h"

#define PAGES 1024
#define VBASE 0x40000000
#define PBASE 0x81000000        /* 4 MiB of backing RAM, clear of the program */

TEST_BEGIN
    SV39_IDENTITY(root)
    SV39_TABLE(root, 1, l1)
    SV39_TABLE(l1, 0, l0a)
    SV39_TABLE(l1, 1, l0b)
    /* l0a and l0b (contiguous): PTE i -> PBASE + 4096 i, V R W, no A, no D; the last stays 0 */
    la t0, l0a
    li t1, PBASE >> 12
    li t2, PAGES - 1
1:  slli t3, t1, 10
    ori t3, t3, 0x7
    sd t3, 0(t0)
    addi t0, t0, 8
    addi t1, t1, 1
    addi t2, t2, -1
    bnez t2, 1b
    SV39_ON(root)
    li s0, VBASE
    li s1, PAGES - 1
    li s2, 0
    li s4, 2
    ENTER_S(s_code, m_trap)

s_code:
pass:
    mv t0, s0
    li t1, 0
    li t3, 4096
1:  ld t2, 0(t0)                /* read miss: the walk sets A */
    add s2, s2, t2
    addi t2, t2, 1
    sd t2, 0(t0)                /* write miss: the walk sets D */
    add t0, t0, t3
    addi t1, t1, 1
    blt t1, s1, 1b
    addi s4, s4, -1
    bnez s4, pass
fault_ld:
    ld t2, 0(t0)                /* the unmapped last page */
    TEST_FAIL_CODE(1)

    .balign 4
m_trap:
    csrr t0, mcause
    li t2, 13
    bne t0, t2, fail2
    csrr t0, mtval
    li t2, VBASE + (PAGES - 1) * 4096
    bne t0, t2, fail3
    csrr t0, mepc
    la t2, fault_ld
    bne t0, t2, fail4
    li t2, PAGES - 1            /* pass 1 stored 1 in every page, pass 2 summed them */
    bne s2, t2, fail5
    /* every mapped leaf has A and D now; the unmapped one is still 0 */
    la t0, l0a
    li t1, PAGES - 1
2:  ld t3, 0(t0)
    andi t3, t3, 0xff
    li t2, 0xc7
    bne t3, t2, fail6
    addi t0, t0, 8
    addi t1, t1, -1
    bnez t1, 2b
    ld t3, 0(t0)
    bnez t3, fail7
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)
fail4: TEST_FAIL_CODE(4)
fail5: TEST_FAIL_CODE(5)
fail6: TEST_FAIL_CODE(6)
fail7: TEST_FAIL_CODE(7)

    .data
    .balign 4096
root: .zero 4096
l1:   .zero 4096
l0a:  .zero 4096
l0b:  .zero 4096
