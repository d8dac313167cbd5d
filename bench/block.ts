// Block-device benchmark (`node dist/bench/block.js`): sequential write and
// read of 64 MiB on /dev/vda1 with dd inside tsix (`tsix run --disk`),
// against the same transfers done by the host on a plain file (Node's
// positioned I/O in 1 MiB chunks, fsync after the write). The guest's times
// come from /proc/uptime around each dd (the host clock mode: real time);
// the write includes `sync` (every buffer on the disk), the read is a fresh
// boot (a cold buffer cache). Prints MiB/s, the tsix/host ratio and the
// buffer cache's hit rate (/proc/tsix/buffercache). No qemu-system guest is
// set up here, so raw host file I/O is the comparison (issue 10 allows it).
//
// TSIX_BENCH_DISK_IO=async uses the asynchronous file backend.
import { spawnSync } from "node:child_process";
import { closeSync, fsyncSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSIX = join(ROOT, "bin/tsix.js");
const MIB = 1 << 20;
const SIZE_MIB = 64;
const io = process.env.TSIX_BENCH_DISK_IO === "async" ? "async" : "sync";
const dir = mkdtempSync(join(tmpdir(), "tsix-bench-block-"));

/** An image of SIZE_MIB + 2 MiB with one partition from 1 MiB covering SIZE_MIB. */
function makeImage(path: string): void {
  const img = new Uint8Array((SIZE_MIB + 2) * MIB);
  const v = new DataView(img.buffer);
  img[446 + 4] = 0x83;
  v.setUint32(446 + 8, 2048, true);
  v.setUint32(446 + 12, SIZE_MIB * 2048, true);
  img[510] = 0x55; img[511] = 0xaa;
  writeFileSync(path, img);
}

function guest(img: string, script: string): string {
  const r = spawnSync(process.execPath, [TSIX, "run", "--disk", img, "--disk-io", io, "--mem", "256M", "--", "sh", "-c", script], { encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`tsix run failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const up = "cut -d' ' -f1 /proc/uptime";
function timed(out: string): { secs: number; cache: Map<string, number> } {
  const m = /T0=([\d.]+)\nT1=([\d.]+)/.exec(out);
  if (!m) throw new Error(`no times in:\n${out}`);
  const cache = new Map<string, number>();
  for (const l of out.split("\n")) { const [k, v] = l.split(" "); if (v !== undefined && /^[\d.]+$/.test(v)) cache.set(k, Number(v)); }
  return { secs: Number(m[2]) - Number(m[1]), cache };
}

function host(): { write: number; read: number } {
  const p = join(dir, "host.bin");
  const buf = new Uint8Array(MIB).fill(1);
  let t = performance.now();
  const fd = openSync(p, "w+");
  for (let i = 0; i < SIZE_MIB; i++) writeSync(fd, buf, 0, MIB, i * MIB);
  fsyncSync(fd);
  const write = (performance.now() - t) / 1000;
  t = performance.now();
  for (let i = 0; i < SIZE_MIB; i++) readSync(fd, buf, 0, MIB, i * MIB);
  const read = (performance.now() - t) / 1000;
  closeSync(fd);
  return { write, read };
}

try {
  const img = join(dir, "disk.img");
  makeImage(img);
  const w = timed(guest(img, `echo T0=$(${up}); dd if=/dev/zero of=/dev/vda1 bs=1M count=${SIZE_MIB} 2>/dev/null; sync; echo T1=$(${up}); cat /proc/tsix/buffercache`));
  const r = timed(guest(img, `echo T0=$(${up}); dd if=/dev/vda1 of=/dev/null bs=1M count=${SIZE_MIB} 2>/dev/null; echo T1=$(${up}); cat /proc/tsix/buffercache`));
  const h = host();
  const rate = (s: number): number => SIZE_MIB / Math.max(s, 1e-3);
  console.log(`block device, ${SIZE_MIB} MiB sequential, dd bs=1M on /dev/vda1 (--disk-io ${io}) vs host file I/O`);
  console.log(`| test | tsix MiB/s | host MiB/s | tsix/host | buffer-cache hit rate |`);
  console.log(`|---|---|---|---|---|`);
  console.log(`| write + sync | ${rate(w.secs).toFixed(1)} | ${rate(h.write).toFixed(1)} | ${(rate(w.secs) / rate(h.write)).toFixed(3)} | ${w.cache.get("hit_rate_pct") ?? 0}% |`);
  console.log(`| read (cold cache) | ${rate(r.secs).toFixed(1)} | ${rate(h.read).toFixed(1)} | ${(rate(r.secs) / rate(h.read)).toFixed(3)} | ${r.cache.get("hit_rate_pct") ?? 0}% (misses ${r.cache.get("misses") ?? 0}) |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
