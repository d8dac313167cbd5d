/* virtio_async.c - virtio-blk whose disk answers later (tsix machine
 * --disk-io async): two reads are queued and notified together; the
 * program then sleeps in wfi until the completion interrupt, counting the
 * wfi rounds, checks both sectors'
 * data (host_byte pattern) and the used ring, and prints
 *   "used_at_notify=N waits=W"
 * N is the used index read right after the notify store (2 when the device
 * answered at once, 0 when the answer came later), W the wfi rounds before
 * the interrupt was pending (0 when it was pending at once). The host test
 * judges the two numbers: the program itself passes on either kind of disk. */
#include "crt.h"
#include "virtio.h"

u8 buf[2 * SECTOR] __attribute__((aligned(16)));

static void put_dec(u64 v)
{
    char d[20];
    int n = 0;
    do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) uart_putc(d[--n]);
}

int main(void)
{
    vio_init();
    for (u64 i = 0; i < sizeof buf; i++) buf[i] = 0;
    vio_queue(0, BLK_T_IN, 3, buf, SECTOR);
    vio_queue(1, BLK_T_IN, 100, buf + SECTOR, SECTOR);
    vio_notify();
    u64 used_at_notify = *(volatile u16 *)&vq_used.idx;
    u64 waits = 0;
    while (!(csr_read(mip) & MIP_MEIP)) {
        waits++;
        __asm__ volatile("wfi");
        if (waits > 1000000UL) fail(50, waits, 0);
    }
    vio_wait(2); /* claims the interrupt, acknowledges, checks used.idx */
    EXPECT(51, vq_used.idx, 2);
    EXPECT(52, req_status[0], BLK_S_OK);
    EXPECT(53, req_status[1], BLK_S_OK);
    for (u64 i = 0; i < SECTOR; i++) {
        if (buf[i] != host_byte(3 * SECTOR + i)) fail(54, i, buf[i]);
        if (buf[SECTOR + i] != host_byte(100 * SECTOR + i)) fail(55, i, buf[SECTOR + i]);
    }
    puts_("used_at_notify=");
    put_dec(used_at_notify);
    puts_(" waits=");
    put_dec(waits);
    uart_putc('\n');
    vio_reset();
    return 0;
}
