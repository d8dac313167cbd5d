/* virtio.h - a minimal virtio-blk driver over virtio-mmio version 2 (modern)
 * for the disk tests, written from the virtio 1.1 spec (sections 2.6 split
 * virtqueues, 3.1 device initialisation, 4.2 virtio over MMIO, 5.2 block
 * device). One device expected at 0x10001000 (PLIC source 1); one split
 * queue of QSIZE entries; completion by polling mip.MEIP (mstatus.MIE = 0)
 * and then claiming the PLIC, reading InterruptStatus and acknowledging.
 * Include after crt.h.
 *
 * The shared data patterns (the host test computes the same):
 *   host_byte(o)  - initial contents of the image at byte offset o
 *   guest_byte(o) - what the guest writes over sectors 0..7 and the last one
 */
#ifndef VIRTIO_H
#define VIRTIO_H

#define VIO_BASE 0x10001000UL
#define VIO_IRQ  1

#define VIO_MAGIC          0x000
#define VIO_VERSION        0x004
#define VIO_DEVICE_ID      0x008
#define VIO_VENDOR_ID      0x00c
#define VIO_DEV_FEATURES   0x010
#define VIO_DEV_FEATURES_SEL 0x014
#define VIO_DRV_FEATURES   0x020
#define VIO_DRV_FEATURES_SEL 0x024
#define VIO_QUEUE_SEL      0x030
#define VIO_QUEUE_NUM_MAX  0x034
#define VIO_QUEUE_NUM      0x038
#define VIO_QUEUE_READY    0x044
#define VIO_QUEUE_NOTIFY   0x050
#define VIO_INT_STATUS     0x060
#define VIO_INT_ACK        0x064
#define VIO_STATUS         0x070
#define VIO_QUEUE_DESC_LO  0x080
#define VIO_QUEUE_DESC_HI  0x084
#define VIO_QUEUE_AVAIL_LO 0x090
#define VIO_QUEUE_AVAIL_HI 0x094
#define VIO_QUEUE_USED_LO  0x0a0
#define VIO_QUEUE_USED_HI  0x0a4
#define VIO_CONFIG_GEN     0x0fc
#define VIO_CONFIG         0x100

#define ST_ACKNOWLEDGE 1
#define ST_DRIVER      2
#define ST_DRIVER_OK   4
#define ST_FEATURES_OK 8
#define ST_FAILED      128

#define F_BLK_FLUSH    9
#define F_VERSION_1    32

#define BLK_T_IN     0
#define BLK_T_OUT    1
#define BLK_T_FLUSH  4
#define BLK_S_OK     0
#define BLK_S_IOERR  1
#define BLK_S_UNSUPP 2

#define VRING_DESC_F_NEXT  1
#define VRING_DESC_F_WRITE 2

#define QSIZE 8
#define SECTOR 512
#define DISK_SECTORS 2048UL         /* the host makes a 1 MiB image */

#define PLIC_PRIO(src)   (0xc000000UL + 4 * (src))
#define PLIC_EN0         0xc002000UL
#define PLIC_THRESH0     0xc200000UL
#define PLIC_CLAIM0      0xc200004UL
#define MIP_MEIP         (1UL << 11)

struct vdesc { u64 addr; u32 len; u16 flags; u16 next; };
struct vavail { u16 flags; u16 idx; u16 ring[QSIZE]; u16 used_event; };
struct vused_elem { u32 id; u32 len; };
struct vused { u16 flags; u16 idx; struct vused_elem ring[QSIZE]; u16 avail_event; };
struct blk_req { u32 type; u32 reserved; u64 sector; };

struct vdesc vq_desc[QSIZE] __attribute__((aligned(16)));
struct vavail vq_avail __attribute__((aligned(4096)));
struct vused vq_used __attribute__((aligned(4096)));
struct blk_req reqs[QSIZE] __attribute__((aligned(16)));
volatile u8 req_status[QSIZE];
u16 used_seen;
u64 irq_count;
u64 dev_features;

#define vio_r32(off) mmio_read32(VIO_BASE + (off))
#define vio_w32(off, v) mmio_write32(VIO_BASE + (off), (v))
#define fence() __asm__ volatile("fence rw, rw" ::: "memory")

static u8 host_byte(u64 o) { return (u8)((o >> 9) * 3 + o * 5 + 1); }
static u8 guest_byte(u64 o) { return (u8)((o >> 9) * 7 + (o ^ 0x5a) * 13 + 0x33); }

/* bring the device up: codes 1..29 */
static void vio_init(void)
{
    EXPECT(1, vio_r32(VIO_MAGIC), 0x74726976);
    EXPECT(2, vio_r32(VIO_VERSION), 2);
    EXPECT(3, vio_r32(VIO_DEVICE_ID), 2);
    vio_w32(VIO_STATUS, 0);
    EXPECT(4, vio_r32(VIO_STATUS), 0);
    vio_w32(VIO_STATUS, ST_ACKNOWLEDGE);
    vio_w32(VIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER);
    vio_w32(VIO_DEV_FEATURES_SEL, 0);
    u64 lo = vio_r32(VIO_DEV_FEATURES);
    vio_w32(VIO_DEV_FEATURES_SEL, 1);
    u64 hi = vio_r32(VIO_DEV_FEATURES);
    dev_features = lo | (hi << 32);
    EXPECT(5, (dev_features >> F_VERSION_1) & 1, 1);
    EXPECT(6, (dev_features >> F_BLK_FLUSH) & 1, 1);
    u64 drv = (1UL << F_VERSION_1) | (1UL << F_BLK_FLUSH);
    vio_w32(VIO_DRV_FEATURES_SEL, 0);
    vio_w32(VIO_DRV_FEATURES, (u32)drv);
    vio_w32(VIO_DRV_FEATURES_SEL, 1);
    vio_w32(VIO_DRV_FEATURES, (u32)(drv >> 32));
    vio_w32(VIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
    EXPECT(7, vio_r32(VIO_STATUS), ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);

    vio_w32(VIO_QUEUE_SEL, 0);
    EXPECT(8, vio_r32(VIO_QUEUE_READY), 0);
    u32 max = vio_r32(VIO_QUEUE_NUM_MAX);
    if (max < QSIZE) fail(9, max, QSIZE);
    vio_w32(VIO_QUEUE_NUM, QSIZE);
    vio_w32(VIO_QUEUE_DESC_LO, (u32)(u64)vq_desc);
    vio_w32(VIO_QUEUE_DESC_HI, (u32)((u64)vq_desc >> 32));
    vio_w32(VIO_QUEUE_AVAIL_LO, (u32)(u64)&vq_avail);
    vio_w32(VIO_QUEUE_AVAIL_HI, (u32)((u64)&vq_avail >> 32));
    vio_w32(VIO_QUEUE_USED_LO, (u32)(u64)&vq_used);
    vio_w32(VIO_QUEUE_USED_HI, (u32)((u64)&vq_used >> 32));
    vio_w32(VIO_QUEUE_READY, 1);
    EXPECT(10, vio_r32(VIO_QUEUE_READY), 1);
    vio_w32(VIO_STATUS, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    EXPECT(11, vio_r32(VIO_STATUS), ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);

    /* capacity (config space, read under the generation counter) */
    u32 gen, gen2;
    u64 cap;
    do {
        gen = vio_r32(VIO_CONFIG_GEN);
        cap = vio_r32(VIO_CONFIG) | ((u64)vio_r32(VIO_CONFIG + 4) << 32);
        gen2 = vio_r32(VIO_CONFIG_GEN);
    } while (gen != gen2);
    EXPECT(12, cap, DISK_SECTORS);

    /* PLIC: source 1 to hart 0 M-mode (enable, then threshold) */
    mmio_write32(PLIC_PRIO(VIO_IRQ), 1);
    mmio_write32(PLIC_EN0, 1U << VIO_IRQ);
    mmio_write32(PLIC_THRESH0, 0);
    csr_set(mie, MIP_MEIP);          /* for wfi/mip; mstatus.MIE stays 0 */
    used_seen = 0;
    vq_avail.idx = 0;
    vq_avail.flags = 0;
}

/* queue the chain for request slot `s` (descriptors 3s .. 3s+2 when
   QSIZE >= 3 * slots; here: slot 0 uses 0,1,2 and slot 1 uses 3,4,5).
   data == 0: header + status only (flush). */
static void vio_queue(int s, u32 type, u64 sector, void *data, u32 len)
{
    int d = 3 * s;
    reqs[s].type = type;
    reqs[s].reserved = 0;
    reqs[s].sector = sector;
    req_status[s] = 0xff;
    vq_desc[d].addr = (u64)&reqs[s];
    vq_desc[d].len = sizeof(struct blk_req);
    vq_desc[d].flags = VRING_DESC_F_NEXT;
    vq_desc[d].next = (u16)(d + 1);
    int st = d + 1;
    if (data) {
        vq_desc[d + 1].addr = (u64)data;
        vq_desc[d + 1].len = len;
        vq_desc[d + 1].flags = VRING_DESC_F_NEXT | (type == BLK_T_IN ? VRING_DESC_F_WRITE : 0);
        vq_desc[d + 1].next = (u16)(d + 2);
        st = d + 2;
    }
    vq_desc[st].addr = (u64)&req_status[s];
    vq_desc[st].len = 1;
    vq_desc[st].flags = VRING_DESC_F_WRITE;
    vq_desc[st].next = 0;
    vq_avail.ring[vq_avail.idx % QSIZE] = (u16)d;
    fence();
    vq_avail.idx++;
    fence();
}

static void vio_notify(void) { fence(); vio_w32(VIO_QUEUE_NOTIFY, 0); }

/* wait until `n` more used entries and at least one interrupt: codes 30..39 */
static void vio_wait(int n)
{
    u16 target = (u16)(used_seen + n);
    u64 irqs = 0;
    for (u64 spin = 0;; spin++) {
        if (spin > 50000000UL) fail(30, ((u64)*(volatile u16 *)&vq_used.idx << 32) | irqs, target);
        if (csr_read(mip) & MIP_MEIP) {
            u32 irq = mmio_read32(PLIC_CLAIM0);
            EXPECT(31, irq, VIO_IRQ);
            u32 st = vio_r32(VIO_INT_STATUS);
            EXPECT(32, st & 1, 1);                  /* used buffer notification */
            vio_w32(VIO_INT_ACK, st);
            mmio_write32(PLIC_CLAIM0, irq);
            irqs++;
        }
        fence();
        if (*(volatile u16 *)&vq_used.idx == target && irqs) break;
    }
    irq_count += irqs;
}

/* one synchronous request in slot 0; returns the status byte; checks the
   used element (id = 0, len = bytes written by the device) */
static u8 vio_rw(u32 type, u64 sector, void *data, u32 len)
{
    vio_queue(0, type, sector, data, len);
    vio_notify();
    vio_wait(1);
    struct vused_elem *e = &vq_used.ring[used_seen % QSIZE];
    used_seen++;
    EXPECT(33, e->id, 0);
    u8 st = req_status[0];
    if (st == BLK_S_OK) EXPECT(34, e->len, (type == BLK_T_IN ? len : 0) + 1);
    return st;
}

static void vio_reset(void)
{
    vio_w32(VIO_STATUS, 0);
    EXPECT(35, vio_r32(VIO_STATUS), 0);
    vio_w32(VIO_QUEUE_SEL, 0);
    EXPECT(36, vio_r32(VIO_QUEUE_READY), 0);
}

#endif
