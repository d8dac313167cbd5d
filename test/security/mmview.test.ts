// The memory views (kernel/fs/proc/mmview.ts) leak nothing and survive bad
// input: another user's pagemap/smaps/ptwalk are refused with EACCES
// (ptrace rules), an unprivileged reader sees PFN 0 in its own pagemap
// (Linux since 4.2), kpagecount and kpageflags are root only, bad offsets and
// lengths give EINVAL or end of file, never a crash, and oom_score_adj may
// not go below its minimum without CAP_SYS_RESOURCE (Linux's
// oom_score_adj_min; the legacy oom_adj may not go below the current value).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { run, skipNoCC, SRC_ROOT, explain } from "../kernel/fs/harness.js";

const PROGS = join(SRC_ROOT, "test/security/progs");

function results(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [k, ...v] = line.split(" ");
    if (k) m.set(k, v.join(" "));
  }
  return m;
}

test("memory views: other users refused, PFNs hidden from non-root, kpage* root only, bad offsets give errors, oom_score_adj floor", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("sec_mmview", { dir: PROGS });
  assert.equal(r.status, 0, explain(r));
  const o = results(r.out);
  const want: Record<string, string> = {
    other_pagemap: "EACCES", other_smaps: "EACCES", other_ptwalk: "EACCES",
    sameuid_pagemap: "ok", self_present: "1 self_pfn 0",
    user_kpagecount: "EACCES", user_kpageflags: "EACCES",
    adj_below_min: "EACCES", adj_up: "ok", adj_down_to_min: "ok", adj_up_again: "ok",
    legacy_below_current: "EACCES", adj_out_of_range: "EINVAL", legacy_out_of_range: "EINVAL",
    adj_now: "500", legacy_now: "8",
    root_adj_low: "ok", root_adj_now: "-500",
    pagemap_off3: "EINVAL", pagemap_len7: "EINVAL", pagemap_end: "n=0", pagemap_huge: "n=0", pagemap_neg: "EINVAL",
    pagemap_ok: "n=16", kpagecount_off3: "EINVAL", kpagecount_first: "n=8", kpagecount_far: "n=0", kpageflags_len5: "EINVAL",
    ptwalk_short: "EINVAL", ptwalk_kernel_half: "EINVAL", pagemap_tail: "n=8",
    pagemap_reopen: "ok", pagemap_rdwr: "EACCES", pagemap_after_exit: "n=0", done: "",
  };
  for (const [k, v] of Object.entries(want)) assert.equal(o.get(k), v, `${k}\n${explain(r)}`);
  assert.doesNotMatch(r.log, /TIMEOUT|panic|Error/);
});
