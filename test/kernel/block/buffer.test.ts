// The buffer cache's API (kernel/block/buffer.ts) over the RAM disk
// (kernel/block/ramdisk.ts), in a kernel that is created but not booted: the
// calls a file system makes, and what reaches the disk when. Writes reach the
// disk only when flushed (syncDev, submitWrite); block sizes 1024/2048/4096
// coexist on one device; the cache stays under its limit by evicting clean
// buffers and counts hits, misses and its bytes; /proc/diskstats counters
// move by exactly one per request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { createRamDisk } from "../../../kernel/block/ramdisk.js";
import { lookupBlockDevice } from "../../../kernel/block/blkdev.js";
import {
  bread, getblk, markBufferDirty, syncDev, submitWrite, waitOnBuffer, invalidateDev, findBuffer, blockWritebackTick, type BufferHead,
} from "../../../kernel/block/buffer.js";
import { EINVAL, EIO, ENXIO } from "../../../kernel/abi/errno.js";
import type { Kernel } from "../../../kernel/index.js";

const core = loadCore();

function kernelWithRam(bytes: number): { k: Kernel; dev: number; mem: Uint8Array } {
  const vm = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 32 << 20 });
  const d = createRamDisk(vm.kernel, bytes);
  return { k: vm.kernel, dev: d.dev, mem: vm.kernel.block.ramdisks[0] };
}

function bh(x: BufferHead | number): BufferHead {
  assert.equal(typeof x, "object", `expected a buffer, got errno ${String(x)}`);
  return x as BufferHead;
}

test("ram0 is block device 1:0 of the requested size", () => {
  const { k, dev } = kernelWithRam(1 << 20);
  assert.equal(dev, 0x100);
  const d = lookupBlockDevice(k, dev)!;
  assert.equal(d.name, "ram0");
  assert.equal(d.sectors, 2048);
});

test("bread reads the disk's bytes; a dirty buffer reaches the disk only at syncDev", () => {
  const { k, dev, mem } = kernelWithRam(1 << 20);
  mem.fill(7, 4096, 8192);
  const b = bh(bread(k, null, dev, 1, 4096));
  assert.equal(b.uptodate, true);
  assert.ok(b.data.every((x) => x === 7));
  b.data[10] = 99;
  markBufferDirty(k, b);
  assert.equal(mem[4096 + 10], 7, "markBufferDirty must not write");
  assert.equal(k.block.cache.dirty, 1);
  assert.equal(syncDev(k, null, dev), 0);
  assert.equal(mem[4096 + 10], 99, "syncDev writes it");
  assert.equal(b.dirty, false);
  assert.equal(k.block.cache.dirty, 0);
});

test("1024-, 2048- and 4096-byte blocks on one device address the same bytes", () => {
  const { k, dev, mem } = kernelWithRam(1 << 20);
  for (let i = 0; i < 8192; i++) mem[i] = i & 0xff;
  const b1 = bh(bread(k, null, dev, 5, 1024));
  assert.equal(b1.data[0], (5 * 1024) & 0xff);
  const b2 = bh(bread(k, null, dev, 3, 2048));
  assert.deepEqual(b2.data.subarray(0, 4), mem.subarray(6144, 6148));
  const g = bh(getblk(k, dev, 1, 4096));
  assert.equal(g.uptodate, false, "getblk does not read");
  assert.equal(g.data[0], 0);
  g.data.fill(0xab);
  markBufferDirty(k, g);
  submitWrite(k, g);
  assert.equal(waitOnBuffer(k, null, g), 0);
  assert.ok(mem.subarray(4096, 8192).every((x) => x === 0xab));
});

test("bad sizes, missing devices and blocks past the end are errors", () => {
  const { k, dev } = kernelWithRam(64 * 1024);
  assert.equal(getblk(k, dev, 0, 512), -EINVAL);
  assert.equal(getblk(k, dev, 0, 3000), -EINVAL);
  assert.equal(getblk(k, 0x1234, 0, 1024), -ENXIO);
  assert.equal(bread(k, null, dev, 16, 4096), -EIO);        // 64 KiB: blocks 0..15
  assert.equal(bread(k, null, dev, -1, 1024), -EIO);
  assert.equal(bread(k, null, dev, 2 ** 53, 1024), -EIO);
  assert.equal(typeof bread(k, null, dev, 15, 4096), "object");
});

test("hits and misses are counted; /proc/diskstats counters move once per request", () => {
  const { k, dev } = kernelWithRam(1 << 20);
  const s = lookupBlockDevice(k, dev)!.stats;
  bh(bread(k, null, dev, 0, 4096));
  bh(bread(k, null, dev, 0, 4096));
  bh(bread(k, null, dev, 0, 4096));
  bh(bread(k, null, dev, 1, 1024));
  assert.equal(k.block.cache.misses, 2);
  assert.equal(k.block.cache.hits, 2);
  assert.equal(s.reads, 2);
  assert.equal(s.sectorsRead, 8 + 2);
  const b = bh(getblk(k, dev, 9, 2048));
  markBufferDirty(k, b);
  assert.equal(s.writes, 0);
  assert.equal(syncDev(k, null, dev), 0);
  assert.equal(s.writes, 1);
  assert.equal(s.sectorsWritten, 4);
  assert.equal(s.flushes, 1);
  assert.equal(s.inFlight, 0);
});

test("the cache stays under its limit by evicting least recently used clean buffers", () => {
  const { k, dev } = kernelWithRam(4 << 20);
  k.block.cache.limitBytes = 64 * 1024;
  for (let i = 0; i < 100; i++) {
    k.stats.syscalls++; // each read in a syscall of its own: buffers of earlier syscalls may go
    bh(bread(k, null, dev, i, 4096));
  }
  assert.ok(k.block.cache.bytes <= 64 * 1024, `cache holds ${k.block.cache.bytes} bytes`);
  assert.equal(k.block.cache.count * 4096, k.block.cache.bytes);
  assert.ok(k.block.cache.evictions >= 84);
  assert.equal(findBuffer(k, dev, 0, 4096), undefined, "the oldest went");
  assert.ok(findBuffer(k, dev, 99, 4096), "the newest stays");
});

test("dirty buffers are never evicted; they are written back first", () => {
  const { k, dev, mem } = kernelWithRam(4 << 20);
  k.block.cache.limitBytes = 16 * 1024;
  for (let i = 0; i < 10; i++) {
    k.stats.syscalls++;
    const b = bh(getblk(k, dev, i, 4096));
    b.data.fill(i + 1);
    markBufferDirty(k, b);
  }
  assert.equal(syncDev(k, null, dev), 0);
  for (let i = 0; i < 10; i++) assert.equal(mem[i * 4096], i + 1, `block ${i} on disk`);
});

test("the write-back timer writes buffers dirty for longer than the expiry, not younger ones", () => {
  const { k, dev, mem } = kernelWithRam(1 << 20);
  const b = bh(getblk(k, dev, 2, 1024));
  b.data.fill(5);
  markBufferDirty(k, b);
  blockWritebackTick(k);
  assert.equal(mem[2048], 0, "young: not yet");
  b.dirtiedAt -= 31e9;
  blockWritebackTick(k);
  assert.equal(mem[2048], 5, "expired: written");
  assert.equal(k.block.cache.dirty, 0);
});

test("invalidateDev drops clean buffers so the next bread reads the disk again", () => {
  const { k, dev, mem } = kernelWithRam(1 << 20);
  bh(bread(k, null, dev, 0, 1024));
  mem[0] = 42;
  assert.equal(bh(bread(k, null, dev, 0, 1024)).data[0], 0, "cached");
  invalidateDev(k, dev);
  assert.equal(bh(bread(k, null, dev, 0, 1024)).data[0], 42);
});
