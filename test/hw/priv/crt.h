/* crt.h - a tiny runtime for the C test programs (one translation unit per
 * program: include this once, define `int main(void)`; returning 0 passes,
 * returning n fails with code n).
 *
 *  - _start (M-mode, 0x80000000): stack, FPU on, .bss cleared, PMP entry 0 =
 *    all of memory RWX for S/U (skipped if the PMP CSRs trap), mtvec =
 *    m_trap_entry, then main().
 *  - run_mode(mode, pc, a0, a1): mret into S (1) or U (0) at pc with a0/a1;
 *    returns the mcause of the first trap that reaches M from that mode
 *    (ecall 8/9 is the normal way back). `g_trap` then holds the cause,
 *    mtval, mepc, mstatus and the lower mode's a0..a3 at the trap.
 *  - traps taken from M itself are fatal (code 250) unless `g_trap.m_skip`
 *    is set: then the trap is recorded in g_trap and the 4-byte trapping
 *    instruction is skipped (used by M-mode probes written in assembly).
 *  - fail(code, got, expected) prints "FAIL code got expected" on the UART
 *    and exits through the test finisher; EXPECT(code, got, expected).
 */
#ifndef CRT_H
#define CRT_H

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define FINISHER_ADDR 0x100000UL
#define UART0_ADDR    0x10000000UL

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE   (1UL << 1)
#define MSTATUS_MIE   (1UL << 3)
#define MSTATUS_SPIE  (1UL << 5)
#define MSTATUS_MPIE  (1UL << 7)
#define MSTATUS_SPP   (1UL << 8)
#define MSTATUS_MPP   (3UL << 11)
#define MSTATUS_MPRV  (1UL << 17)
#define MSTATUS_SUM   (1UL << 18)
#define MSTATUS_MXR   (1UL << 19)

#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL      2
#define CAUSE_BREAKPOINT   3
#define CAUSE_LOAD_ACCESS  5
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U      8
#define CAUSE_ECALL_S      9
#define CAUSE_FETCH_PAGE   12
#define CAUSE_LOAD_PAGE    13
#define CAUSE_STORE_PAGE   15

#define STR_(x) #x
#define STR(x) STR_(x)
#define csr_read(csr) ({ u64 v_; __asm__ volatile("csrr %0, " STR(csr) : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " STR(csr) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " STR(csr) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " STR(csr) ", %0" :: "r"((u64)(v)) : "memory")

#define mmio_read8(a) (*(volatile u8 *)(u64)(a))
#define mmio_read32(a) (*(volatile u32 *)(u64)(a))
#define mmio_read64(a) (*(volatile u64 *)(u64)(a))
#define mmio_write8(a, v) (*(volatile u8 *)(u64)(a) = (v))
#define mmio_write32(a, v) (*(volatile u32 *)(u64)(a) = (v))
#define mmio_write64(a, v) (*(volatile u64 *)(u64)(a) = (v))

struct trap {
    u64 cause, tval, epc, a0, a1, a2, a3, status;
    u64 m_skip;           /* nonzero: traps from M are recorded and skipped */
};
struct trap g_trap;
u64 g_m_ctx[16];

u64 run_mode(u64 mode, u64 pc, u64 a0, u64 a1);
int main(void);

__asm__(
    ".section .text.init\n"
    ".globl _start\n"
    "_start:\n"
    "  la sp, _stack_top\n"
    "  li t0, 1 << 13\n"
    "  csrs mstatus, t0\n"
    "  la t0, __bss_start\n"
    "  la t1, __bss_end\n"
    "1: bgeu t0, t1, 2f\n"
    "  sd zero, 0(t0)\n"
    "  addi t0, t0, 8\n"
    "  j 1b\n"
    "2: la t0, 3f\n"
    "  csrw mtvec, t0\n"
    "  .option push\n"
    "  .option norvc\n"
    "  li t0, -1\n"
    "  csrw pmpaddr0, t0\n"
    "  li t0, 0x1f\n"
    "  csrw pmpcfg0, t0\n"
    "  .option pop\n"
    "  j 4f\n"
    "  .align 2\n"
    "3: csrr t0, mepc\n"
    "  addi t0, t0, 4\n"
    "  csrw mepc, t0\n"
    "  mret\n"
    "4: la t0, m_trap_entry\n"
    "  csrw mtvec, t0\n"
    "  call main\n"
    "  li t0, 0x100000\n"
    "  bnez a0, 5f\n"
    "  li t1, 0x5555\n"
    "  sw t1, 0(t0)\n"
    "6: j 6b\n"
    "5: slli a0, a0, 16\n"
    "  li t1, 0x3333\n"
    "  or a0, a0, t1\n"
    "  sw a0, 0(t0)\n"
    "7: j 7b\n"
    "\n"
    ".text\n"
    ".globl run_mode\n"
    "run_mode:\n"
    "  la t0, g_m_ctx\n"
    "  sd ra, 0(t0)\n"
    "  sd sp, 8(t0)\n"
    "  sd s0, 16(t0)\n"
    "  sd s1, 24(t0)\n"
    "  sd s2, 32(t0)\n"
    "  sd s3, 40(t0)\n"
    "  sd s4, 48(t0)\n"
    "  sd s5, 56(t0)\n"
    "  sd s6, 64(t0)\n"
    "  sd s7, 72(t0)\n"
    "  sd s8, 80(t0)\n"
    "  sd s9, 88(t0)\n"
    "  sd s10, 96(t0)\n"
    "  sd s11, 104(t0)\n"
    "  sd gp, 112(t0)\n"
    "  sd tp, 120(t0)\n"
    "  li t1, 3 << 11\n"
    "  csrc mstatus, t1\n"
    "  slli a0, a0, 11\n"
    "  csrs mstatus, a0\n"
    "  csrw mepc, a1\n"
    "  mv a0, a2\n"
    "  mv a1, a3\n"
    "  mret\n"
    "\n"
    "  .align 2\n"
    ".globl m_trap_entry\n"
    "m_trap_entry:\n"
    "  csrw mscratch, t0\n"
    "  la t0, g_trap\n"
    "  sd a0, 24(t0)\n"
    "  sd a1, 32(t0)\n"
    "  sd a2, 40(t0)\n"
    "  sd a3, 48(t0)\n"
    "  csrr a0, mcause\n"
    "  sd a0, 0(t0)\n"
    "  csrr a0, mtval\n"
    "  sd a0, 8(t0)\n"
    "  csrr a0, mepc\n"
    "  sd a0, 16(t0)\n"
    "  csrr a0, mstatus\n"
    "  sd a0, 56(t0)\n"
    "  srli a1, a0, 11\n"
    "  andi a1, a1, 3\n"
    "  li a2, 3\n"
    "  beq a1, a2, 1f\n"
    /* from S/U: back to the caller of run_mode */
    "  la t0, g_m_ctx\n"
    "  ld ra, 0(t0)\n"
    "  ld sp, 8(t0)\n"
    "  ld s0, 16(t0)\n"
    "  ld s1, 24(t0)\n"
    "  ld s2, 32(t0)\n"
    "  ld s3, 40(t0)\n"
    "  ld s4, 48(t0)\n"
    "  ld s5, 56(t0)\n"
    "  ld s6, 64(t0)\n"
    "  ld s7, 72(t0)\n"
    "  ld s8, 80(t0)\n"
    "  ld s9, 88(t0)\n"
    "  ld s10, 96(t0)\n"
    "  ld s11, 104(t0)\n"
    "  ld gp, 112(t0)\n"
    "  ld tp, 120(t0)\n"
    "  csrr a0, mcause\n"
    "  ret\n"
    /* from M */
    "1: ld a1, 64(t0)\n"
    "  beqz a1, 2f\n"
    "  csrr a1, mepc\n"
    "  addi a1, a1, 4\n"
    "  csrw mepc, a1\n"
    "  csrr t0, mscratch\n"
    "  mret\n"
    "2: la sp, _stack_top\n"
    "  li a0, 250\n"
    "  csrr a1, mcause\n"
    "  csrr a2, mepc\n"
    "  call fail\n"
);

static void uart_putc(char c) { mmio_write8(UART0_ADDR, (u8)c); }

static void put_hex(u64 v)
{
    for (int i = 60; i >= 0; i -= 4) uart_putc("0123456789abcdef"[(v >> i) & 15]);
}

void puts_(const char *s)
{
    while (*s) uart_putc(*s++);
}

__attribute__((noreturn)) void fail(u64 code, u64 got, u64 expected)
{
    puts_("FAIL ");
    put_hex(code);
    uart_putc(' ');
    put_hex(got);
    uart_putc(' ');
    put_hex(expected);
    uart_putc('\n');
    mmio_write32(FINISHER_ADDR, (u32)((code << 16) | 0x3333));
    for (;;) {}
}

#define EXPECT(code, got, expected) do {                      \
        u64 g_ = (u64)(got), e_ = (u64)(expected);             \
        if (g_ != e_) fail((code), g_, e_);                    \
    } while (0)

/* freestanding gcc may still call these */
void *memset(void *d, int c, unsigned long n)
{
    u8 *p = d;
    while (n--) *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--) *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q) return *p - *q;
    return 0;
}

#endif
