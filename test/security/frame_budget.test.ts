// The frame budget (RLIMIT_RSS, kernel/mm/replace.ts) and the replacement
// policy knob cannot be used to lose, leak or reach memory: evicted pages
// are kept and come back intact (also across fork and mprotect), a lowered
// budget evicts rather than drops, munmap frees what was kept, and only root
// may switch the global policy. See test/kernel/mm/progs/budget_guard.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../kernel/fs/harness.js";
import { REPLACEMENT_POLICIES } from "../../kernel/mm/replace.js";

const PROGS = join(SRC_ROOT, "test/kernel/mm/progs");

for (const policy of ["fifo", "clock", "lru-exact", "2q"]) {
  test(`frame budget under ${policy}: kept pages survive fork and mprotect, a lowered budget evicts, munmap frees, the knob is root's`, { skip: skipNoCC, timeout: 120_000 }, async () => {
    const r = await run("budget_guard", {
      dir: PROGS,
      setup: (k) => { k.mmctx.vm.replacementPolicy = (REPLACEMENT_POLICIES as readonly string[]).indexOf(policy); },
    });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.out, /^budget_guard: ok$/m, explain(r));
    assert.doesNotMatch(r.out, /FAIL/, explain(r));
    assert.match(r.out, /^resident 2 kept 6$/m);
  });
}
