// Micro benchmark of the F/D unit (hw/core/fpu.ts): nanoseconds per fpExec
// for fadd.d, fmul.d, fdiv.d, fmadd.d and fsqrt.d in round-to-nearest-even
// with normal operands (the native fast paths), plus a few other cases for
// comparison: directed rounding modes (software rounding; fmadd.d rdn is the
// all-integer FMA), single precision, a conversion, and fsgnj.d as the cost
// of decoding and dispatch alone.
//
// Two numbers per instruction:
//   wasm loop  fpExec called from a loop inside wasm, as the hart's
//              interpreter calls it (the figure that matters);
//   JS call    fpExec called from JavaScript, one call per instruction
//              (adds the JS -> wasm transition).
//
// Run: npx tsc -p . && node dist/bench/fpu.js [iterations per run]
import { loadFpu } from "../test/hw/fpu/fpuwasm.js";

// The benchmark module adds a loop around fpExec. It cycles rs1 (and rs2 when
// `rs2` is set) through f0..f7 so that the operands vary, and writes f31.
const BENCH_ENTRY = `import { fpExec } from "../../hw/core/fpu";
export { fpExec };
export function loop(insn: u32, n: i32, rs2: bool): i32 {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r1 = <u32>i & 7;
    const r2 = rs2 ? <u32>(i + 3) & 7 : 0;
    s += fpExec(insn | (r1 << 15) | (r2 << 20));
  }
  return s;
}
`;

const RD = 31;
const REPS = 5;
const rType = (f7: number, rm: number) => ((f7 << 25) | (rm << 12) | (RD << 7) | 0x53) >>> 0;
const fma = (fmt: number, rm: number) => ((2 << 27) | (fmt << 25) | (rm << 12) | (RD << 7) | 0x43) >>> 0; // rs3 = f2

const CASES: [string, number][] = [
  ["fadd.d", rType(0x01, 0)],
  ["fmul.d", rType(0x09, 0)],
  ["fdiv.d", rType(0x0d, 0)],
  ["fmadd.d", fma(1, 0)],
  ["fsqrt.d", rType(0x2d, 0)],
  ["fadd.d rtz", rType(0x01, 1)],
  ["fmul.d rup", rType(0x09, 3)],
  ["fmadd.d rdn", fma(1, 2)],               // the all-integer FMA
  ["fcvt.w.d", rType(0x61, 0)],             // rs2 = 0 (w); the loop must not vary rs2
  ["fadd.s", rType(0x00, 0)],
  ["fmul.s", rType(0x08, 0)],
  ["fmadd.s", fma(0, 0)],
  ["fsgnj.d", rType(0x11, 0)],
];

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2_000_000);
  const fpu = await loadFpu(BENCH_ENTRY, "bench");
  const loop = fpu.exports.loop as (insn: number, n: number, rs2: boolean) => number;
  const f64 = new Float64Array(1);
  const bits = new BigUint64Array(f64.buffer);

  const setOperands = (single: boolean) => {
    // Normal operands of mixed magnitude and sign; singles NaN-boxed.
    const vals = [1.5, -3.25, 0.1, 12345.678, -7.0e-3, 2.5e10, 0.333, -42.0];
    for (let i = 0; i < 8; i++) {
      if (single) {
        const f32 = new Float32Array([vals[i]]);
        fpu.f[i] = 0xffffffff00000000n | BigInt(new Uint32Array(f32.buffer)[0]);
      } else {
        f64[0] = vals[i];
        fpu.f[i] = bits[0];
      }
    }
    fpu.fcsr[0] = 0;
  };

  console.log(`fpExec, best of ${REPS} runs of ${n.toLocaleString("en-US")} iterations (ns per instruction)`);
  console.log("instruction    wasm loop    JS call");
  for (const [name, insn] of CASES) {
    setOperands(name.endsWith(".s"));
    // The operands are normal for sqrt too: take their absolute value.
    if (name.startsWith("fsqrt")) for (let i = 0; i < 8; i++) fpu.f[i] &= 0x7fffffffffffffffn;
    const two = !name.startsWith("fsqrt") && !name.startsWith("fcvt");   // rs2 is a funct field
    const js = fpu.fpExec;
    const m2 = two ? 7 : 0;
    loop(insn, 100_000, two);                             // warm up
    for (let i = 0; i < 100_000; i++) js(insn | ((i & 7) << 15) | (((i + 3) & m2) << 20));
    // The machines are shared and noisy: report the best of REPS runs.
    let wasmNs = Infinity;
    let jsNs = Infinity;
    for (let rep = 0; rep < REPS; rep++) {
      let t = process.hrtime.bigint();
      if (loop(insn, n, two) !== 0) throw new Error(`${name}: fpExec reported an illegal instruction`);
      wasmNs = Math.min(wasmNs, Number(process.hrtime.bigint() - t) / n);
      t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) js(insn | ((i & 7) << 15) | (((i + 3) & m2) << 20));
      jsNs = Math.min(jsNs, Number(process.hrtime.bigint() - t) / n);
    }
    console.log(`${name.padEnd(14)} ${wasmNs.toFixed(1).padStart(9)} ${jsNs.toFixed(1).padStart(10)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
