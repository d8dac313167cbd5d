// The snapshot codec (vmm/state_codec.ts): a graph of plain data survives
// encode -> JSON text -> decode with every identity kept (shared objects,
// cycles, views sharing one buffer), every value exact (-0, NaN, bigints,
// holes, "__proto__" keys), views over a named external buffer restored over
// the buffer given at decode time without copying it; and anything that is
// not data is refused with the path where it was found.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeGraph, decodeGraph, StateCodecError, type EncodedGraph } from "../../vmm/state_codec.js";

/** Encode, go through JSON text as a file would, decode. */
function roundTrip(v: unknown, ext = new Map<ArrayBufferLike, string>(), back = new Map<string, ArrayBufferLike>()): unknown {
  const enc = encodeGraph(v, ext);
  // The blob as a file reader has it: a Node Buffer at an offset into a larger buffer.
  const blob = Buffer.concat([Buffer.alloc(3), enc.blob]).subarray(3);
  const again: EncodedGraph = { graph: JSON.parse(JSON.stringify(enc.graph)) as EncodedGraph["graph"], blob };
  return decodeGraph(again, back);
}

test("identities, cycles and exact values survive", () => {
  const shared = { name: "file", refs: 2 };
  const parent: Record<string, unknown> = { pid: 1 };
  const child = { pid: 2, parent, fds: [shared, undefined, shared] };
  parent.children = [child];
  parent.self = parent;
  const sparse: unknown[] = [];
  sparse[3] = "x";
  const nul = Object.create(null) as Record<string, unknown>;
  nul.k = 1;
  const odd: Record<string, unknown> = {};
  Object.defineProperty(odd, "__proto__", { value: 7, enumerable: true, writable: true, configurable: true });
  const root = {
    parent, shared, sparse, nul, odd,
    nums: [-0, NaN, Infinity, -Infinity, 2 ** 53 - 1, 0.1],
    big: [2n ** 64n - 1n, -5n],
    map: new Map<unknown, unknown>([[shared, "by object key"], ["k", child]]),
    set: new Set([shared, 3]),
    str: "tab\t\u0000 lone \ud800 end",
  };
  const r = roundTrip(root) as typeof root;
  const p = r.parent as { self: unknown; children: { parent: unknown; fds: unknown[] }[] };
  assert.equal(p.self, p, "a cycle through one object");
  assert.equal(p.children[0].parent, p, "a back-pointer");
  assert.equal(p.children[0].fds[0], r.shared, "a shared object is one object");
  assert.equal(p.children[0].fds[2], r.shared);
  assert.equal(p.children[0].fds[1], undefined);
  assert.ok(1 in p.children[0].fds, "an undefined element stays an element");
  assert.equal(r.sparse.length, 4);
  assert.ok(!(0 in r.sparse) && r.sparse[3] === "x", "holes stay holes");
  assert.equal(Object.getPrototypeOf(r.nul), null);
  assert.equal(Object.getPrototypeOf(r.odd), Object.prototype);
  assert.deepEqual(Object.keys(r.odd), ["__proto__"]);
  assert.ok(Object.is(r.nums[0], -0) && Number.isNaN(r.nums[1]));
  assert.deepEqual(r.nums.slice(2), [Infinity, -Infinity, 2 ** 53 - 1, 0.1]);
  assert.deepEqual(r.big, [2n ** 64n - 1n, -5n]);
  assert.equal(r.map.get(r.shared), "by object key", "a Map keyed by a shared object");
  assert.equal((r.map.get("k") as { parent: unknown }).parent, p);
  assert.ok(r.set.has(r.shared) && r.set.has(3));
  assert.equal(r.str, root.str);
});

test("views share their buffer after decoding; external buffers are named, not copied", () => {
  const buf = new ArrayBuffer(64);
  const u8 = new Uint8Array(buf, 8, 16);
  const u32 = new Uint32Array(buf, 8, 4);
  const dv = new DataView(buf, 0, 8);
  u32[0] = 0xdeadbeef;
  dv.setUint16(2, 0x1234);
  const big = new BigUint64Array([1n << 63n]);
  const machine = new ArrayBuffer(1 << 20);
  const ram = new Uint8Array(machine, 4096, 8192);
  ram[5] = 99;
  const enc = encodeGraph({ u8, u32, dv, big, ram }, new Map([[machine, "memory"]]));
  assert.ok(enc.blob.length < 200, `the machine's 1 MiB is not in the blob (${enc.blob.length} bytes)`);
  const other = new ArrayBuffer(1 << 20);
  new Uint8Array(other)[4096 + 5] = 42;
  const r = decodeGraph(enc, new Map([["memory", other]])) as { u8: Uint8Array; u32: Uint32Array; dv: DataView; big: BigUint64Array; ram: Uint8Array };
  assert.equal(r.u8.buffer, r.u32.buffer, "two views of one buffer stay views of one buffer");
  assert.equal(r.u32[0], 0xdeadbeef);
  r.u8[0] = 1;
  assert.equal(r.u32[0] & 0xff, 1, "a write through one view shows through the other");
  assert.equal(r.dv.getUint16(2), 0x1234);
  assert.equal(r.big[0], 1n << 63n);
  assert.equal(r.ram.buffer, other, "the external view is over the buffer given at decode time");
  assert.equal(r.ram.byteOffset, 4096);
  assert.equal(r.ram[5], 42);
});

test("what is not data is refused, naming where it is", () => {
  class Task { pid = 1; }
  const cases: [unknown, RegExp][] = [
    [{ a: { b: [1, () => 0] } }, /state\.a\.b\[1\] holds a function/],
    [{ t: new Task() }, /state\.t is an instance of Task/],
    [{ m: new Map([["x", Symbol("s")]]) }, /state\.m\.get\(x\) holds a symbol/],
    [{ d: new Date(0) }, /state\.d is an instance of Date/],
    [{ get g() { return 1; } }, /state\.g is an accessor/],
  ];
  for (const [v, want] of cases) assert.throws(() => encodeGraph(v), (e: unknown) => e instanceof StateCodecError && want.test(e.message));
});

test("malformed input is a StateCodecError, never a crash or a wrong graph", () => {
  const enc = encodeGraph({ a: new Uint8Array(4), b: [1, 2] });
  const bad: EncodedGraph[] = [
    { graph: { root: ["r", 99], objects: [] }, blob: new Uint8Array(0) },
    { graph: { root: ["r", 0], objects: [["B", 0, 1000]] }, blob: new Uint8Array(8) },
    { graph: { root: ["r", 0], objects: [["V", "Float64Array", 0, 0, 1], ] }, blob: new Uint8Array(8) },
    { graph: { root: ["r", 0], objects: [["Q" as "A", []]] }, blob: new Uint8Array(0) },
    { graph: { root: ["r", 0], objects: [["X", "memory"]] }, blob: new Uint8Array(0) },
    { graph: enc.graph, blob: new Uint8Array(0) },
  ];
  for (const b of bad) assert.throws(() => decodeGraph(b), StateCodecError, JSON.stringify(b.graph).slice(0, 80));
});
