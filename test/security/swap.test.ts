// Swap and hostile input (kernel/mm/swap_format.ts, syscalls/swap.ts):
//  - crafted headers (last_page past the device or 0xffffffff, nr_badpages past
//    what fits in page 0, bad pages outside the area, every page bad, a wrong
//    version) are refused with EINVAL and leave the kernel working; a header whose
//    bad-page list is full but valid is accepted and those pages are never used;
//  - a user cannot swapon or swapoff, not even through a world-writable block
//    device node root made; a user cannot make such a node; a node for a device
//    that does not exist is ENXIO; two names for one device are one area (EBUSY).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { memoryDisk } from "../../hw/disk.js";
import { makeSwapHeader, MAX_SWAP_BADPAGES } from "../../kernel/mm/swap_format.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");
const MIB = 1024 * 1024;

/** A 4 MiB disk whose page 0 is a swap header with `edit` applied to its u32 fields. */
function crafted(edit: (dv: DataView) => void): ReturnType<typeof memoryDisk> {
  const d = memoryDisk(4 * MIB);
  const h = makeSwapHeader(1024, new Uint8Array(16).fill(1));
  edit(new DataView(h.buffer));
  d.bytes.set(h, 0);
  return d;
}

test("crafted swap headers: huge last_page or nr_badpages, bad pages out of range, all pages bad: EINVAL, kernel intact", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const cases: [string, (dv: DataView) => void, number][] = [
    ["last_page 0xffffffff", (dv) => dv.setUint32(1028, 0xffffffff, true), 22],
    ["last_page one past the device", (dv) => dv.setUint32(1028, 1024, true), 22],
    ["nr_badpages 0xffffffff", (dv) => dv.setUint32(1032, 0xffffffff, true), 22],
    ["nr_badpages one more than fits", (dv) => dv.setUint32(1032, MAX_SWAP_BADPAGES + 1, true), 22],
    ["bad page 0xfffffff0", (dv) => { dv.setUint32(1032, 1, true); dv.setUint32(1536, 0xfffffff0, true); }, 22],
    ["bad page 0 (the header)", (dv) => { dv.setUint32(1032, 1, true); dv.setUint32(1536, 0, true); }, 22],
    ["version 0x01000000 (byte-swapped)", (dv) => dv.setUint32(1024, 0x01000000, true), 22],
    ["every page bad", (dv) => {
      dv.setUint32(1028, 3, true); dv.setUint32(1032, 3, true);
      dv.setUint32(1536, 1, true); dv.setUint32(1540, 2, true); dv.setUint32(1544, 3, true);
    }, 22],
    // The most bad pages that fit, all valid: accepted; a 4 MiB fill under a 64-frame budget still comes back intact.
    ["a full valid bad-page list", (dv) => {
      dv.setUint32(1032, MAX_SWAP_BADPAGES, true);
      for (let i = 0; i < MAX_SWAP_BADPAGES; i++) dv.setUint32(1536 + 4 * i, 1 + i, true);
    }, 0],
  ];
  for (const [name, edit, errno] of cases) {
    const r = await run("swap_ops", { dir: PROGS, args: ["try", "/dev/vda"], memBytes: 32 * MIB, disk: crafted(edit) });
    assert.equal(r.status, 0, `${name}\n${explain(r)}`);
    assert.match(r.out, new RegExp(`^swapon=${errno}$`, "m"), `${name}\n${explain(r)}`);
    assert.equal(r.k.mmctx.vm.swapPages, 0, `${name}: no swap left counted`);
    if (errno === 0) {
      assert.match(r.out, /^bad 0$/m, explain(r));
      assert.match(r.out, /^swapoff=0$/m, explain(r));
      // 1024 slots less the header and the 637 bad ones: the bad ones were never written.
      const written = r.k.machine.blk!.backend;
      const page = new Uint8Array(4096);
      for (let p = 1; p <= MAX_SWAP_BADPAGES; p += 97) { written.read(p * 8, page); assert.ok(page.every((b) => b === 0), `bad page ${p} was written`); }
    }
  }
});

test("a user cannot swapon or swapoff, even through a 0666 node root made; bogus device nodes are ENXIO; one device, one area", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const d = memoryDisk(4 * MIB);
  d.bytes.set(makeSwapHeader(1024, new Uint8Array(16).fill(2)), 0);
  const r = await run("swap_ops", { dir: PROGS, args: ["node", "/dev/vda"], memBytes: 32 * MIB, disk: d });
  assert.equal(r.status, 0, explain(r));
  for (const [name, errno] of [
    ["mknod", 0], ["mknod_nodev", 0], ["root_nodev", 6], ["user_mknod", 1], ["user_swapon_node", 1], ["user_swapoff_node", 1],
    ["root_node", 0], ["root_dev_again", 16], ["root_swapoff_dev", 0],
  ] as [string, number][]) assert.match(r.out, new RegExp(`^${name}=${errno}$`, "m"), `${name}\n${explain(r)}`);
  assert.equal(r.k.mmctx.vm.swapPages, 0);
});
