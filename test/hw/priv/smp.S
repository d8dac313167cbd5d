/* smp.S - two harts (tsix --harts 2, qemu -smp 2), both starting at
 * _start in M-mode: each reads its own mhartid; hart 1 sleeps in wfi until
 * hart 0 raises its software interrupt through msip[1], checks msip[0] is
 * clear, clears msip[1]; then both harts add 1 to a shared counter N times
 * with amoadd.w and N times with an lr.w/sc.w loop; hart 1 also checks its
 * own timer (mtimecmp[1]) drives its MTIP only; hart 0 checks the totals
 * (4N) and that its MTIP stayed clear. */
#include "bare.h"
#include "priv.h"

#define N 2000
#define SPIN 20000000

TEST_BEGIN
    csrw mie, zero
    csrr a0, mhartid
    la t0, slots
    slli t1, a0, 3
    add t0, t0, t1
    sd a0, 0(t0)
    fence rw, rw
    bnez a0, hart1

hart0:
    li t0, CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
    /* wait for hart 1 to have written its slot */
    la s6, slots
    li t1, SPIN
1:  ld a0, 8(s6)
    li t0, 1
    beq a0, t0, 2f
    addi t1, t1, -1
    bnez t1, 1b
    TEST_FAIL_CODE(1)
2:  ld a0, 0(s6)
    CHECK(a0, 0, 2)
    /* wake hart 1 */
    li t0, CLINT_MSIP + 4
    li t1, 1
    sw t1, 0(t0)
    call count
    /* wait for hart 1 to finish */
    la s7, done
    li t1, SPIN
1:  lw a0, 0(s7)
    bnez a0, 2f
    addi t1, t1, -1
    bnez t1, 1b
    TEST_FAIL_CODE(3)
2:  fence rw, rw
    CHECK(a0, 1, 4)             /* hart 1 saw everything it expected */
    la t0, counter
    lw a0, 0(t0)
    CHECK(a0, 4 * N, 5)
    li t0, CLINT_MSIP + 4
    lw a0, 0(t0)
    CHECK(a0, 0, 6)
    csrr a0, mip
    CHECK_MASK(a0, MIP_MTIP | MIP_MSIP, 0, 7)
    CHECK_CSR(mhartid, 0, 8)
    TEST_PASS

hart1:
    CHECK(a0, 1, 20)
    li t0, MIP_MSIP
    csrw mie, t0                /* MSIE, but mstatus.MIE = 0: wfi only */
1:  wfi
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    beqz t0, 1b
    li t0, CLINT_MSIP
    lw a0, 0(t0)
    CHECK(a0, 0, 21)            /* hart 0's msip untouched */
    lw a0, 4(t0)
    CHECK(a0, 1, 22)
    sw zero, 4(t0)
    li t1, 100000
1:  csrr a0, mip
    andi a0, a0, MIP_MSIP
    beqz a0, 2f
    addi t1, t1, -1
    bnez t1, 1b
    TEST_FAIL_CODE(23)
2:  call count
    /* own timer: mtimecmp[1] = 0 -> this hart's MTIP */
    li t0, CLINT_MTIMECMP + 8
    sd zero, 0(t0)
    li t1, 100000
1:  csrr a0, mip
    andi a0, a0, MIP_MTIP
    bnez a0, 2f
    addi t1, t1, -1
    bnez t1, 1b
    TEST_FAIL_CODE(24)
2:  li t1, -1
    sd t1, 0(t0)
    CHECK_CSR(mhartid, 1, 25)
    fence rw, rw
    la t0, done
    li t1, 1
    amoswap.w zero, t1, (t0)
3:  wfi
    j 3b

/* add 1 to `counter` N times with amoadd.w, N times with lr/sc */
count:
    la a1, counter
    li a2, N
    li a3, 1
1:  amoadd.w zero, a3, (a1)
    addi a2, a2, -1
    bnez a2, 1b
    li a2, N
2:  lr.w t0, (a1)
    addi t0, t0, 1
    sc.w t1, t0, (a1)
    bnez t1, 2b
    addi a2, a2, -1
    bnez a2, 2b
    ret

    .data
    .align 3
slots:
    .dword -1, -1
counter:
    .word 0
done:
    .word 0
