// Request merging in the block layer (kernel/block/blkdev.ts blkStartPlug /
// blkFinishPlug) through the virtio-blk driver to the device model, on a
// kernel that is created but not booted, with a memory disk that records
// every call the device makes to it (what reached the "platter", in order):
//   - abutting reads started together become one device request of several
//     buffers, in sector order whatever order they were started in, and the
//     bytes land in the right buffers; /proc/diskstats counts one read
//     completed and the rest merged (fields 1 and 2);
//   - writes merge the same way (fields 5 and 6), up to the driver's segment
//     limit;
//   - a flush is a barrier: writes started before it reach the disk before
//     it and are never merged with writes started after it, even when they
//     abut (an ordered journal writes data, flushes, then commits);
//   - requests that overlap keep the order they were submitted in;
//   - a bread inside a plug (reclaim's page-outs read a block map) does not
//     wait for the plug's end: what is held goes to the disk then, merged,
//     and the read completes at once on a disk that answers at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { memoryDisk } from "../../../hw/disk.js";
import { probeVirtioBlk, MAX_SEGMENTS } from "../../../kernel/drivers/virtio_blk.js";
import { blkFinishPlug, blkStartPlug, lookupBlockDevice, makeRequest, submitRequest } from "../../../kernel/block/blkdev.js";
import { bread, breadahead, breadBatch, findBuffer, getblk, markBufferDirty, submitWrite, type BufferHead } from "../../../kernel/block/buffer.js";
import type { Kernel } from "../../../kernel/index.js";

const core = loadCore();

interface Rec { op: "read" | "write" | "flush"; sector: number; sectors: number }

/** A kernel with one recording virtio disk of `mib` MiB (no partitions): the disk's dev and the record. */
function setup(mib = 4): { k: Kernel; dev: number; log: Rec[]; bytes: Uint8Array } {
  const d = memoryDisk(mib << 20);
  const log: Rec[] = [];
  const read = d.read.bind(d), write = d.write.bind(d), flush = d.flush.bind(d);
  d.read = (sector: number, buf: Uint8Array) => { log.push({ op: "read", sector, sectors: buf.length / 512 }); read(sector, buf); };
  d.write = (sector: number, buf: Uint8Array) => { log.push({ op: "write", sector, sectors: buf.length / 512 }); write(sector, buf); };
  d.flush = () => { log.push({ op: "flush", sector: 0, sectors: 0 }); flush(); };
  const vm = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 32 << 20, disk: d });
  const disks = probeVirtioBlk(vm.kernel);
  assert.equal(disks.length, 1);
  return { k: vm.kernel, dev: disks[0].dev, log, bytes: d.bytes };
}

function bh(x: BufferHead | number): BufferHead {
  assert.equal(typeof x, "object", `expected a buffer, got errno ${String(x)}`);
  return x as BufferHead;
}

test("abutting reads started under one plug are one device request in sector order; each buffer gets its bytes; diskstats counts 1 read + merged", () => {
  const { k, dev, log, bytes } = setup();
  for (let b = 0; b < 16; b++) bytes.fill(b + 1, b * 4096, (b + 1) * 4096);
  const before = { ...lookupBlockDevice(k, dev)!.stats };
  // Blocks 5, 3, 4, 6 (out of order) and 10 (not abutting): two device requests.
  blkStartPlug(k);
  for (const nr of [5, 3, 4, 6, 10]) breadahead(k, dev, nr, 4096);
  assert.equal(log.length, 0, "nothing reaches the device while plugged");
  blkFinishPlug(k);
  assert.deepEqual(log, [{ op: "read", sector: 24, sectors: 32 }, { op: "read", sector: 80, sectors: 8 }]);
  for (const nr of [3, 4, 5, 6, 10]) {
    const b = findBuffer(k, dev, nr, 4096)!;
    assert.ok(b.uptodate && b.data.every((x) => x === nr + 1), `block ${nr}`);
  }
  const s = lookupBlockDevice(k, dev)!.stats;
  assert.deepEqual([s.reads - before.reads, s.readsMerged - before.readsMerged, s.sectorsRead - before.sectorsRead], [2, 3, 40]);
});

test("breadBatch plugs: 1 KiB blocks of one run come in one request", () => {
  const { k, dev, log, bytes } = setup();
  for (let i = 0; i < 8192; i++) bytes[8192 + i] = (i * 7) & 0xff;
  assert.equal(breadBatch(k, null, dev, [8, 9, 10, 11, 12, 13, 14, 15], 1024), 0);
  assert.deepEqual(log, [{ op: "read", sector: 16, sectors: 16 }]);
  for (let nr = 8; nr < 16; nr++) {
    const b = findBuffer(k, dev, nr, 1024)!;
    for (let i = 0; i < 1024; i++) assert.equal(b.data[i], ((nr - 8) * 1024 + i) * 7 & 0xff);
  }
});

test("writes merge up to the driver's segment limit; a flush is a barrier nothing crosses or merges over", () => {
  const { k, dev, log, bytes } = setup();
  const dirty = (nr: number, v: number): BufferHead => {
    const b = bh(getblk(k, dev, nr, 4096));
    b.data.fill(v);
    markBufferDirty(k, b);
    return b;
  };
  const disk = lookupBlockDevice(k, dev)!;
  assert.equal(disk.maxSegments, MAX_SEGMENTS, "the device offers seg_max 254: capped");
  const before = { ...disk.stats };
  blkStartPlug(k);
  // Before the barrier: blocks 2, 1 (abutting, out of order).
  submitWrite(k, dirty(2, 0x22));
  submitWrite(k, dirty(1, 0x11));
  submitRequest(k, makeRequest(k, "flush", disk, 0, 0, null));
  // After it: block 3 abuts block 2 but must not join it, nor pass the flush; block 0 comes after it too.
  submitWrite(k, dirty(3, 0x33));
  submitWrite(k, dirty(0, 0x00 + 1));
  // MAX_SEGMENTS + 2 abutting blocks from 100: two requests.
  for (let i = 0; i < MAX_SEGMENTS + 2; i++) submitWrite(k, dirty(100 + i, i));
  blkFinishPlug(k);
  assert.deepEqual(log, [
    { op: "write", sector: 8, sectors: 16 },
    { op: "flush", sector: 0, sectors: 0 },
    { op: "write", sector: 0, sectors: 8 },
    { op: "write", sector: 24, sectors: 8 },
    { op: "write", sector: 800, sectors: 8 * MAX_SEGMENTS },
    { op: "write", sector: 800 + 8 * MAX_SEGMENTS, sectors: 16 },
  ]);
  assert.ok(bytes.subarray(4096, 8192).every((x) => x === 0x11) && bytes.subarray(8192, 12288).every((x) => x === 0x22));
  assert.ok(bytes.subarray(12288, 16384).every((x) => x === 0x33) && bytes.subarray(0, 4096).every((x) => x === 1));
  for (let i = 0; i < MAX_SEGMENTS + 2; i++) assert.ok(bytes.subarray((100 + i) * 4096, (101 + i) * 4096).every((x) => x === i), `block ${100 + i}`);
  const s = disk.stats;
  const n = 4 + MAX_SEGMENTS + 2;
  assert.deepEqual([s.writes - before.writes, s.writesMerged - before.writesMerged, s.flushes - before.flushes], [5, n - 5, 1]);
});

test("overlapping requests (a 4 KiB and a 1 KiB buffer of the same sectors) keep their submission order", () => {
  const { k, dev, log, bytes } = setup();
  const big = bh(getblk(k, dev, 1, 4096));
  big.data.fill(0xaa);
  markBufferDirty(k, big);
  const small = bh(getblk(k, dev, 5, 1024)); // bytes 5120..6143: inside block 1 of 4 KiB
  small.data.fill(0xbb);
  markBufferDirty(k, small);
  blkStartPlug(k);
  submitWrite(k, big);
  submitWrite(k, small);
  blkFinishPlug(k);
  // Sorted by sector, the small write (sector 10) would still come after the big one (sector 8); submit the other way round too.
  assert.deepEqual(log.map((r) => r.sector), [8, 10]);
  assert.equal(bytes[5120], 0xbb, "the later write wins");
  log.length = 0;
  small.data.fill(0xcc); markBufferDirty(k, small);
  big.data.fill(0xdd); markBufferDirty(k, big);
  blkStartPlug(k);
  submitWrite(k, small);
  submitWrite(k, big);
  blkFinishPlug(k);
  assert.deepEqual(log.map((r) => r.sector), [10, 8], "not sorted: they overlap");
  assert.equal(bytes[5120], 0xdd, "the later write still wins");
});

test("a bread inside a plug flushes what is held (merged) and gets its block at once; the plug holds what comes after", () => {
  const { k, dev, log, bytes } = setup();
  bytes.fill(9, 40 * 4096, 41 * 4096);
  const dirty = (nr: number): void => {
    const b = bh(getblk(k, dev, nr, 4096));
    b.data.fill(nr); b.uptodate = true; markBufferDirty(k, b); submitWrite(k, b);
  };
  blkStartPlug(k);
  dirty(20); dirty(21);
  const r = bread(k, null, dev, 40, 4096);
  assert.equal(typeof r, "object", `bread under a plug: ${String(r)}`);
  assert.ok((r as BufferHead).data.every((x) => x === 9));
  assert.deepEqual(log, [{ op: "write", sector: 160, sectors: 16 }, { op: "read", sector: 320, sectors: 8 }]);
  dirty(22); dirty(23);
  assert.equal(log.length, 2, "still plugged after the flush");
  blkFinishPlug(k);
  assert.deepEqual(log.slice(2), [{ op: "write", sector: 176, sectors: 16 }]);
});
