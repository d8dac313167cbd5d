// Security: a --mount share served by the asynchronous Node adapter
// (`tsix run --mount-io async`, host/node/hostfs.ts) is no more a way out
// than the synchronous one. The async adapter is separate code (Node's
// asynchronous fs), and the kernel reruns syscalls with answers from a
// journal: the stale-descriptor escapes of hostfs_escape.test.ts (a
// descriptor whose name became a symbolic link to a file OUTSIDE the share,
// by rm + ln -s or by mv of a link over it, then read, written, fchmod'ed,
// ftruncate'd, futimens'ed, mapped) must leave the outside files unread and
// unchanged, and print exactly what the synchronous adapter prints (which
// hostfs_escape.test.ts checks against Linux under qemu-riscv64).
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tsix, explain } from "../kernel/harness.js";
import { program, haveCC } from "../kernel/fs/harness.js";

const PROGS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../test/security/progs");
const skipCC = haveCC ? false : "riscv64-linux-gnu-gcc is not installed";
const SECRET = "TOP SECRET\n";
const VICTIM = "victim\n";

interface Box { base: string; share: string; out: string; bin: string }

function box(): Box {
  const base = mkdtempSync(join(tmpdir(), "tsix-escape-async-"));
  const share = join(base, "share"), out = join(base, "out"), bin = join(base, "bin");
  for (const d of [share, out, bin]) mkdirSync(d);
  writeFileSync(join(share, "a"), "original\n");
  writeFileSync(join(out, "secret.txt"), SECRET);
  writeFileSync(join(out, "victim.txt"), VICTIM);
  chmodSync(join(out, "victim.txt"), 0o644);
  writeFileSync(join(bin, "hostfs_probe"), program("hostfs_probe", PROGS));
  chmodSync(join(bin, "hostfs_probe"), 0o755);
  return { base, share, out, bin };
}

/** Run the probe on a fresh box in `io` mode: its output (with the box's paths made neutral) and whether OUT stayed as it was. */
function probe(io: "sync" | "async", args: (b: Box) => string[]): string {
  const b = box();
  try {
    const victimMtime = statSync(join(b.out, "victim.txt")).mtimeMs;
    const secretMtime = statSync(join(b.out, "secret.txt")).mtimeMs;
    const r = tsix(["run", "--mount", `${b.share}:/mnt`, "--mount-io", io, "--mount", `${b.bin}:/t`, "--", "/t/hostfs_probe", ...args(b)]);
    assert.equal(r.status, 0, `${io}: ${explain(r)}`);
    assert.equal(readFileSync(join(b.out, "secret.txt"), "utf8"), SECRET);
    assert.equal(readFileSync(join(b.out, "victim.txt"), "utf8"), VICTIM);
    assert.equal(statSync(join(b.out, "victim.txt")).mode & 0o777, 0o644);
    assert.equal(statSync(join(b.out, "victim.txt")).mtimeMs, victimMtime);
    assert.equal(statSync(join(b.out, "secret.txt")).mtimeMs, secretMtime);
    assert.doesNotMatch(r.stdout, /TOP SECRET/, r.stdout);
    return r.stdout.split(b.base).join("BASE");
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
}

for (const swap of ["rm", "mv"] as const) {
  test(`hostfs async: stale descriptors (${swap === "rm" ? "rm + ln -s" : "mv of a link over the name"}) reach only the original file, as with the sync adapter`, { skip: skipCC, timeout: 300_000 }, () => {
    for (const op of ["read", "write", "fchmod", "ftruncate", "futimens", "mmap"] as const) {
      const target = op === "read" || op === "mmap" ? "secret.txt" : "victim.txt";
      const args = (x: Box): string[] => ["stale", swap, op, "/mnt/a", join(x.out, target)];
      const a = probe("async", args);
      const s = probe("sync", args);
      assert.equal(a, s, `${op}: the async share answered differently from the sync one`);
    }
  });
}
