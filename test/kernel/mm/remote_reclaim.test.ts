// A debugger's forced write (PTRACE_POKETEXT into r-x text: kernel/mm/remote.ts)
// needs a frame for the tracee's private copy of the page. With no frame free
// it runs direct reclaim and does the step again, instead of failing (the
// POKE would be EIO and the breakpoint never planted). The breakpoint program
// of test/kernel/proc runs with every free frame taken away for the length
// of each POKE (given back after it): the breakpoint is still planted and
// hit, and reclaim ran inside the POKEs. Concepts: C56, C24.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../fs/harness.js";
import { SYS_ptrace } from "../../../kernel/abi/sysno.js";
import { argU } from "../../../kernel/syscalls/args.js";
import { FRAME_ANON, allocFrameNoZero, putFrame } from "../../../kernel/mm/phys.js";

const PROGS = join(SRC_ROOT, "test/kernel/proc/progs");

test("PTRACE_POKETEXT with no free frame reclaims for the private copy: the breakpoint is planted and hit", { skip: skipNoCC, timeout: 180_000 }, async () => {
  const saved = process.env.TSIX_TEST_JIT;
  process.env.TSIX_TEST_JIT = "off"; // the interpreter (read once, synchronously, when run() creates the machine)
  let pokes = 0, stalls = 0;
  const r = await (async () => {
    try {
      return await run("breakpoint", {
        dir: PROGS,
        setup(k) {
          const orig = k.syscalls[SYS_ptrace]!;
          k.syscalls[SYS_ptrace] = (kk, t) => {
            if (argU(kk, 0) !== 4) return orig(kk, t); // PTRACE_POKETEXT only
            pokes++;
            // Take every free frame (as if other work had used them), run the POKE, give them back.
            const held: number[] = [];
            for (let f = allocFrameNoZero(kk.pm, FRAME_ANON); f !== 0; f = allocFrameNoZero(kk.pm, FRAME_ANON)) held.push(f);
            const before = kk.mmctx.vm.counters.allocstall;
            try { return orig(kk, t); } finally {
              stalls += kk.mmctx.vm.counters.allocstall - before;
              for (const f of held) putFrame(kk.pm, f);
            }
          };
        },
      });
    } finally { if (saved === undefined) delete process.env.TSIX_TEST_JIT; else process.env.TSIX_TEST_JIT = saved; }
  })();
  assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
  assert.match(r.out, /^breakpoint: hit at target$/m, explain(r));
  assert.match(r.out, /^victim: target\(41\)=124$/m, explain(r));
  assert.equal(r.status, 0, explain(r));
  assert.ok(pokes >= 1, `POKETEXTs: ${pokes}`);
  assert.ok(stalls > 0, "direct reclaim ran inside a POKE");
});
