// Security: FAT images are untrusted input. Crafted images - a cluster chain
// that loops, a FAT entry pointing past the last cluster, a free cluster
// inside a chain, a file size far past its chain, a directory whose chain
// loops (no end), a root directory's chain that loops, and boot sectors with
// 0 bytes per sector, sectors per cluster not a power of two, a FAT bigger
// than the kernel will hold, a volume bigger than the device - must give
// errors (EIO with a "FAT-fs" kernel log line, a refused mount with one)
// and never a kernel exception ("internal error"), a hang (the runs have a
// 60 s limit and must exit by themselves), or anything outside the RAM disk.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { createRamDisk } from "../../kernel/block/ramdisk.js";
import { pattern, cleanup } from "../kernel/fs/ext2/images.js";
import { haveDosfs, mkfsVfat } from "../kernel/fs/vfat/images.js";

const skip = skipNoCC || (!haveDosfs ? "dosfstools or mtools is not installed" : false);
const EXT2_PROGS = join(SRC_ROOT, "test/kernel/fs/ext2/progs");
const work = mkdtempSync(join(tmpdir(), "tsix-vfat-sec-"));
after(() => cleanup(work));

/** ext2ls mounts /dev/ram0 as vfat read-only, walks and reads everything, unmounts. */
async function ls(img: Uint8Array): Promise<Awaited<ReturnType<typeof run>>> {
  return run("ext2ls", {
    dir: EXT2_PROGS, args: ["vfat", "ro"], timeoutMs: 60_000,
    setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); },
  });
}

const u16 = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const put32 = (b: Uint8Array, o: number, v: number): void => { for (let i = 0; i < 4; i++) b[o + i] = (v >>> (8 * i)) & 0xff; };

/** An image made from a small tree, and where its structures are (read here from the boot sector, independently of the kernel). */
function base(): { img: Uint8Array; setFat: (c: number, v: number) => void; entry: (dirFirst: number, short: string) => number; rootClus: number; clusterAddr: (c: number) => number } {
  const tree = join(work, "tree");
  mkdirSync(join(tree, "dir"), { recursive: true });
  for (const n of ["LOOP.BIN", "FAR.BIN", "FREE.BIN", "HUGE.BIN", "OK.TXT"]) writeFileSync(join(tree, n), pattern(3000, n.length));
  writeFileSync(join(tree, "dir", "X.TXT"), "x");
  const file = join(work, "base.img");
  mkfsVfat(file, 34, tree);
  const img = new Uint8Array(readFileSync(file));
  const bps = u16(img, 11), spc = img[13], rsvd = u16(img, 14), nfats = img[16], fatSz = u32(img, 0x24), rootClus = u32(img, 0x2c);
  const dataStart = (rsvd + nfats * fatSz) * bps;
  const clusterAddr = (c: number): number => dataStart + (c - 2) * bps * spc;
  const setFat = (c: number, v: number): void => { for (let i = 0; i < nfats; i++) put32(img, (rsvd + i * fatSz) * bps + c * 4, v); };
  /** Byte offset of the short entry named `short` (11 characters) in the directory's first cluster. */
  const entry = (dirFirst: number, short: string): number => {
    const a = clusterAddr(dirFirst);
    for (let o = 0; o < bps * spc; o += 32) if (String.fromCharCode(...img.subarray(a + o, a + o + 11)) === short) return a + o;
    throw new Error(`no entry ${short}`);
  };
  return { img, setFat, entry, rootClus, clusterAddr };
}
const firstOf = (img: Uint8Array, e: number): number => (u16(img, e + 20) << 16) | u16(img, e + 26);

test("crafted cluster chains, sizes and directories give EIO and a FAT-fs log line, never an exception or a hang", { skip, timeout: 120_000 }, async () => {
  const { img, setFat, entry, rootClus } = base();
  const loop = firstOf(img, entry(rootClus, "LOOP    BIN"));
  setFat(loop + 1, loop);                                    // the chain's second cluster points back to its first
  const far = firstOf(img, entry(rootClus, "FAR     BIN"));
  setFat(far, 0x0ffff000);                                   // past the last cluster (and not an end mark)
  const free = firstOf(img, entry(rootClus, "FREE    BIN"));
  setFat(free + 2, 0);                                       // a free cluster inside the chain
  put32(img, entry(rootClus, "HUGE    BIN") + 28, 0xffffffff); // 4 GiB - 1 on a 6-cluster chain
  const dir = firstOf(img, entry(rootClus, "DIR        "));
  setFat(dir, dir);                                          // a directory whose chain never ends
  const r = await ls(img);
  assert.equal(r.status, 0, explain(r));
  for (const n of ["LOOP.BIN", "FAR.BIN", "FREE.BIN", "HUGE.BIN"]) assert.match(r.out, new RegExp(`^lstat /${n.replace(".", "\\.")}: Input/output error$`, "m"), explain(r));
  assert.match(r.out, /^lstat \/dir: Input\/output error$/m, explain(r)); // found when the directory is looked up, not at mount
  assert.match(r.out, /^\/OK\.TXT ino=\d+ mode=100755 .* size=3000 .* read=3000$/m, explain(r));
  assert.match(r.out, /umount ok/, explain(r));
  assert.match(r.log, /FAT-fs \(ram0\): error: .*cluster chain loops/, explain(r));
  assert.match(r.log, /FAT-fs \(ram0\): error: .*points to 268431360, outside the volume/, explain(r));
  assert.match(r.log, /FAT-fs \(ram0\): error: .*marked free inside a chain/, explain(r));
  assert.match(r.log, /FAT-fs \(ram0\): error: .*size 4294967295 is past the end of its 6 clusters/, explain(r));
  assert.doesNotMatch(r.log, /internal error|TIMEOUT/, explain(r));
});

test("a root directory whose chain loops is refused at mount with a log line", { skip, timeout: 120_000 }, async () => {
  const { img, setFat, rootClus } = base();
  setFat(rootClus, rootClus);
  const r = await ls(img);
  assert.match(r.out, /^mount: Input\/output error$/m, explain(r));
  assert.match(r.log, /FAT-fs \(ram0\): error: mount: .*cluster chain loops/, explain(r));
  assert.doesNotMatch(r.log, /internal error|TIMEOUT/, explain(r));
});

const bpbCases: [string, (img: Uint8Array) => void, RegExp][] = [
  ["0 bytes per sector", (b) => { b[11] = 0; b[12] = 0; }, /bad bytes per sector 0/],
  ["3 sectors per cluster", (b) => { b[13] = 3; }, /sectors per cluster 3 is not a power of two/],
  ["a 2 GiB FAT", (b) => { put32(b, 0x24, 0x400000); }, /FAT of \d+ bytes is too big/],
  ["a volume bigger than the device", (b) => { put32(b, 0x20, 0x7fffffff); }, /bigger than the device/],
  ["a root cluster past the end", (b) => { put32(b, 0x2c, 0x0ffffff0); }, /root cluster \d+ outside/],
  ["no FATs", (b) => { b[16] = 0; }, /no FAT/],
];

for (const [name, patch, why] of bpbCases) {
  test(`a boot sector with ${name} is refused with EINVAL and a log line`, { skip, timeout: 120_000 }, async () => {
    const { img } = base();
    patch(img);
    const r = await ls(img);
    assert.equal(r.status, 1, explain(r));
    assert.match(r.out, /^mount: Invalid argument$/m, explain(r));
    assert.match(r.log, new RegExp(`FAT-fs \\(ram0\\): bogus boot sector: .*${why.source}.*; not mounted`), explain(r));
    assert.doesNotMatch(r.log, /internal error|TIMEOUT/, explain(r));
  });
}

test("random bytes over the FAT and the root directory never give an exception or a hang", { skip, timeout: 300_000 }, async () => {
  const { img, rootClus, clusterAddr } = base();
  const fatStart = u16(img, 14) * u16(img, 11);
  let x = 12345;
  const rnd = (n: number): number => { x = (x * 1103515245 + 12345) >>> 0; return x % n; };
  for (let i = 0; i < 8; i++) {
    const c = img.slice();
    for (let j = 0; j < 40; j++) c[fatStart + rnd(512)] = rnd(256);
    for (let j = 0; j < 40; j++) c[clusterAddr(rootClus) + rnd(512)] = rnd(256);
    const r = await ls(c);
    assert.ok(r.status === 0 || r.status === 1, explain(r));
    assert.doesNotMatch(r.log, /internal error|TIMEOUT/, explain(r));
  }
});
