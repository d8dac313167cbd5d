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
//     the test guards against: the completed read overwrites the bytes;
//   - the other callers that overwrite blocks whole do the same: vfat's
//     whole-block writes (writeRange) and jbd2's log writes (writeLog, here
//     the commit block of a commit whose log writes have finished), and
//     write(2) to a block device file (fs/blockdev.ts) over whole blocks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { memoryDisk } from "../../../hw/disk.js";
import type { BlockBackend, BlockCompletion } from "../../../host/block.js";
import { probeVirtioBlk, virtioBlkPoll } from "../../../kernel/drivers/virtio_blk.js";
import { breadahead, findBuffer, getblk, getblkNew, markBufferDirty, submitWrite, type BufferHead } from "../../../kernel/block/buffer.js";
import type { Kernel } from "../../../kernel/index.js";
import { writeRange } from "../../../kernel/fs/vfat/bio.js";
import type { VfatFs } from "../../../kernel/fs/vfat/bpb.js";
import { jbdCommit, jbdJoin, newJournal } from "../../../kernel/fs/jbd2/transaction.js";
import type { JournalSuper } from "../../../kernel/fs/jbd2/format.js";
import { blkdevFops } from "../../../kernel/fs/blockdev.js";
import { fileOps } from "../../../kernel/lib/fsops.js";
import type { File, IoCtx } from "../../../kernel/fs/vfs.js";
import type { Task } from "../../../kernel/proc/task.js";

const core = loadCore();

/** A memory disk whose requests complete only when finish() is called (finish(true): only the writes and flushes). */
function laterDisk(bytes: number): { backend: BlockBackend; disk: Uint8Array; finish: (writesOnly?: boolean) => void } {
  const mem = memoryDisk(bytes);
  let next = 1;
  const held: { ticket: number; read: boolean; run: () => void }[] = [];
  const done: BlockCompletion[] = [];
  const backend: BlockBackend = {
    sectors: mem.sectors, readOnly: false,
    read(sector, buf) { const ticket = next++; held.push({ ticket, read: true, run: () => mem.read(sector, buf) }); return { ticket }; },
    // A backend that answers later owns `data` until then: the device gave it a buffer of its own.
    write(sector, data) { const ticket = next++; held.push({ ticket, read: false, run: () => mem.write(sector, data) }); return { ticket }; },
    flush() { const ticket = next++; held.push({ ticket, read: false, run: () => mem.flush() }); return { ticket }; },
    takeCompleted() { return done.splice(0); },
    inFlight() { return held.length + done.length; },
    onCompletion() {},
  };
  const finish = (writesOnly = false): void => {
    const run = held.filter((h) => !(writesOnly && h.read));
    for (const h of run) { held.splice(held.indexOf(h), 1); h.run(); done.push({ ticket: h.ticket, error: null }); }
  };
  return { backend, disk: mem.bytes, finish };
}

function setup(): { k: Kernel; dev: number; disk: Uint8Array; settle: (writesOnly?: boolean) => void } {
  const d = laterDisk(4 << 20);
  const vm = createVm(core, { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 32 << 20, disk: d.backend });
  const disks = probeVirtioBlk(vm.kernel);
  assert.equal(disks.length, 1);
  const blk = vm.machine.blks![0];
  // Let the disk finish everything it holds, and the driver reap it (as the completion interrupt would).
  const settle = (writesOnly = false): void => { d.finish(writesOnly); blk.pollCompletions(); virtioBlkPoll(vm.kernel); };
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

/** The fields of a mounted vfat file system that its block I/O (vfat/bio.ts) uses: the device, its buffer size and its length. */
function vfatOn(dev: number): VfatFs {
  return { dev, bs: 4096, devBytes: 4 << 20, updating: false, source: "test" } as unknown as VfatFs;
}

test("vfat: a whole-block write while a readahead of the block is in flight keeps the new bytes, and they reach the disk", () => {
  const { k, dev, disk, settle } = setup();
  disk.fill(0x11, 12 * 4096, 13 * 4096);
  breadahead(k, dev, 12, 4096);
  const old = findBuffer(k, dev, 12, 4096)!;
  assert.ok(old.inFlight && !old.uptodate, "the read is in flight");
  writeRange(k, vfatOn(dev), 12 * 4096, new Uint8Array(4096).fill(0x55));
  settle();
  const b = findBuffer(k, dev, 12, 4096)!;
  assert.ok(b.uptodate && b.data.every((x) => x === 0x55), "the old read did not land on the written bytes");
  assert.notEqual(b, old, "the write took a new buffer");
  submitWrite(k, b);
  settle();
  assert.ok(disk.subarray(12 * 4096, 13 * 4096).every((x) => x === 0x55), "the disk has the written bytes");
});

test("jbd2: the commit block written while a read of its log block is in flight reaches the disk", () => {
  const { k, dev, disk, settle } = setup();
  const map: number[] = [];
  for (let i = 0; i < 64; i++) map.push(200 + i);
  const sb: JournalSuper = {
    blockType: 4, blockSize: 4096, maxLen: 64, first: 1, sequence: 1, start: 1, errno: 0,
    featureCompat: 0, featureIncompat: 0, featureRoCompat: 0, uuid: new Uint8Array(16),
  };
  const j = newJournal(dev, 4096, sb, new Uint8Array(4096), map, 1);
  // One metadata block in the running transaction.
  const home = bh(getblk(k, dev, 20, 4096));
  home.data.fill(0x66); home.uptodate = true; markBufferDirty(k, home);
  jbdJoin(k, j, home);
  // The commit writes the descriptor and the copy, then waits for them before its commit block.
  assert.equal(jbdCommit(k, null, j, null), -11, "EAGAIN: the log writes are in flight");
  const commitNr = map[j.head];
  disk.fill(0x11, commitNr * 4096, (commitNr + 1) * 4096); // stale bytes where the commit block goes
  breadahead(k, dev, commitNr, 4096); // a read of that block (a reader of the journal's blocks) starts now
  settle(true); // the log writes finish; the read is still held
  assert.equal(jbdCommit(k, null, j, null), -11, "EAGAIN: the commit block's write is in flight");
  settle();
  assert.equal(jbdCommit(k, null, j, null), 0, "committed");
  const magic = (b: Uint8Array): number => ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const onDisk = disk.subarray(commitNr * 4096, (commitNr + 1) * 4096);
  assert.equal(magic(onDisk), 0xc03b3998, "the commit block is on the disk, not the stale bytes");
  assert.equal((onDisk[4] << 24 | onDisk[5] << 16 | onDisk[6] << 8 | onDisk[7]) >>> 0, 2, "of type commit");
  const cached = findBuffer(k, dev, commitNr, 4096)!;
  assert.equal(magic(cached.data), 0xc03b3998, "and the cache holds it too");
  assert.ok(!cached.dirty, "nothing stale waits to be written over it");
});

test("block device file: write(2) of a whole block while another reader's read of it is in flight keeps the new bytes", () => {
  const { k, dev, disk, settle } = setup();
  disk.fill(0x11, 14 * 4096, 15 * 4096);
  breadahead(k, dev, 14, 4096); // a reader of /dev/vda waits for this block
  const old = findBuffer(k, dev, 14, 4096)!;
  // The open file of /dev/vda as the write uses it (its inode's device), and no task: a write of
  // whole blocks reads nothing, so nobody sleeps.
  const f = { inode: { rdev: dev } } as unknown as File;
  const n = fileOps(blkdevFops).write!(k, null as unknown as Task, f, new Uint8Array(4096).fill(0x77), 14 * 4096, {} as IoCtx);
  assert.equal(n, 4096);
  settle();
  const b = findBuffer(k, dev, 14, 4096)!;
  assert.ok(b.data.every((x) => x === 0x77), "the old read did not land on the written bytes");
  assert.notEqual(b, old, "the write took a new buffer");
  submitWrite(k, b);
  settle();
  assert.ok(disk.subarray(14 * 4096, 15 * 4096).every((x) => x === 0x77), "the disk has the written bytes");
});
