// Tests of the generated code's shape and cost (hw/jit/translate.ts), beside
// the exactness tests of tier.test.ts and lockstep.test.ts (issue 12):
//  - a region module imports no function table: V8 copies an imported
//    table into every new instance and updates every importing instance at
//    each table.set(), so with one module per region that was quadratic in
//    the number of regions (python3 makes ~1,700); chaining is done by the
//    core (hw/core/jit.ts jitTry) through its own table instead.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { translatePage } from "../../../hw/jit/translate.js";

/** A page of `addi x1, x1, 1` ending in `jal x0, 0` back to offset 0 (a loop). */
function loopPage(): Uint8Array {
  const bytes = new Uint8Array(4096);
  const dv = new DataView(bytes.buffer);
  for (let o = 0; o < 64; o += 4) dv.setUint32(o, 0x00108093, true); // addi x1, x1, 1
  dv.setUint32(64, 0xfc1ff06f, true); // jal x0, -64
  return bytes;
}

test("a region module imports memory and the fp helper, never a function table", () => {
  const tr = translatePage({ vaPage: 0x80000000n, bytes: loopPage(), rvc: new Uint32Array(65536) }, [0], 512);
  assert.ok(tr, "the loop translates");
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(tr.wasm as Uint8Array<ArrayBuffer>));
  const kinds = imports.map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  assert.deepEqual(kinds, ["env.fp:function", "env.memory:memory"],
    "a region that imports the core's table makes every instantiation and table.set() cost O(regions)");
});
