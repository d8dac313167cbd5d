/* virtio_read.c - virtio-blk, phase 2, on the image virtio_write.c wrote,
 * in a fresh machine: reads sectors 0..15 one request each (more requests
 * than queue entries: the avail/used indices wrap around the ring) and the
 * last sector; 0..7 and the last must hold guest_byte(), 8..15 host_byte().
 * Then writes nothing. */
#include "crt.h"
#include "virtio.h"

u8 buf[SECTOR] __attribute__((aligned(16)));

static void check_buf(u64 code, const u8 *b, u64 len, u64 disk_off, int guest)
{
    for (u64 i = 0; i < len; i++) {
        u8 want = guest ? guest_byte(disk_off + i) : host_byte(disk_off + i);
        if (b[i] != want) fail(code, ((disk_off + i) << 8) | b[i], want);
    }
}

int main(void)
{
    vio_init();
    for (u64 s = 0; s < 16; s++) {
        for (u64 i = 0; i < SECTOR; i++) buf[i] = 0;
        EXPECT(40, vio_rw(BLK_T_IN, s, buf, SECTOR), BLK_S_OK);
        check_buf(41 + (s >= 8), buf, SECTOR, s * SECTOR, s < 8);
    }
    EXPECT(43, used_seen, 16);
    EXPECT(44, vq_used.idx, 16);
    EXPECT(45, vio_rw(BLK_T_IN, DISK_SECTORS - 1, buf, SECTOR), BLK_S_OK);
    check_buf(46, buf, SECTOR, (DISK_SECTORS - 1) * SECTOR, 1);
    vio_reset();
    return 0;
}
