/* snap.c - a bare-metal workload for the machine snapshot tests
 * (test/hw/snapshot.test.ts): it keeps every part of the machine busy so that
 * a snapshot taken at any slice boundary has something in flight.
 *
 * Hart 0 (M-mode): prints over the UART; takes machine timer interrupts
 * (mtimecmp, re-armed NM times) and Sstc timer interrupts (stimecmp with
 * menvcfg.STCE, not delegated, so they trap to M; NS times); takes UART
 * receive interrupts through the PLIC and echoes what arrives; drives a
 * virtio-blk disk (interrupt-driven completions through the PLIC): writes
 * sector 5, reads sectors 0..15 and prints a checksum of each; runs a compute
 * loop that prints progress; waits (wfi) for RX_WANT input bytes and its
 * timers; waits (spinning) for hart 1 if it is there; prints a summary and passes.
 * Hart 1 (when the machine has two): its own Sstc timer, amoadd on a shared
 * counter, then reports done and sleeps.
 *
 * Everything it prints depends on the order of events (the interrupts land
 * between the lines of the compute loop), so the output is a fingerprint of
 * the exact timing of the run.
 */
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define UART 0x10000000UL
#define FINISHER 0x100000UL
#define CLINT_MTIME 0x200bff8UL
#define CLINT_MTIMECMP(h) (0x2004000UL + 8 * (h))
#define PLIC_PRIO(s) (0xc000000UL + 4 * (s))
#define PLIC_EN(ctx) (0xc002000UL + 0x80 * (ctx))
#define PLIC_THRESH(ctx) (0xc200000UL + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0xc200004UL + 0x1000 * (ctx))
#define VIO 0x10001000UL
#define RTC 0x101000UL
#define UART_IRQ 10
#define VIO_IRQ 1
#define RTC_IRQ 11

#define NM 12          /* machine timer interrupts on hart 0 */
#define NS 9           /* Sstc timer interrupts per hart */
#define PM 1700        /* their periods in mtime ticks (10 instructions each) */
#define PS 2300
#define RX_WANT 12     /* input bytes hart 0 waits for */
#define QS 4
#define SECTOR 512

#define STR_(x) #x
#define STR(x) STR_(x)
#define csr_read(c) ({ u64 v_; __asm__ volatile("csrr %0, " STR(c) : "=r"(v_)); v_; })
#define csr_write(c, v) __asm__ volatile("csrw " STR(c) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_set(c, v) __asm__ volatile("csrs " STR(c) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_clear(c, v) __asm__ volatile("csrc " STR(c) ", %0" :: "r"((u64)(v)) : "memory")
#define r8(a) (*(volatile u8 *)(a))
#define w8(a, v) (*(volatile u8 *)(a) = (v))
#define r32(a) (*(volatile u32 *)(a))
#define w32(a, v) (*(volatile u32 *)(a) = (v))
#define r64(a) (*(volatile u64 *)(a))
#define w64(a, v) (*(volatile u64 *)(a) = (v))
#define fence() __asm__ volatile("fence rw, rw" ::: "memory")
#define STIMECMP 0x14d
#define MENVCFG 0x30a

struct vdesc { u64 addr; u32 len; u16 flags; u16 next; };
struct vavail { u16 flags; u16 idx; u16 ring[QS]; u16 used_event; };
struct vused { u16 flags; u16 idx; struct { u32 id; u32 len; } ring[QS]; u16 avail_event; };
struct blk_req { u32 type; u32 reserved; u64 sector; };

struct vdesc vq_desc[QS] __attribute__((aligned(4096)));
struct vavail vq_avail __attribute__((aligned(4096)));
struct vused vq_used __attribute__((aligned(4096)));
struct blk_req req;
volatile u8 req_status;
u8 secbuf[SECTOR] __attribute__((aligned(16)));

volatile u64 mticks, sticks[2], rx_count, vio_irqs, rtc_irqs, spurious;
volatile u64 hart1_alive, hart1_done;
volatile u32 shared;
u8 rxbuf[64];

void main0(void);
void main1(void);

__asm__(
    ".section .text.init\n"
    ".globl _start\n"
    "_start:\n"
    "  csrr t0, mhartid\n"
    "  la sp, _stack_top\n"
    "  slli t1, t0, 14\n"        /* 16 KiB of stack per hart */
    "  sub sp, sp, t1\n"
    "  li t1, 1 << 13\n"
    "  csrs mstatus, t1\n"
    "  bnez t0, 1f\n"
    "  call main0\n"
    "2: j 2b\n"
    "1: call main1\n"
    "3: wfi\n"
    "  j 3b\n");

static void putc_(char c) { w8(UART, (u8)c); }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(u64 v, int digits)
{
    for (int i = (digits - 1) * 4; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void finish(u32 code)
{
    fence();
    w32(FINISHER, code ? ((code << 16) | 0x3333) : 0x5555);
    for (;;) {}
}

static void fail(u32 code, u64 got)
{
    puts_("FAIL ");
    puthex(code, 2);
    putc_(' ');
    puthex(got, 16);
    putc_('\n');
    finish(code);
}

/* mtvec needs a 4-byte aligned handler (its low bits are the mode) */
__attribute__((interrupt("machine"), aligned(4))) void handler(void)
{
    u64 cause = csr_read(mcause);
    u64 h = csr_read(mhartid);
    if (cause == ((1UL << 63) | 7)) {            /* machine timer */
        mticks++;
        putc_('T');
        w64(CLINT_MTIMECMP(h), mticks < NM ? r64(CLINT_MTIME) + PM : ~0UL);
    } else if (cause == ((1UL << 63) | 5)) {     /* Sstc timer, taken in M */
        sticks[h]++;
        putc_(h ? 's' : 'S');
        csr_write(STIMECMP, sticks[h] < NS ? csr_read(time) + PS + 300 * h : ~0UL);
    } else if (cause == ((1UL << 63) | 11)) {    /* external, through the PLIC */
        u32 irq = r32(PLIC_CLAIM(2 * h));
        if (irq == UART_IRQ) {
            while (r8(UART + 5) & 1) {
                u8 c = r8(UART);
                rxbuf[rx_count++ & 63] = c;
                putc_('<');
                putc_((char)c);
                putc_('>');
            }
        } else if (irq == RTC_IRQ) {
            w32(RTC + 0x1c, 1);                 /* CLEAR_INTERRUPT */
            rtc_irqs++;
            putc_('A');
        } else if (irq == VIO_IRQ) {
            u32 st = r32(VIO + 0x60);
            w32(VIO + 0x64, st);
            vio_irqs++;
        } else {
            spurious++;
        }
        if (irq) w32(PLIC_CLAIM(2 * h), irq);
    } else {
        fail(0x50, cause);
    }
}

static void vio_init(void)
{
    if (r32(VIO) != 0x74726976 || r32(VIO + 8) != 2) fail(1, r32(VIO + 8));
    w32(VIO + 0x70, 0);
    w32(VIO + 0x70, 1);
    w32(VIO + 0x70, 3);
    w32(VIO + 0x24, 0);
    w32(VIO + 0x20, 0);
    w32(VIO + 0x24, 1);
    w32(VIO + 0x20, 1);                     /* VIRTIO_F_VERSION_1 */
    w32(VIO + 0x70, 11);
    if (r32(VIO + 0x70) != 11) fail(2, r32(VIO + 0x70));
    w32(VIO + 0x30, 0);
    w32(VIO + 0x38, QS);
    w32(VIO + 0x80, (u32)(u64)vq_desc);
    w32(VIO + 0x84, (u32)((u64)vq_desc >> 32));
    w32(VIO + 0x90, (u32)(u64)&vq_avail);
    w32(VIO + 0x94, (u32)((u64)&vq_avail >> 32));
    w32(VIO + 0xa0, (u32)(u64)&vq_used);
    w32(VIO + 0xa4, (u32)((u64)&vq_used >> 32));
    w32(VIO + 0x44, 1);
    w32(VIO + 0x70, 15);
}

/* One request: header, data (device-writable for a read), status. */
static void vio_rw(u32 type, u64 sector)
{
    req.type = type;
    req.reserved = 0;
    req.sector = sector;
    req_status = 0xff;
    vq_desc[0] = (struct vdesc){ (u64)&req, sizeof req, 1, 1 };
    vq_desc[1] = (struct vdesc){ (u64)secbuf, SECTOR, (u16)(1 | (type == 0 ? 2 : 0)), 2 };
    vq_desc[2] = (struct vdesc){ (u64)&req_status, 1, 2, 0 };
    u16 want = (u16)(vq_used.idx + 1);
    u64 irqs = vio_irqs;
    vq_avail.ring[vq_avail.idx % QS] = 0;
    fence();
    vq_avail.idx++;
    fence();
    w32(VIO + 0x50, 0);
    for (u64 spin = 0; *(volatile u16 *)&vq_used.idx != want || vio_irqs == irqs; spin++) {
        if (spin > 10000000) fail(3, spin);
    }
    if (req_status != 0) fail(4, req_status);
}

void main0(void)
{
    puts_("snap: hart 0 up\n");
    csr_write(mtvec, (u64)handler);
    /* PLIC: UART and virtio to hart 0's M context */
    w32(PLIC_PRIO(UART_IRQ), 2);
    w32(PLIC_PRIO(VIO_IRQ), 1);
    w32(PLIC_PRIO(RTC_IRQ), 3);
    w32(PLIC_EN(0), (1u << UART_IRQ) | (1u << VIO_IRQ) | (1u << RTC_IRQ));
    w32(PLIC_THRESH(0), 0);
    w8(UART + 2, 0x01);                      /* FIFO on, trigger 1 */
    w8(UART + 1, 0x01);                      /* receive interrupts */
    csr_set(MENVCFG, 1UL << 63);             /* Sstc */
    w64(CLINT_MTIMECMP(0), r64(CLINT_MTIME) + PM);
    csr_write(STIMECMP, csr_read(time) + PS);
    csr_write(mie, (1UL << 7) | (1UL << 5) | (1UL << 11));
    csr_set(mstatus, 1UL << 3);

    vio_init();
    for (int i = 0; i < SECTOR; i++) secbuf[i] = (u8)(i * 7 + 3);
    vio_rw(1, 5);                            /* write sector 5 */
    for (u64 s = 0; s < 16; s++) {
        for (int i = 0; i < SECTOR; i++) secbuf[i] = 0;
        vio_rw(0, s);
        u64 sum = 0;
        for (int i = 0; i < SECTOR; i++) sum = sum * 31 + secbuf[i];
        puts_("sector ");
        puthex(s, 2);
        putc_(' ');
        puthex(sum, 16);
        putc_('\n');
    }

    /* the RTC: an alarm 3 ms of machine time ahead (the guest polls it below) */
    u64 t = r32(RTC);
    t |= (u64)r32(RTC + 4) << 32;
    w32(RTC + 0x10, 1);                      /* IRQ_ENABLED */
    w32(RTC + 0x0c, (u32)((t + 3000000) >> 32));
    w32(RTC + 0x08, (u32)(t + 3000000));

    /* compute, with the timers landing in between */
    u64 x = 12345;
    for (u64 i = 0; i < 150000; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        if ((i & 8191) == 0) {
            (void)r32(RTC + 0x18);           /* ALARM_STATUS: the alarm fires when its time has come */
            puts_("step ");
            puthex(x >> 40, 6);
            putc_('\n');
        }
    }

    while (mticks < NM || sticks[0] < NS || rx_count < RX_WANT) __asm__ volatile("wfi");
    fence();
    if (hart1_alive) while (!hart1_done) {}   /* spin: hart 1 sends no interrupt */
    puts_("\nsnap: m=");
    puthex(mticks, 2);
    puts_(" s=");
    puthex(sticks[0], 2);
    puts_(" s1=");
    puthex(sticks[1], 2);
    puts_(" rx=");
    puthex(rx_count, 2);
    puts_(" vio=");
    puthex(vio_irqs, 2);
    puts_(" shared=");
    puthex(shared, 8);
    puts_(" x=");
    puthex(x, 16);
    puts_(" rtc=");
    puthex(rtc_irqs, 2);
    u64 t2 = r32(RTC);
    t2 |= (u64)r32(RTC + 4) << 32;
    puts_(" dt=");
    puthex(t2 - t, 12);
    puts_(" spurious=");
    puthex(spurious, 2);
    putc_('\n');
    finish(0);
}

void main1(void)
{
    hart1_alive = 1;
    fence();
    csr_write(mtvec, (u64)handler);
    csr_set(MENVCFG, 1UL << 63);
    csr_write(STIMECMP, csr_read(time) + PS + 300);
    csr_write(mie, 1UL << 5);
    csr_set(mstatus, 1UL << 3);
    u64 y = 99;
    while (sticks[1] < NS) {
        __atomic_fetch_add(&shared, 1, __ATOMIC_SEQ_CST);
        for (int i = 0; i < 100; i++) y = y * 2862933555777941757UL + 3037000493UL;
    }
    __atomic_fetch_add(&shared, (u32)(y >> 48), __ATOMIC_SEQ_CST);
    fence();
    hart1_done = 1;
    fence();
}
