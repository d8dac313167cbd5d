/* virtio_write.c - virtio-blk, phase 1 (the host made a 1 MiB image filled
 * with host_byte(offset), see virtio.h): negotiate VERSION_1 + FLUSH, set up
 * one split virtqueue, read sector 8 (host data), write sectors 0..7 (one
 * 4 KiB request) and the last sector with guest_byte(offset), flush, read
 * them back; a read past the end fails with IOERR, an unknown request type
 * with UNSUPP; two requests in flight at once complete; device reset. The
 * host then checks the image file and runs virtio_read.c on it. */
#include "crt.h"
#include "virtio.h"

u8 wbuf[8 * SECTOR] __attribute__((aligned(16)));
u8 rbuf[8 * SECTOR] __attribute__((aligned(16)));
u8 rbuf2[SECTOR] __attribute__((aligned(16)));

static void check_buf(u64 code, const u8 *buf, u64 len, u64 disk_off, int guest)
{
    for (u64 i = 0; i < len; i++) {
        u8 want = guest ? guest_byte(disk_off + i) : host_byte(disk_off + i);
        if (buf[i] != want) fail(code, ((disk_off + i) << 8) | buf[i], want);
    }
}

int main(void)
{
    vio_init();
    const u64 last = DISK_SECTORS - 1;

    /* ---- the host's data */
    EXPECT(40, vio_rw(BLK_T_IN, 8, rbuf, SECTOR), BLK_S_OK);
    check_buf(41, rbuf, SECTOR, 8 * SECTOR, 0);

    /* ---- write 0..7 and the last sector */
    for (u64 i = 0; i < sizeof wbuf; i++) wbuf[i] = guest_byte(i);
    EXPECT(42, vio_rw(BLK_T_OUT, 0, wbuf, sizeof wbuf), BLK_S_OK);
    for (u64 i = 0; i < SECTOR; i++) rbuf2[i] = guest_byte(last * SECTOR + i);
    EXPECT(43, vio_rw(BLK_T_OUT, last, rbuf2, SECTOR), BLK_S_OK);
    /* ---- flush: header + status only */
    EXPECT(44, vio_rw(BLK_T_FLUSH, 0, 0, 0), BLK_S_OK);

    /* ---- read back */
    for (u64 i = 0; i < sizeof rbuf; i++) rbuf[i] = 0;
    EXPECT(45, vio_rw(BLK_T_IN, 0, rbuf, sizeof rbuf), BLK_S_OK);
    check_buf(46, rbuf, sizeof rbuf, 0, 1);
    for (u64 i = 0; i < SECTOR; i++) rbuf2[i] = 0;
    EXPECT(47, vio_rw(BLK_T_IN, last, rbuf2, SECTOR), BLK_S_OK);
    check_buf(48, rbuf2, SECTOR, last * SECTOR, 1);
    /* a sector in the middle of the 4 KiB write */
    EXPECT(49, vio_rw(BLK_T_IN, 5, rbuf2, SECTOR), BLK_S_OK);
    check_buf(50, rbuf2, SECTOR, 5 * SECTOR, 1);

    /* ---- errors */
    EXPECT(51, vio_rw(BLK_T_IN, DISK_SECTORS, rbuf2, SECTOR), BLK_S_IOERR);
    EXPECT(52, vio_rw(BLK_T_IN, last, rbuf, 2 * SECTOR), BLK_S_IOERR);
    EXPECT(53, vio_rw(0x7f, 0, rbuf2, SECTOR), BLK_S_UNSUPP);

    /* ---- two requests in flight: read sector 9 (host) and 1 (guest) */
    for (u64 i = 0; i < sizeof rbuf; i++) rbuf[i] = 0;
    vio_queue(0, BLK_T_IN, 9, rbuf, SECTOR);
    vio_queue(1, BLK_T_IN, 1, rbuf + SECTOR, SECTOR);
    vio_notify();
    vio_wait(2);
    u32 id0 = vq_used.ring[used_seen % QSIZE].id, id1 = vq_used.ring[(used_seen + 1) % QSIZE].id;
    used_seen += 2;
    EXPECT(54, (1U << id0) | (1U << id1), (1U << 0) | (1U << 3));
    EXPECT(55, req_status[0], BLK_S_OK);
    EXPECT(56, req_status[1], BLK_S_OK);
    check_buf(57, rbuf, SECTOR, 9 * SECTOR, 0);
    check_buf(58, rbuf + SECTOR, SECTOR, 1 * SECTOR, 1);

    if (irq_count == 0) fail(59, 0, 1);
    vio_reset();
    return 0;
}
