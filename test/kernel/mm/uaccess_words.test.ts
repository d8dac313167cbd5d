// getUser64/putUser64/getUser32/putUser32 read and write guest RAM in place
// (no buffer per call): the value, byte order and EFAULT behaviour must be
// those of copyin/copyout, including a word that straddles two pages and a
// word whose second page is not mapped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "../../../host/node/core.js";
import { createVm } from "../../../vmm/vmm.js";
import { createMM, mapRegion } from "../../../kernel/mm/mm.js";
import { PROT_READ, PROT_WRITE, MAP_PRIVATE, MAP_ANONYMOUS, MAP_FIXED } from "../../../kernel/abi/mman.js";
import { copyin, copyout, getUser64, putUser64, getUser32, putUser32 } from "../../../kernel/mm/uaccess.js";
import { EFAULT } from "../../../kernel/abi/errno.js";

const A = 0x10000000; // two mapped pages
const B = 0x20000000; // one mapped page, the next one unmapped
const RO = 0x30000000; // one read-only page

function setup() {
  const k = createVm(loadCore(), { jit: process.env.TSIX_TEST_JIT !== "off", memBytes: 16 * 1024 * 1024, clock: "instret" }).kernel;
  const mm = createMM(k.mmctx)!;
  const fl = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
  assert.equal(mapRegion(k.mmctx, mm, A, 8192, PROT_READ | PROT_WRITE, fl, null, 0), A);
  assert.equal(mapRegion(k.mmctx, mm, B, 4096, PROT_READ | PROT_WRITE, fl, null, 0), B);
  assert.equal(mapRegion(k.mmctx, mm, RO, 4096, PROT_READ, fl, null, 0), RO);
  return { ctx: k.mmctx, mm };
}

function bytesAt(ctx: ReturnType<typeof setup>["ctx"], mm: ReturnType<typeof setup>["mm"], va: number, n: number): number[] {
  const b = new Uint8Array(n);
  assert.equal(copyin(ctx, mm, va, b), 0);
  return [...b];
}

test("64- and 32-bit user words: little-endian, every offset in and across a page", () => {
  const { ctx, mm } = setup();
  for (const va of [A, A + 8, A + 4093, A + 4092, A + 4089, A + 4088, A + 4095]) {
    assert.equal(putUser64(ctx, mm, va, 0xfedcba9876543210n), 0, `putUser64 at +${va - A}`);
    assert.deepEqual(bytesAt(ctx, mm, va, 8), [0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe], `bytes at +${va - A}`);
    assert.equal(putUser64(ctx, mm, va, 2 ** 53 - 1), 0);
    assert.equal(getUser64(ctx, mm, va), 2 ** 53 - 1, `getUser64 at +${va - A}`);
    assert.equal(putUser64(ctx, mm, va, -2), 0);
    assert.deepEqual(bytesAt(ctx, mm, va, 8), [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "negative numbers in two's complement");
    assert.equal(putUser32(ctx, mm, va, 0x80000001), 0);
    assert.deepEqual(bytesAt(ctx, mm, va, 4), [0x01, 0x00, 0x00, 0x80]);
    assert.equal(getUser32(ctx, mm, va), -0x7fffffff, `getUser32 is signed at +${va - A}`);
    assert.equal(copyout(ctx, mm, va, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), 0);
    assert.equal(getUser64(ctx, mm, va), 0x0807060504030201);
    assert.equal(getUser32(ctx, mm, va), 0x04030201);
  }
});

test("a user word on a missing or read-only page is EFAULT, as copyin/copyout; a straddling write stops at the bad page", () => {
  const { ctx, mm } = setup();
  const end = B + 4096;
  assert.equal(getUser64(ctx, mm, end), null);
  assert.equal(getUser32(ctx, mm, end), null);
  assert.equal(putUser64(ctx, mm, end, 1), -EFAULT);
  assert.equal(putUser32(ctx, mm, end, 1), -EFAULT);
  // Straddling into the unmapped page: reads fail; a write fills the mapped bytes first (copyout does the same).
  assert.equal(getUser64(ctx, mm, end - 4), null);
  assert.equal(getUser32(ctx, mm, end - 2), null);
  assert.equal(copyout(ctx, mm, end - 8, new Uint8Array(8)), 0);
  assert.equal(putUser64(ctx, mm, end - 4, 0x1122334455667788n), -EFAULT);
  assert.deepEqual(bytesAt(ctx, mm, end - 4, 4), [0x88, 0x77, 0x66, 0x55]);
  assert.equal(copyout(ctx, mm, end - 4, new Uint8Array([9, 9, 9, 9, 9])), -EFAULT, "copyout agrees");
  // Read-only: reads work, writes are EFAULT and write nothing.
  assert.equal(getUser64(ctx, mm, RO), 0);
  assert.equal(putUser64(ctx, mm, RO, 5), -EFAULT);
  assert.equal(putUser32(ctx, mm, RO + 4094, 5), -EFAULT);
  assert.equal(getUser64(ctx, mm, RO), 0);
  // Outside the user half, and addresses that are no address at all.
  for (const va of [-8, 2 ** 64, 1.5, NaN]) {
    assert.equal(getUser64(ctx, mm, va), null, `getUser64(${va})`);
    assert.equal(putUser32(ctx, mm, va, 0), -EFAULT, `putUser32(${va})`);
  }
});
