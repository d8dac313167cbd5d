// ASIDs in the machine's TLB (hw/core/mmu.ts): entries of one ASID never hit
// under another, survive satp writes, global entries hit under every ASID,
// and each sfence.vma form drops exactly its part. Observed through stale
// translations (test/hw/asid/tlb_asid.c), which is tsix's own caching (the
// spec allows a TLB to cache less), so it runs on tsix only, on the
// interpreter and with every region translated at first arrival (the JIT's
// inline TLB check reads the same tables).
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

function check(args: string[]): void {
  const elf = buildBare("test/hw/asid/tlb_asid.c", [`-DPRIV_HEADERS_HASH=${HEADERS}`]);
  const r = runTsix(elf, ["--stats", ...args], "", 120_000);
  const fail = /FAIL ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})/.exec(r.stdout ?? "");
  assert.equal(r.status, 0, `tlb_asid.c ${args.join(" ")}: exit ${r.status}` +
    (fail ? ` (check ${parseInt(fail[1], 16)}: got 0x${BigInt("0x" + fail[2]).toString(16)}, expected 0x${BigInt("0x" + fail[3]).toString(16)})` : "") +
    `\n${r.stdout}\n${r.stderr}`);
}

test("asid: ASID-tagged TLB entries, global entries, sfence.vma by ASID (interpreter)", () => {
  check(["--jit", "off"]);
});

test("asid: the same with the JIT translating every region at first arrival", () => {
  check(["--jit", "on", "--jit-hot", "1", "--jit-warmup", "0"]);
});
