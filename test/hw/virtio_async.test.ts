// A disk that answers later (host/block.ts, hw/devices/virtio_blk.ts):
// `tsix machine --bare --disk IMG --disk-io async` serves virtio-blk
// requests with Node's asynchronous fs calls, and the device completes them
// between run slices, when the host's answer has come - writing the used
// ring and raising its interrupt then, as a real disk controller does.
// test/hw/priv/virtio_async.c queues two reads, sleeps in wfi until the
// completion interrupt and checks the data; it reports what it saw, and
// this test judges it:
//   - async (with TSIX_DISK_DELAY_MS=30, a slow disk): nothing was used when
//     the notify store retired, the program slept in wfi at least once
//     before the interrupt came, and the data is right;
//   - sync (the default): both requests were done at the notify, no wfi.
// Also: the virtio_write.c / virtio_read.c pair (write, flush, read back
// through a fresh machine) passes on the asynchronous disk, and the image
// holds what the guest wrote.
//
// Concepts: C13 (a device completes its request later and interrupts), C60.
import { test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBare, JIT_ARGS, SRC_ROOT } from "./bare.js";

const PRIV = "test/hw/priv";
const TSIX = join(SRC_ROOT, "bin/tsix.js");
const DISK_BYTES = 1024 * 1024;
const hostByte = (o: number): number => ((o >>> 9) * 3 + o * 5 + 1) & 0xff;
const guestByte = (o: number): number => ((o >>> 9) * 7 + (o ^ 0x5a) * 13 + 0x33) & 0xff;

function build(file: string): string {
  const h = createHash("sha256");
  const dir = join(SRC_ROOT, PRIV);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".h")).sort()) h.update(readFileSync(join(dir, f)));
  return buildBare(`${PRIV}/${file}`, [`-DPRIV_HEADERS_HASH=${h.digest("hex").slice(0, 16)}`]);
}

function makeImage(): string {
  const img = Buffer.alloc(DISK_BYTES);
  for (let o = 0; o < DISK_BYTES; o++) img[o] = hostByte(o);
  const path = join(mkdtempSync(join(tmpdir(), "tsix-vasync-")), "disk.img");
  writeFileSync(path, img);
  return path;
}

function run(elf: string, img: string, io: "sync" | "async", delayMs = 0): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSIX, "machine", "--bare", elf, ...JIT_ARGS, "--disk", img, "--disk-io", io], {
    encoding: "utf8", timeout: 120_000, env: { ...process.env, TSIX_DISK_DELAY_MS: String(delayMs) },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function report(stdout: string): { used: number; waits: number } {
  const m = /used_at_notify=(\d+) waits=(\d+)/.exec(stdout);
  assert.ok(m, `no report line in:\n${stdout}`);
  return { used: Number(m[1]), waits: Number(m[2]) };
}

test("virtio-blk on an asynchronous disk: the completion interrupt comes after the guest sleeps in wfi, with the right data", () => {
  const elf = build("virtio_async.c");
  const img = makeImage();
  const a = run(elf, img, "async", 30);
  assert.equal(a.status, 0, `async: exit ${a.status}\n${a.stdout}\n${a.stderr}`);
  const ra = report(a.stdout);
  assert.equal(ra.used, 0, "async: the device must not have used the requests when the notify store retired");
  assert.ok(ra.waits >= 1, `async: the guest must have slept in wfi before the interrupt (waits=${ra.waits})`);

  const s = run(elf, img, "sync");
  assert.equal(s.status, 0, `sync: exit ${s.status}\n${s.stdout}\n${s.stderr}`);
  const rs = report(s.stdout);
  assert.deepEqual(rs, { used: 2, waits: 0 }, "sync: both requests are done at the notify");
});

test("virtio-blk on an asynchronous disk: write, flush and read back through a fresh machine", () => {
  const img = makeImage();
  for (const f of ["virtio_write.c", "virtio_read.c"]) {
    const r = run(build(f), img, "async");
    assert.equal(r.status, 0, `${f}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  const bytes = readFileSync(img);
  for (let o = 0; o < DISK_BYTES; o++) {
    const sec = o >>> 9;
    const want = sec < 8 || sec === DISK_BYTES / 512 - 1 ? guestByte(o) : hostByte(o);
    if (bytes[o] !== want) assert.fail(`image byte 0x${o.toString(16)} is 0x${bytes[o].toString(16)}, expected 0x${want.toString(16)}`);
  }
});
