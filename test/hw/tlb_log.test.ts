// The TLB's refill logs (hw/core/mmu.ts, layout.ts TLB_LOG): a flush clears
// only the entries refilled since the last one, or the whole bank when more
// were refilled than the log holds. test/hw/tlblog/tlb_log.c checks that no
// flush leaves an entry that could hit, below and far above the log's
// capacity, for sfence.vma (all, by ASID with and without global entries, by
// address with superpages cached) and for ASID banks taken over by new
// ASIDs. Run on the interpreter and with every region translated at first
// arrival (the JIT's inline TLB check reads the same tables).
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildBare, runTsix, SRC_ROOT } from "./bare.js";

// buildBare's cache key covers the source only: the shared priv headers go in through a -D flag.
const HEADERS = (() => {
  const h = createHash("sha256");
  const dir = join(SRC_ROOT, "test/hw/priv");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".h")).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest("hex").slice(0, 16);
})();

function check(args: string[]): string {
  const elf = buildBare("test/hw/tlblog/tlb_log.c", [`-DPRIV_HEADERS_HASH=${HEADERS}`]);
  const r = runTsix(elf, ["--stats", ...args], "", 240_000);
  const fail = /FAIL ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})/.exec(r.stdout ?? "");
  assert.equal(r.status, 0, `tlb_log.c ${args.join(" ")}: exit ${r.status}` +
    (fail ? ` (check ${parseInt(fail[1], 16)}: got 0x${BigInt("0x" + fail[2]).toString(16)}, expected 0x${BigInt("0x" + fail[3]).toString(16)})` : "") +
    `\n${r.stdout}\n${r.stderr}`);
  return r.stderr;
}

test("tlb log: flushes after more refills than the log holds, and after few (interpreter)", () => {
  check(["--jit", "off"]);
});

test("tlb log: the same with the JIT translating every region at first arrival", () => {
  check(["--jit", "on", "--jit-hot", "1", "--jit-warmup", "0"]);
});
