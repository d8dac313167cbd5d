// Debian's gdb on tsix (issue 11's stretch goal): an image with gdb (through
// buildImage, the code path of `tsix image build --packages
// busybox-static,gdb`, cached under $TSIX_HOME), and gdb/gdbprog.c built
// with -g -O0 as a dynamically linked PIE, debugged in batch mode: a
// breakpoint at main (gdb relocates the PIE from /proc/PID/auxv's AT_ENTRY,
// plants an ebreak through /proc/PID/mem with FOLL_FORCE, reads registers
// with PTRACE_GETREGSET NT_PRSTATUS and NT_PRFPREG), `next` over a line
// (software single-step: riscv has no PTRACE_SINGLESTEP, gdb plants
// breakpoints at the next pcs), `print` of a local from the stack frame, a
// second breakpoint inside a called function with its argument and a
// two-frame backtrace, a breakpoint in a new thread (PTRACE_O_TRACECLONE,
// per-thread stops: gdb says which thread hit it, `info threads` lists
// both), and `continue` to a normal exit with the thread's exit seen and the
// program's own output right.
//
// Concepts: C24 (the breakpoint's private copy of the text page), C33, C44.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildImage } from "../../../userland/image/build.js";
import { explain, SRC_ROOT, tsixAsync, type RunResult } from "../harness.js";
import { skipNoCC } from "../fs/harness.js";

const SRC = join(SRC_ROOT, "test/kernel/proc/gdb");
const OUT = join(SRC_ROOT, "build/kernel-tests/gdb");

let r: RunResult | undefined;

before(async () => {
  if (skipNoCC) return;
  mkdirSync(OUT, { recursive: true });
  // The debug info names the source as /src/gdbprog.c, where the guest sees SRC.
  const cc = spawnSync("riscv64-linux-gnu-gcc", ["-g", "-O0", "-pthread", `-fdebug-prefix-map=${SRC}=/src`, "-o", join(OUT, "gdbprog"), join(SRC, "gdbprog.c")], { encoding: "utf8" });
  if (cc.status !== 0) throw new Error(`riscv64-linux-gnu-gcc failed:\n${cc.stderr}`);
  const img = await buildImage({ packages: ["busybox-static", "gdb"] });
  const cmds = ["break main", "run", "next", "print x", "bt", "break square", "continue", "print v", "bt",
    "break worker", "continue", "print *(int *)arg", "info threads", "continue"];
  // gdb starts about 3x slower on the JIT (2m20s against 50s here: it translates much code it runs
  // once), so this boot stays on the interpreter (the last --jit counts) even in the JIT
  // pass; breakpoints under the JIT are breakpoint.test.ts's.
  r = await tsixAsync(["run", "--jit", "off", "--image", img.path, "--mount", `${SRC}:/src`, "--mount", `${OUT}:/prog`, "--",
    "gdb", "-nx", "-batch", ...cmds.flatMap((c) => ["-ex", c]), "/prog/gdbprog"], { timeout: 300_000 });
}, { timeout: 900_000 });

test("gdb: break main, run, next, print, bt, a breakpoint in a callee, one in a thread, continue to the end", { skip: skipNoCC }, () => {
  assert.ok(r, "gdb did not run");
  const out = r.stdout;
  // break main + run: stopped at main's first line.
  assert.match(out, /^Breakpoint 1, main \(\) at \/src\/gdbprog\.c:18$/m, explain(r));
  assert.match(out, /^18\s+int x = 6;$/m, explain(r));
  // next: the following line.
  assert.match(out, /^19\s+x = square\(x\) \+ 1;$/m, explain(r));
  // print x after `int x = 6` ran.
  assert.match(out, /^\$1 = 6$/m, explain(r));
  assert.match(out, /^#0 {2}main \(\) at \/src\/gdbprog\.c:19$/m, explain(r));
  // The breakpoint in square, its argument, and the caller's frame.
  assert.match(out, /^Breakpoint 2, square \(v=6\) at \/src\/gdbprog\.c:7$/m, explain(r));
  assert.match(out, /^\$2 = 6$/m, explain(r));
  assert.match(out, /^#0 {2}square \(v=6\) at \/src\/gdbprog\.c:7$/m, explain(r));
  assert.match(out, /^#1 {2}0x[0-9a-f]+ in main \(\) at \/src\/gdbprog\.c:19$/m, explain(r));
  // The new thread: gdb follows it, it hits the breakpoint in worker, which sees main's x (37).
  assert.match(out, /^\[New Thread 0x[0-9a-f]+ \(LWP \d+\)\]$/m, explain(r));
  assert.match(out, /^Thread 2 "gdbprog" hit Breakpoint 3, worker \(arg=0x[0-9a-f]+\) at \/src\/gdbprog\.c:12$/m, explain(r));
  assert.match(out, /^\$3 = 37$/m, explain(r));
  assert.match(out, /^ {2}1 +Thread 0x[0-9a-f]+ \(LWP \d+\) "gdbprog" /m, explain(r));
  assert.match(out, /^\* 2 +Thread 0x[0-9a-f]+ \(LWP \d+\) "gdbprog" worker \(arg=0x[0-9a-f]+\) at \/src\/gdbprog\.c:12$/m, explain(r));
  // continue: the program ran on with the breakpoints taken out of its way.
  assert.match(out, /^x=137$/m, explain(r));
  assert.match(out, /^\[Thread 0x[0-9a-f]+ \(LWP \d+\) exited\]$/m, explain(r));
  assert.match(out, /^\[Inferior 1 \(process \d+\) exited normally\]$/m, explain(r));
  assert.doesNotMatch(out + r.stderr, /Cannot access memory|Cannot insert breakpoint|Function not implemented/, explain(r));
  assert.equal(r.status, 0, explain(r));
});
