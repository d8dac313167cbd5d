/* harness.S - the fixed part of a differential-test program (see gen.ts).
 *
 * A generated program includes this file, then defines blocks seq_0 ..
 * seq_<n-1> in section .text.seq, each
 *     SEQ_BEGIN idx, next_block, image, init_table
 *     <the random sequence>
 *     SEQ_END idx
 * and a final block seq_<n> that jumps to diff_done. It is built as:
 *   - (no define) a static Linux ELF for qemu-riscv64, output via write(2);
 *   - -DBARE: an M-mode ELF for `tsix machine --bare`, output via the UART;
 *   - -DBARE -DPAGED: the same, but the blocks run in U-mode under Sv39.
 * diff.ld places the blocks, their tables and the data area at the same
 * addresses in every build, so pc- and address-derived values agree.
 *
 * Per block the program prints one line
 *     S <idx> <x1..x31> <f0..f31> <fcsr> <checksum of the data area>
 * (all 16-digit hex), plus with -DDUMP_AREA a line "D <idx> <512 dwords>".
 * A trap inside a block prints "T <idx> <code> <pc> <addr>" and the program
 * goes on with the next block: on tsix code = mcause, addr = mtval (M-mode
 * trap handler); under Linux code = the signal (SIGILL, SIGTRAP, SIGBUS,
 * SIGSEGV), addr = si_addr (signal handler on an alternate stack, resuming
 * by rewriting the saved pc). The last line is "END".
 *
 * PAGED: every page maps to itself except the two pages of the data area,
 * which map to swapped, distant physical pages, and the code pages of the
 * blocks, which are moved to physical pages in reverse order (the originals
 * are zeroed), so accesses and instructions straddling a page boundary must
 * be split by the MMU. The program only ever sees virtual addresses, as under
 * qemu-riscv64.
 */
#ifdef BARE
#include "bare.h"
#endif
/* PAGED: physical pages behind the data area's two virtual pages */
#define DIFF_PA_LO 0x80170000
#define DIFF_PA_HI 0x80190000
#define DIFF_PA_CODE 0x80200000        /* up to 0x70000 bytes of blocks */

    .option norelax

/* ---- per-block macros (identical code in both builds) -------------------- */

/* Record the block for the trap handler, clear any LR reservation, fill the
   data area from `image`, then load every register from `table`
   (65 dwords: x0..x31, f0..f31, fcsr; x0 unused). */
.macro SEQ_BEGIN idx, next, image, table
    lla t0, diff_cur
    li t1, \idx
    sd t1, 0(t0)
    lla t1, \next
    sd t1, 8(t0)
    lla t0, diff_resv
    sc.d zero, zero, (t0)
    lla a0, \image
    lla a1, diff_area
    call diff_copy
    lla s0, \table
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld f\n, 256+8*\n(s0)
    .endr
    ld t0, 512(s0)
    fscsr t0
    .irp n, 1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\n, 8*\n(s0)
    .endr
    ld s0, 64(s0)
.endm

/* Store the state into diff_result. s0 (x8) is never written by a sequence:
   it still points at diff_area+2048, so diff_result = s0 + 2048. */
.macro SEQ_END idx
    addi s0, s0, 2047
    addi s0, s0, 1
    .irp n, 1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\n, 8*\n(s0)
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd f\n, 256+8*\n(s0)
    .endr
    frcsr t0
    sd t0, 512(s0)
    addi t0, s0, -2048
    sd t0, 64(s0)
    li a0, \idx
    call diff_report
.endm

/* ---- the harness proper ---------------------------------------------------- */
    .section .text.init, "ax"
    .globl _start
_start:
#ifdef BARE
    li t0, (1 << 13)           /* mstatus.FS = Initial */
    csrs mstatus, t0
    lla t0, diff_trap
    csrw mtvec, t0
#else
    /* Linux: SIGILL/SIGTRAP/SIGBUS/SIGSEGV inside a block print a "T" line
       and go on with the next block, like tsix's trap handler. */
    lla a0, diff_sigstack      /* sigaltstack: the blocks' sp is not a stack */
    li t0, 65536
    lla a1, diff_ss
    sd a0, 0(a1)               /* ss_sp */
    sd zero, 8(a1)             /* ss_flags */
    sd t0, 16(a1)              /* ss_size */
    mv a0, a1
    li a1, 0
    li a7, 132                 /* sigaltstack */
    ecall
    bnez a0, 9f
    .irp sig, 4, 5, 7, 11      /* SIGILL SIGTRAP SIGBUS SIGSEGV */
    lla a1, diff_sa
    lla t0, diff_signal
    sd t0, 0(a1)               /* sa_handler */
    li t0, 0x48000004          /* SA_SIGINFO | SA_ONSTACK | SA_NODEFER */
    sd t0, 8(a1)               /* sa_flags */
    sd zero, 16(a1)            /* sa_mask */
    li a0, \sig
    li a2, 0
    li a3, 8
    li a7, 134                 /* rt_sigaction */
    ecall
    bnez a0, 9f
    .endr
    j 8f
9:  li a0, 5
    li a7, 93
    ecall
8:
#endif
#ifdef PAGED
    li t0, -1                  /* PMP: everything for U-mode */
    csrw pmpaddr0, t0
    li t0, 0x1f                /* NAPOT, R W X */
    csrw pmpcfg0, t0
    /* root[0]: gigapage 0 (the devices), V R W U A D */
    lla t0, diff_pt_root
    li t1, 0xd7
    sd t1, 0(t0)
    /* root[2] -> L1 (0x80000000..) */
    lla t1, diff_pt_l1
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, 1
    sd t1, 16(t0)
    /* L1[1..511]: identity megapages, V R W X U A D */
    lla t0, diff_pt_l1
    li t2, 1
    li t4, 0x80000000
    li t6, 512
1:  slli t3, t2, 21
    add t3, t3, t4
    srli t3, t3, 2
    ori t3, t3, 0xdf
    slli t5, t2, 3
    add t5, t5, t0
    sd t3, 0(t5)
    addi t2, t2, 1
    bne t2, t6, 1b
    /* L1[0] -> L0 (0x80000000..0x801fffff) */
    lla t1, diff_pt_l0
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, 1
    sd t1, 0(t0)
    /* L0[i]: identity 4 KiB pages */
    lla t0, diff_pt_l0
    li t2, 0
2:  slli t3, t2, 12
    add t3, t3, t4
    srli t3, t3, 2
    ori t3, t3, 0xdf
    slli t5, t2, 3
    add t5, t5, t0
    sd t3, 0(t5)
    addi t2, t2, 1
    bne t2, t6, 2b
    /* the data area's two pages -> DIFF_PA_HI, DIFF_PA_LO (swapped, far apart) */
    lla t1, diff_area
    srli t1, t1, 12
    andi t1, t1, 511
    slli t1, t1, 3
    add t1, t1, t0             /* &L0[page of diff_area] */
    li t3, (DIFF_PA_HI >> 2) | 0xdf
    sd t3, 0(t1)
    li t3, (DIFF_PA_LO >> 2) | 0xdf
    sd t3, 8(t1)
    /* the blocks' code pages: moved to DIFF_PA_CODE in reverse page order,
       so code running across a page boundary crosses distant physical pages */
    lla a0, diff_seq_start     /* page aligned (diff.ld) */
    lla a1, diff_seq_end
    sub a1, a1, a0
    li t1, 4095
    add a1, a1, t1
    srli a1, a1, 12            /* n pages */
    li a2, 0                   /* i */
3:  slli a3, a2, 12
    add a3, a3, a0             /* source page (VA = PA) */
    sub a4, a1, a2
    addi a4, a4, -1
    slli a4, a4, 12
    li a5, DIFF_PA_CODE
    add a4, a4, a5             /* destination: DIFF_PA_CODE + (n-1-i) pages */
    srli t3, a4, 2
    ori t3, t3, 0xdf
    srli t1, a3, 12
    andi t1, t1, 511
    slli t1, t1, 3
    add t1, t1, t0
    sd t3, 0(t1)               /* L0[page of source] -> destination */
    li t1, 4096
    add t1, t1, a3
4:  ld t2, 0(a3)
    sd t2, 0(a4)
    sd zero, 0(a3)             /* the original is no longer reachable: make it illegal */
    addi a3, a3, 8
    addi a4, a4, 8
    bne a3, t1, 4b
    addi a2, a2, 1
    bne a2, a1, 3b
    lla t0, diff_pt_root
    srli t0, t0, 12
    li t1, 8
    slli t1, t1, 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    li t0, (3 << 11)           /* mret to U-mode */
    csrc mstatus, t0
    lla t0, diff_user
    csrw mepc, t0
    mret
diff_user:
#endif
    lla sp, diff_stack_top
    j seq_0

    .globl diff_done
diff_done:
    lla sp, diff_stack_top
    lla a0, diff_msg_end
    li a1, 4
    call diff_emit
#ifdef BARE
    TEST_PASS
#else
    li a0, 0
    li a7, 93                  /* exit */
    ecall
#endif

/* diff_emit(a0 = buffer, a1 = length): write bytes to the output. */
diff_emit:
#ifdef BARE
    li t0, UART0
1:  beqz a1, 3f
2:  lbu t1, 5(t0)              /* LSR.THRE */
    andi t1, t1, 0x20
    beqz t1, 2b
    lbu t1, 0(a0)
    sb t1, 0(t0)
    addi a0, a0, 1
    addi a1, a1, -1
    j 1b
3:  ret
#else
    mv t2, a0
    mv t3, a1
1:  blez t3, 2f
    li a0, 1                   /* stdout */
    mv a1, t2
    mv a2, t3
    li a7, 64                  /* write */
    ecall
    blez a0, 3f
    add t2, t2, a0
    sub t3, t3, a0
    j 1b
2:  ret
3:  li a0, 3
    li a7, 93
    ecall
#endif

/* diff_copy(a0 = source, a1 = destination): copy 4096 bytes. */
diff_copy:
    li t2, 4096
    add t2, t2, a0
1:  ld t0, 0(a0)
    sd t0, 0(a1)
    addi a0, a0, 8
    addi a1, a1, 8
    bne a0, t2, 1b
    ret

/* diff_hex(a0 = value, a1 = buffer): append " %016x"; returns the new a1. */
diff_hex:
    li t0, ' '
    sb t0, 0(a1)
    addi a1, a1, 1
    li t2, 60
1:  srl t0, a0, t2
    andi t0, t0, 15
    li t1, 10
    blt t0, t1, 2f
    addi t0, t0, 'a' - '0' - 10
2:  addi t0, t0, '0'
    sb t0, 0(a1)
    addi a1, a1, 1
    addi t2, t2, -4
    bgez t2, 1b
    ret

/* diff_report(a0 = block index): print the block's result line(s). */
diff_report:
    lla sp, diff_stack_top
    addi sp, sp, -16
    sd ra, 0(sp)
    mv s1, a0
    lla s2, diff_line
    mv a1, s2
    li t0, 'S'
    sb t0, 0(a1)
    addi a1, a1, 1
    mv a0, s1
    call diff_hex
    lla s4, diff_result + 8     /* x1 .. x31, f0 .. f31, fcsr */
    lla s5, diff_result + 520
1:  ld a0, 0(s4)
    call diff_hex
    addi s4, s4, 8
    bne s4, s5, 1b
    lla s4, diff_area           /* checksum: h = rotl(h, 7) ^ dword */
    li s5, 4096
    add s5, s5, s4
    li s6, 0
2:  ld t0, 0(s4)
    slli t1, s6, 7
    srli s6, s6, 57
    or s6, s6, t1
    xor s6, s6, t0
    addi s4, s4, 8
    bne s4, s5, 2b
    mv a0, s6
    call diff_hex
#ifdef DUMP_AREA
    li t0, '\n'
    sb t0, 0(a1)
    li t0, 'D'
    sb t0, 1(a1)
    addi a1, a1, 2
    mv a0, s1
    call diff_hex
    lla s4, diff_area
    li s5, 4096
    add s5, s5, s4
3:  ld a0, 0(s4)
    call diff_hex
    addi s4, s4, 8
    bne s4, s5, 3b
#endif
    li t0, '\n'
    sb t0, 0(a1)
    addi a1, a1, 1
    sub a1, a1, s2
    mv a0, s2
    call diff_emit
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

#ifndef BARE
/* Linux signal handler (a0 = signal, a1 = siginfo, a2 = ucontext): print
   "T idx signal pc si_addr" and resume at the next block by rewriting the
   saved pc (ucontext.uc_mcontext.sc_regs.pc, offset 176 on riscv64). */
diff_signal:
    addi sp, sp, -16
    sd ra, 0(sp)               /* the sigreturn trampoline */
    ld s3, 176(a2)             /* pc */
    mv s4, a2
    mv s5, a0
    ld s6, 16(a1)              /* si_addr */
    lla t1, diff_seq_start
    bltu s3, t1, 8f
    lla t1, diff_seq_end
    bgeu s3, t1, 8f
    lla s2, diff_line
    mv a1, s2
    li t0, 'T'
    sb t0, 0(a1)
    addi a1, a1, 1
    lla t0, diff_cur
    ld a0, 0(t0)
    call diff_hex
    mv a0, s5
    call diff_hex
    mv a0, s3
    call diff_hex
    mv a0, s6
    call diff_hex
    li t0, '\n'
    sb t0, 0(a1)
    addi a1, a1, 1
    sub a1, a1, s2
    mv a0, s2
    call diff_emit
    lla t0, diff_cur
    ld t0, 8(t0)
    sd t0, 176(s4)             /* resume at the next block */
    ld ra, 0(sp)
    addi sp, sp, 16
    ret
8:  li a0, 4                   /* a fault outside the blocks: give up */
    li a7, 93
    ecall
#endif

#ifdef BARE
/* A trap inside a block: print "T idx mcause mepc mtval" and go on with the
   next block. A trap outside the blocks, or too many, ends the run. */
    .balign 4
diff_trap:
    lla sp, diff_stack_top
    csrr t0, mepc
    lla t1, diff_seq_start
    bltu t0, t1, 8f
    lla t1, diff_seq_end
    bgeu t0, t1, 8f
    lla t0, diff_traps
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    li t2, 10000
    bgeu t1, t2, 8f
    lla s2, diff_line
    mv a1, s2
    li t0, 'T'
    sb t0, 0(a1)
    addi a1, a1, 1
    lla t0, diff_cur
    ld a0, 0(t0)
    call diff_hex
    csrr a0, mcause
    call diff_hex
    csrr a0, mepc
    call diff_hex
    csrr a0, mtval
    call diff_hex
    li t0, '\n'
    sb t0, 0(a1)
    addi a1, a1, 1
    sub a1, a1, s2
    mv a0, s2
    call diff_emit
    lla t0, diff_cur
    ld t0, 8(t0)
    csrw mepc, t0
    li t0, (3 << 11)
#ifdef PAGED
    csrc mstatus, t0           /* return to U-mode */
#else
    csrs mstatus, t0           /* return to M-mode */
#endif
    mret
8:  la s2, diff_line
    mv a1, s2
    li t0, 'X'                 /* fatal: trap outside a block */
    sb t0, 0(a1)
    addi a1, a1, 1
    csrr a0, mcause
    call diff_hex
    csrr a0, mepc
    call diff_hex
    csrr a0, mtval
    call diff_hex
    li t0, '\n'
    sb t0, 0(a1)
    addi a1, a1, 1
    sub a1, a1, s2
    mv a0, s2
    call diff_emit
    TEST_FAIL_CODE(2)
#endif

diff_msg_end:
    .ascii "END\n"

    .section .bss.harness, "aw", @nobits
#ifdef PAGED
    .balign 4096
diff_pt_root: .skip 4096
diff_pt_l1:   .skip 4096
diff_pt_l0:   .skip 4096
#endif
    .balign 16
diff_cur:   .skip 16           /* current block index, next block address */
diff_resv:  .skip 16           /* target of the reservation-clearing sc.d */
diff_traps: .skip 8
    .balign 16
diff_line:  .skip 16384
    .skip 4096
diff_stack_top:
#ifndef BARE
    .balign 16
diff_ss:    .skip 24
diff_sa:    .skip 32
    .balign 16
diff_sigstack: .skip 65536
#endif
