/* pagefault.S - a page fault in the middle of a translated loop.
 * S-mode under Sv39 (one 1 GiB identity leaf for the program) runs a loop
 * that stores a log entry, does some work and then loads through a pointer
 * from a table; the 50th pointer is unmapped (VA 0x1000). The fault goes to
 * M-mode, which checks that exactly the instructions before the faulting load
 * ran: the log, the counters, mepc = the load, mtval = 0x1000, scause/mcause =
 * 13, and nothing after it in that iteration. */
#include "bare.h"

#define N 50
#define BAD 0x1000

TEST_BEGIN
    SV39_IDENTITY(root)
    SV39_ON(root)
    li s2, 0
    li s4, N
    li s5, 0
    li s6, 0
    la s3, ptrs
    la s7, log
    ENTER_S(s_code, m_trap)

s_code:
1:  ld t1, 0(s3)
    sd s2, 0(s7)
    addi s5, s5, 7
    addi s7, s7, 8
fault_ld:
    ld t0, 0(t1)
    addi s6, s6, 1
    addi s3, s3, 8
    addi s2, s2, 1
    blt s2, s4, 1b
    TEST_FAIL_CODE(1)           /* the loop must not finish */

    .balign 4
m_trap:
    csrr t0, mcause
    li t2, 13
    bne t0, t2, fail2
    csrr t0, mtval
    li t2, BAD
    bne t0, t2, fail3
    csrr t0, mepc
    la t2, fault_ld
    bne t0, t2, fail4
    li t2, N - 1
    bne s2, t2, fail5           /* iterations completed before the fault */
    bne s6, t2, fail6           /* the instruction after the load did not run */
    li t2, 7 * N
    bne s5, t2, fail7           /* the work before the load ran */
    li t2, BAD
    bne t1, t2, fail8
    /* the log holds 0..N-1 */
    la t0, log
    li t2, 0
2:  ld t3, 0(t0)
    bne t3, t2, fail9
    addi t0, t0, 8
    addi t2, t2, 1
    li t3, N
    blt t2, t3, 2b
    TEST_PASS
fail2: TEST_FAIL_CODE(2)
fail3: TEST_FAIL_CODE(3)
fail4: TEST_FAIL_CODE(4)
fail5: TEST_FAIL_CODE(5)
fail6: TEST_FAIL_CODE(6)
fail7: TEST_FAIL_CODE(7)
fail8: TEST_FAIL_CODE(8)
fail9: TEST_FAIL_CODE(9)

    .data
    .balign 8
ptrs:
    .rept N - 1
    .dword valid
    .endr
    .dword BAD
valid: .dword 0
log: .zero 8 * N
    .balign 4096
root: .zero 4096
