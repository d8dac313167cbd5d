// The MBR that `tsix mkfs` and `tsix image build` write (cli/disk.ts): one
// bootable Linux partition from 1 MiB to the end, its LBA fields exact and
// its CHS fields consistent with the 255-head, 63-sector geometry that
// partitioning tools assume, so that `fdisk -l` has nothing to warn about.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mbrOnePartition } from "../../cli/disk.js";

/** Decode a 3-byte CHS field into [cylinder, head, sector]. */
function chs(b: Uint8Array, at: number): [number, number, number] {
  return [b[at + 2] | ((b[at + 1] & 0xc0) << 2), b[at], b[at + 1] & 0x3f];
}

/** CHS of an LBA under 255 heads and 63 sectors per track. */
function expected(lba: number): [number, number, number] {
  return [Math.floor(lba / (255 * 63)), Math.floor(lba / 63) % 255, (lba % 63) + 1];
}

test("a 128 MiB disk: partition 1 is 2048..262143, bootable, type 0x83, with matching CHS start and end", () => {
  const m = mbrOnePartition(128 * 2 ** 20);
  const v = new DataView(m.buffer);
  assert.equal(m[510], 0x55);
  assert.equal(m[511], 0xaa);
  assert.equal(m[446], 0x80);
  assert.equal(m[446 + 4], 0x83);
  assert.equal(v.getUint32(446 + 8, true), 2048);
  assert.equal(v.getUint32(446 + 12, true), 262144 - 2048);
  assert.deepEqual(chs(m, 447), expected(2048));
  assert.deepEqual(chs(m, 447), [0, 32, 33]);
  assert.deepEqual(chs(m, 451), expected(262143));
  assert.deepEqual(chs(m, 451), [16, 81, 1]);
  // The other three entries stay empty.
  assert.ok(m.subarray(462, 510).every((b) => b === 0));
});

test("past cylinder 1023 (a 16 GiB disk) the end CHS is the conventional 1023/254/63", () => {
  const m = mbrOnePartition(16 * 2 ** 30);
  assert.deepEqual(chs(m, 447), [0, 32, 33]);
  assert.deepEqual(chs(m, 451), [1023, 254, 63]);
});
