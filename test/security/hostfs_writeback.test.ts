// Data loss: what a guest program stores through a MAP_SHARED mapping of a
// file in a `--mount` share must reach the host file - at msync, within the
// periodic write-back interval while the mapping stays alive, when tsix gets
// SIGTERM or SIGINT, and when the machine halts (init exits) while another
// process still has the mapping - and only the pages the guest stored into,
// so that write-back never puts old contents over the host's own changes. progs/hostfs_probe.c `map` maps an 8 KiB
// file, stores "MAPPED-1" at 0 and "MAPPED-2" at 4096, and signals the test
// through marker files in the share.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import { tsixAsync, explain, type RunResult } from "../kernel/harness.js";
import { program, haveCC } from "../kernel/fs/harness.js";

const PROGS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../test/security/progs");
const skip = haveCC ? false : "riscv64-linux-gnu-gcc is not installed";

interface Box { base: string; share: string; bin: string; data: string }

function box(): Box {
  const base = mkdtempSync(join(tmpdir(), "tsix-wb-"));
  const share = join(base, "share"), bin = join(base, "bin");
  mkdirSync(share);
  mkdirSync(bin);
  const data = join(share, "data");
  writeFileSync(data, Buffer.alloc(8192, "."));
  writeFileSync(join(bin, "hostfs_probe"), program("hostfs_probe", PROGS));
  chmodSync(join(bin, "hostfs_probe"), 0o755);
  return { base, share, bin, data };
}

const mounts = (b: Box): string[] => ["--mount", `${b.share}:/mnt`, "--mount", `${b.bin}:/t`];

/** Whether the host file holds both stores. */
function stored(b: Box): boolean {
  const d = readFileSync(b.data);
  return d.length === 8192 && d.subarray(0, 8).toString() === "MAPPED-1" && d.subarray(4096, 4104).toString() === "MAPPED-2";
}

function assertStored(b: Box, r?: RunResult): void {
  const d = readFileSync(b.data);
  assert.equal(d.length, 8192);
  assert.equal(d.subarray(0, 8).toString(), "MAPPED-1", r ? explain(r) : undefined);
  assert.equal(d.subarray(4096, 4104).toString(), "MAPPED-2", r ? explain(r) : undefined);
  assert.equal(d.subarray(8, 16).toString(), "........");
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

test("hostfs write-back: msync(MS_SYNC) puts a shared mapping's stores in the host file while the mapping lives", { skip, timeout: 120_000 }, async () => {
  const b = box();
  try {
    const run = tsixAsync(["run", ...mounts(b), "--", "/t/hostfs_probe", "map", "msync", "/mnt/data", "/mnt"], { timeout: 60_000 });
    const synced = await waitFor(() => existsSync(join(b.share, "synced")), 60_000);
    assert.ok(synced, "the probe never got past msync");
    const now = stored(b);
    writeFileSync(join(b.share, "done"), "");
    const r = await run;
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /^msync ret=0 errno=0$/m, explain(r));
    assert.ok(now, "after msync the host file did not have the stores");
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

for (const [sig, status] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  test(`hostfs write-back: ${sig} to tsix while a shared mapping lives writes it back, and tsix exits ${status}`, { skip, timeout: 120_000 }, async () => {
    const b = box();
    try {
      let child: ChildProcess | undefined;
      const run = tsixAsync(["run", ...mounts(b), "--", "/t/hostfs_probe", "map", "hold", "/mnt/data", "/mnt"], {
        timeout: 60_000, onSpawn: (p) => { child = p; },
      });
      assert.ok(await waitFor(() => existsSync(join(b.share, "ready")), 60_000), "the probe never mapped the file");
      assert.ok(!stored(b), "the stores reached the host before the signal: the test would prove nothing");
      child!.kill(sig);
      const r = await run;
      assertStored(b, r);
      assert.equal(r.status, status, explain(r));
    } finally {
      rmSync(b.base, { recursive: true, force: true });
    }
  });
}

test("hostfs write-back: the machine halting (init exits) while another process maps the file writes it back", { skip, timeout: 120_000 }, async () => {
  const b = box();
  try {
    const r = await tsixAsync(["run", ...mounts(b), "--", "sh", "-c",
      "/t/hostfs_probe map hold /mnt/data /mnt & while [ ! -e /mnt/ready ]; do sleep 0.05; done; echo halting"], { timeout: 60_000 });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /halting/, explain(r));
    assertStored(b, r);
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs write-back: a mapping that stays alive reaches the host within the periodic write-back interval (no sync, then SIGKILL)", { skip, timeout: 120_000 }, async () => {
  const b = box();
  try {
    let child: ChildProcess | undefined;
    const run = tsixAsync(["run", ...mounts(b), "--", "/t/hostfs_probe", "map", "sleep", "/mnt/data", "/mnt"], {
      timeout: 60_000, onSpawn: (p) => { child = p; },
    });
    assert.ok(await waitFor(() => existsSync(join(b.share, "ready")), 60_000), "the probe never mapped the file");
    // 5 s of guest time (the host clock) plus a margin for a loaded machine.
    const reached = await waitFor(() => stored(b), 20_000);
    child!.kill("SIGKILL");
    const r = await run;
    assert.equal(r.signal, "SIGKILL", explain(r));
    assert.ok(reached, "the stores never reached the host while the mapping lived");
    assertStored(b, r);
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs write-back: only pages the guest stored into are written - a page the host changed meanwhile is not put back", { skip, timeout: 120_000 }, async () => {
  const b = box();
  try {
    const run = tsixAsync(["run", ...mounts(b), "--", "/t/hostfs_probe", "map", "page0", "/mnt/data", "/mnt"], { timeout: 60_000 });
    assert.ok(await waitFor(() => existsSync(join(b.share, "ready")), 60_000), "the probe never mapped the file");
    const fd = openSync(b.data, "r+");
    writeSync(fd, "HOSTPAGE", 4096);
    closeSync(fd);
    writeFileSync(join(b.share, "done"), "");
    const r = await run;
    assert.equal(r.status, 0, explain(r));
    const d = readFileSync(b.data);
    assert.equal(d.subarray(0, 8).toString(), "MAPPED-1", explain(r));
    assert.equal(d.subarray(4096, 4104).toString(), "HOSTPAGE", "write-back put the guest's stale copy of page 1 over the host's change");
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});
