// kernel/abi/le.ts against the platform's DataView (the reference): every
// helper at aligned and unaligned offsets, on the edge values of its width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getU32, getI32, putU32, getU64, getI64, putU64, putU64Big, getU64Big, copyWords } from "../../../kernel/abi/le.js";

const V32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, -1, -0x80000000];
const V64 = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -(2 ** 32), -(2 ** 53 - 1), 0x12345678 * 2 ** 20];
const B64 = [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0xfedcba9876543210n, -2n];

test("32-bit helpers match DataView (little-endian) at every offset", () => {
  for (const at of [0, 1, 3, 5]) {
    for (const v of V32) {
      const b = new Uint8Array(12);
      putU32(b, at, v);
      const dv = new DataView(b.buffer);
      assert.equal(dv.getUint32(at, true), v >>> 0, `putU32(${v}) at ${at}`);
      assert.equal(getU32(b, at), v >>> 0);
      assert.equal(getI32(b, at), v | 0);
      assert.equal(b.reduce((n, x) => n + (x ? 1 : 0), 0) <= 4, true, "four bytes at most written");
    }
  }
});

test("64-bit helpers match DataView's BigInt accessors at every offset", () => {
  for (const at of [0, 1, 4, 7]) {
    for (const v of V64) {
      const b = new Uint8Array(16);
      putU64(b, at, v);
      const dv = new DataView(b.buffer);
      assert.equal(dv.getBigInt64(at, true), BigInt(v), `putU64(${v}) at ${at}`);
      assert.equal(getI64(b, at), v);
      assert.equal(getU64(b, at), Number(BigInt.asUintN(64, BigInt(v))));
      assert.equal(getU64Big(b, at), BigInt.asUintN(64, BigInt(v)));
    }
    for (const v of B64) {
      const b = new Uint8Array(16);
      putU64Big(b, at, v);
      assert.equal(new DataView(b.buffer).getBigUint64(at, true), BigInt.asUintN(64, v), `putU64Big(${v}) at ${at}`);
      assert.equal(getU64Big(b, at), BigInt.asUintN(64, v));
    }
  }
});

test("copyWords copies 64-bit words bit for bit and nothing else", () => {
  const src = new Uint8Array(32).map((_, i) => 0xa0 + i);
  const dst = new Uint8Array(40);
  copyWords(dst, 4, src, 8, 2);
  assert.deepEqual([...dst.subarray(4, 20)], [...src.subarray(8, 24)]);
  assert.equal(dst.subarray(0, 4).every((x) => x === 0) && dst.subarray(20).every((x) => x === 0), true);
});
