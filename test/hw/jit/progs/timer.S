/* timer.S - timer interrupt latency under the second execution tier.
 * M-mode arms mtimecmp = mtime + DELAY, enables MTIE and MIE and spins in a
 * loop with one taken branch per BODY instructions. The handler records
 * minstret, mtime and the loop counter in `rec` (read by the test) and
 * passes. The interrupt must come within one loop body of mtime reaching
 * mtimecmp, at the same instruction in both tiers. */
#include "bare.h"

#define DELAY 5000

TEST_BEGIN
    la t0, m_trap
    csrw mtvec, t0
    li s6, 0x2004000            /* mtimecmp of hart 0 */
    li s7, 0x200bff8            /* mtime */
    ld t0, 0(s7)
    li t1, DELAY
    add t0, t0, t1
    sd t0, 0(s6)
    li t0, 1 << 7
    csrw mie, t0
    li s2, 0
    csrsi mstatus, 8
1:  addi s2, s2, 1
    .rept 30
    addi s3, s3, 1
    .endr
    j 1b

    .balign 4
m_trap:
    csrr t0, minstret
    ld t1, 0(s7)
    ld t2, 0(s6)
    la t3, rec
    sd t0, 0(t3)
    sd t1, 8(t3)
    sd t2, 16(t3)
    sd s2, 24(t3)
    csrr t0, mcause
    sd t0, 32(t3)
    csrr t0, mepc
    sd t0, 40(t3)
    TEST_PASS

    .data
    .balign 8
    .globl rec
rec: .zero 48
