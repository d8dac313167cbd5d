/* priv.h - helpers for the privileged-architecture tests (assembly).
 * Include after bare.h. Written from the RISC-V privileged spec 1.12 and the
 * QEMU virt memory map; every program is validated on qemu-system-riscv64.
 *
 * Trap-recording convention used by the assembly tests:
 *   s1 = where the trap handler resumes (set with EXPECT_TRAP(label)),
 *   after a trap the handler leaves  s2 = xcause, s3 = xepc, s4 = xtval,
 *   s5 = xstatus (as read in the handler), and jumps to s1 in the mode that
 *   took the trap (M for M_TRAP_RECORD, S for S_TRAP_RECORD).
 * Registers s1-s5 and t6 (CHECK) are reserved for this; tests use a*, t0-t5,
 * s6-s11.
 */
#ifndef PRIV_H
#define PRIV_H

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* mstatus bits */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

/* interrupt numbers / mip-mie bits */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)

/* exception causes */
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_ILLEGAL   2
#define CAUSE_BREAKPOINT 3
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U   8
#define CAUSE_ECALL_S   9
#define CAUSE_ECALL_M   11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE  13
#define CAUSE_STORE_PAGE 15

/* CLINT (SiFive/ACLINT layout on QEMU virt) */
#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8

/* PLIC (QEMU virt): context for hart h: M = 2h, S = 2h + 1 */
#define PLIC_BASE      0xc000000
#define PLIC_PRIORITY(src) (PLIC_BASE + 4 * (src))
#define PLIC_PENDING   (PLIC_BASE + 0x1000)
#define PLIC_ENABLE(ctx)   (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)    (PLIC_BASE + 0x200004 + 0x1000 * (ctx))
#define UART_IRQ 10

/* 16550 UART registers (byte offsets from UART0) */
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_FCR 2
#define UART_LCR 3
#define UART_LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20

/* CSR numbers not known to every assembler */
#define CSR_MENVCFG  0x30a
#define CSR_STIMECMP 0x14d

/* Write xtvec with the address of `label` (direct mode). Clobbers t0. */
#define SET_MTVEC(label) la t0, label; csrw mtvec, t0;
#define SET_STVEC(label) la t0, label; csrw stvec, t0;

/* The trap handler will resume at `label`. */
#define EXPECT_TRAP(label) la s1, label;

/* mret into privilege `mode` (PRV_U / PRV_S) at `label`. Clobbers t0. */
#define ENTER_MODE(mode, label)           \
    li t0, MSTATUS_MPP;                   \
    csrc mstatus, t0;                     \
    li t0, ((mode) << 11);                \
    csrs mstatus, t0;                     \
    la t0, label;                         \
    csrw mepc, t0;                        \
    mret;

/* Trap handlers that record the trap (see convention above). Place them
   anywhere in the text; they are 4-byte aligned as xtvec requires. */
#define M_TRAP_RECORD(name)               \
    .align 2;                             \
name:                                     \
    csrr s2, mcause;                      \
    csrr s3, mepc;                        \
    csrr s4, mtval;                       \
    csrr s5, mstatus;                     \
    jr s1;

#define S_TRAP_RECORD(name)               \
    .align 2;                             \
name:                                     \
    csrr s2, scause;                      \
    csrr s3, sepc;                        \
    csrr s4, stval;                       \
    csrr s5, sstatus;                     \
    jr s1;

/* PMP entry 0 = NAPOT over the whole address space, RWX, so that S and U
   mode may access memory (with PMP implemented and no entry matching, S/U
   accesses fail). If the PMP CSRs trap, they are skipped: the tests here are
   not about PMP. Clobbers t0, t1; leaves mtvec = 0. */
#define PMP_ALLOW_ALL                     \
    la t0, 91f;                           \
    csrw mtvec, t0;                       \
    li t0, -1;                            \
    .option push; .option norvc;          \
    csrw pmpaddr0, t0;                    \
    li t0, 0x1f;                          \
    csrw pmpcfg0, t0;                     \
    .option pop;                          \
    j 92f;                                \
    .align 2;                             \
91: csrr t1, mepc;                        \
    addi t1, t1, 4;                       \
    csrw mepc, t1;                        \
    mret;                                 \
92: csrw mtvec, zero;

/* CHECK from bare.h, redefined to also print the offending value on the
   UART before failing ("FAIL <code> <got> <expected>", in hex), to help read
   a failure on tsix. The UART is written without polling LSR so that a
   broken UART cannot turn a failure into a hang. Clobbers t6 (and, on the
   failure path only, a0, a1, t3-t5). */
#undef CHECK
#define CHECK(reg, value, n)              \
    li t6, value;                         \
    beq reg, t6, 97f;                     \
    mv a0, reg;                           \
    mv a2, t6;                            \
    li a1, n;                             \
    j priv_fail_report;                   \
    PRIV_FAIL_REPORT_BODY                 \
97:

/* Emitted once per file (guarded with .ifndef), in its own section. */
#define PRIV_FAIL_REPORT_BODY             \
    .ifndef priv_fail_report;             \
    .pushsection .text.priv_fail, "ax";   \
    .align 2;                             \
priv_fail_report:                         \
    li t3, UART0;                         \
    li t4, 70; sb t4, 0(t3);              \
    li t4, 65; sb t4, 0(t3);              \
    li t4, 73; sb t4, 0(t3);              \
    li t4, 76; sb t4, 0(t3);              \
    li t4, 32; sb t4, 0(t3);              \
    PRIV_HEX(a1)                          \
    li t4, 32; sb t4, 0(t3);              \
    PRIV_HEX(a0)                          \
    li t4, 32; sb t4, 0(t3);              \
    PRIV_HEX(a2)                          \
    li t4, 10; sb t4, 0(t3);              \
    slli a1, a1, 16;                      \
    li t4, 0x3333;                        \
    or a1, a1, t4;                        \
    li t3, FINISHER;                      \
    sw a1, 0(t3);                         \
88: j 88b;                                \
    .popsection;                          \
    .endif;

/* Print reg (not t3-t6) as 16 hex digits to the UART at t3. */
#define PRIV_HEX(reg)                     \
    li t4, 60;                            \
81: srl t5, reg, t4;                      \
    andi t5, t5, 15;                      \
    addi t5, t5, 48;                      \
    li t6, 58;                            \
    blt t5, t6, 82f;                      \
    addi t5, t5, 39;                      \
82: sb t5, 0(t3);                         \
    addi t4, t4, -4;                      \
    bgez t4, 81b;

/* A resume point for traps that must not happen: reports code 99 with
   got = the cause and expected = the epc of the trap. */
#define UNEXPECTED_TRAP(label)            \
label:                                    \
    mv a0, s2;                            \
    mv a2, s3;                            \
    li a1, 99;                            \
    j priv_fail_report;                   \
    PRIV_FAIL_REPORT_BODY

/* Fail with code n unless (reg & mask) == value. Clobbers t5, t6. */
#define CHECK_MASK(reg, mask, value, n)   \
    li t5, mask;                          \
    and t5, reg, t5;                      \
    CHECK(t5, value, n)

/* Fail with code n unless reg == reg2 (neither may be t6). */
#define CHECK_REG(reg, reg2, n)           \
    beq reg, reg2, 96f;                   \
    mv t6, reg2;                          \
    mv a0, reg;                           \
    mv a2, t6;                            \
    li a1, n;                             \
    j priv_fail_report;                   \
    PRIV_FAIL_REPORT_BODY                 \
96:

/* Fail with code n unless the CSR reads as value. Clobbers t5, t6. */
#define CHECK_CSR(csr, value, n)          \
    csrr t5, csr;                         \
    CHECK(t5, value, n)

#endif
