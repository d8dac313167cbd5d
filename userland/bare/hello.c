/* hello.c - the bundled bare-metal demo: talks to the 16550 UART directly,
 * reads machine CSRs, and measures its own instruction count. Built with
 *   riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 \
 *     -nostdlib -ffreestanding -T test/hw/common/link.ld start.S hello.c
 * (npm test rebuilds it and checks that hello.elf matches this source). */
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000)

static void putc_(char c) {
    while ((UART[5] & 0x20) == 0) { } /* LSR.THRE: transmitter ready */
    UART[0] = (uint8_t)c;
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void putdec(uint64_t v) {
    char b[24]; int i = 0;
    do { b[i++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (i) putc_(b[--i]);
}

int main(void) {
    uint64_t misa, hartid, t0, t1, i0, i1;
    __asm__ volatile("csrr %0, misa" : "=r"(misa));
    __asm__ volatile("csrr %0, mhartid" : "=r"(hartid));
    puts_("Hello from tsix: a RISC-V ");
    puts_((misa >> 62) == 2 ? "rv64" : "rv??");
    for (int b = 0; b < 26; b++) if (misa & (1ull << b)) putc_((char)('a' + b));
    puts_(" machine, hart ");
    putdec(hartid);
    puts_(".\n");
    /* Count instructions retired by a loop of known length. */
    volatile uint64_t sum = 0;
    __asm__ volatile("rdtime %0; rdinstret %1" : "=r"(t0), "=r"(i0));
    for (uint64_t k = 1; k <= 1000; k++) sum += k;
    __asm__ volatile("rdtime %0; rdinstret %1" : "=r"(t1), "=r"(i1));
    puts_("sum(1..1000) = "); putdec(sum);
    puts_(", computed in "); putdec(i1 - i0); puts_(" instructions and ");
    putdec(t1 - t0); puts_(" ticks of the 10 MHz timer.\n");
    return sum == 500500 ? 0 : 1;
}
