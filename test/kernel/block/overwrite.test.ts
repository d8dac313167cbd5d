// A block overwritten whole while a read of it is still in flight, on a
// virtio disk that answers later (kernel/block/buffer.ts getblkNew): the
// read's old bytes must not land on the new ones. The driver copies a read's
// bytes into the buffer when the request completes, so a buffer reused for
// new data during the read (an ext2 data block written back by reclaim
// while a readahead of it was under way; a swap slot freed and written again
// while a swap-in's readahead was still reading it) got the disk's old
// bytes back, and being dirty, wrote them over the new data later. Here, on
// a kernel that is created but not booted, with a memory disk that holds
// every request until the test lets it finish:
//   - the buffer ext2 and swap fill (getblkNew) keeps the new bytes after the
//     old read completes, and they are what reaches the disk;
//   - a getblk of the same block (what the old code used) shows the failure
//     the test guards against: the completed read overwrites the bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { memoryDisk } from "../../../hw/disk.js";
import type { BlockBackend, BlockCompletion } from "../../../host/block.js";
import { probeVirtioBlk, virtioBlkPoll } from "../../../kernel/drivers/virtio_blk.js";
import { breadahead, findBuffer, getblk, getblkNew, markBufferDirty, submitWrite, type BufferHead } from "../../../kernel/block/buffer.js";
import type { Kernel } from "../../../kernel/index.js";

const core = loadCore();

/** A memory disk whose requests complete only when finish() is called. */
function laterDisk(bytes: number): { backend: BlockBackend; disk: Uint8Array; finish: () => void } {
  const mem = memoryDisk(bytes);
  let next = 1;
  const held: { ticket: number; run: () => void }[] = [];
  const done: BlockCompletion[] = [];
  const backend: BlockBackend = {
    sectors: mem.sectors, readOnly: false,
    read(sector, buf) { const ticket = next++; held.push({ ticket, run: () => mem.read(sector, buf) }); return { ticket }; },
    // A backend that answers later owns `data` until then: the device gave it a buffer of its own.
    write(sector, data) { const ticket = next++; held.push({ ticket, run: () => mem.write(sector, data) }); return { ticket }; },
    flush() { const ticket = next++; held.push({ ticket, run: () => mem.flush() }); return { ticket }; },
    takeCompleted() { return done.splice(0); },
    inFlight() { return held.length + done.length; },
    onCompletion() {},
  };
  return { backend, disk: mem.bytes, finish: () => { for (const h of held.splice(0)) { h.run(); done.push({ ticket: h.ticket, error: null }); } } };
}

function setup(): { k: Kernel; dev: number; disk: Uint8Array; settle: () => void } {
  const d = laterDisk(4 << 20);
  const vm = createVm(core, { memBytes: 32 << 20, disk: d.backend });
  const disks = probeVirtioBlk(vm.kernel);
  assert.equal(disks.length, 1);
  const blk = vm.machine.blks![0];
  // Let the disk finish everything it holds, and the driver reap it (as the completion interrupt would).
  const settle = (): void => { d.finish(); blk.pollCompletions(); virtioBlkPoll(vm.kernel); };
  return { k: vm.kernel, dev: disks[0].dev, disk: d.disk, settle };
}

function bh(x: BufferHead | number): BufferHead {
  assert.equal(typeof x, "object", `expected a buffer, got errno ${String(x)}`);
  return x as BufferHead;
}

test("a block filled whole while its readahead is in flight keeps the new bytes, and they reach the disk", () => {
  const { k, dev, disk, settle } = setup();
  disk.fill(0x11, 7 * 4096, 8 * 4096); // the block's old contents
  breadahead(k, dev, 7, 4096);
  const old = findBuffer(k, dev, 7, 4096)!;
  assert.ok(old.inFlight && !old.uptodate, "the read is in flight");
  const b = bh(getblkNew(k, dev, 7, 4096));
  assert.notEqual(b, old, "the buffer under the read is not reused");
  b.data.fill(0x22);
  b.uptodate = true;
  markBufferDirty(k, b);
  settle();
  assert.equal(findBuffer(k, dev, 7, 4096), b, "the cache holds the new buffer");
  assert.ok(b.data.every((x) => x === 0x22), "the old read did not land on the new bytes");
  assert.ok(old.uptodate && old.data.every((x) => x === 0x11), "the old read completed into the old buffer");
  submitWrite(k, b);
  settle();
  assert.ok(!b.dirty && !b.inFlight);
  assert.ok(disk.subarray(7 * 4096, 8 * 4096).every((x) => x === 0x22), "the disk has the new bytes");
});

test("the failure guarded against: getblk reuses the buffer under the read, and the completed read replaces the new bytes", () => {
  const { k, dev, disk, settle } = setup();
  disk.fill(0x11, 9 * 4096, 10 * 4096);
  breadahead(k, dev, 9, 4096);
  const b = bh(getblk(k, dev, 9, 4096));
  assert.ok(b.inFlight);
  b.data.fill(0x22);
  b.uptodate = true;
  markBufferDirty(k, b);
  settle();
  assert.ok(b.data.every((x) => x === 0x11), "the disk's old bytes came back over the new ones");
  assert.ok(b.dirty, "and the buffer is dirty: they would be written back as if new");
});

test("getblkNew of a block with a write in flight reuses the buffer (the device copied the bytes at submit)", () => {
  const { k, dev, disk, settle } = setup();
  const b = bh(getblk(k, dev, 3, 4096));
  b.data.fill(0x33); b.uptodate = true; markBufferDirty(k, b);
  submitWrite(k, b);
  assert.ok(b.inFlight);
  const again = bh(getblkNew(k, dev, 3, 4096));
  assert.equal(again, b);
  again.data.fill(0x44); markBufferDirty(k, again);
  settle();
  assert.ok(disk.subarray(3 * 4096, 4 * 4096).every((x) => x === 0x33), "the first write carried the bytes of its submit");
  assert.ok(again.dirty, "the second contents wait for their own write");
  submitWrite(k, again);
  settle();
  assert.ok(disk.subarray(3 * 4096, 4 * 4096).every((x) => x === 0x44));
});
