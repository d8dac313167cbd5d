// Storage benchmarks (issue 10; `node dist/bench/storage.js`): on an ext2
// disk inside tsix (`tsix run --disk`, partition 1 made by mke2fs), the
// same work done three ways where it applies:
//   - sequential write (1 MiB writes + fsync) and read (a fresh boot: cold
//     caches) of a 64 MiB file,
//   - create, then stat, 10,000 files of 100 bytes in one directory,
//   - sqlite3: 20,000 rows inserted in one transaction, then 200 rows in
//     200 transactions (each commit writes the journal and fsyncs),
// by bench/programs/fsbench.c (static riscv64) and the image's sqlite3
// inside tsix; by the same fsbench under qemu-riscv64 on a host directory
// (qemu-user: the guest's code translated, the host's kernel and file
// system); and by the host itself (Node's file I/O for the sequential
// tests, the host's sqlite3). A Linux guest under qemu-system-riscv64 would
// be the fairer comparison, but it cannot be set up offline (no riscv64
// kernel and firmware here), so these stand in (the issue allows raw host
// I/O). For each tsix run the buffer cache's hit rate over that step comes
// from /proc/tsix/buffercache before and after. Times in the guest come
// from the benchmark's own CLOCK_MONOTONIC (tsix run keeps the host clock).
import { spawnSync } from "node:child_process";
import { closeSync, fsyncSync, mkdtempSync, mkdirSync, openSync, readSync, rmSync, writeSync, copyFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mbrOnePartition, PART1_OFFSET } from "../cli/disk.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSIX = join(ROOT, "bin/tsix.js");
const MIB = 1 << 20;
const SEQ_MIB = 64, NFILES = 10000, ROWS = 20000, TXNS = 200;
const dir = mkdtempSync(join(tmpdir(), "tsix-bench-storage-"));

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** fsbench for riscv64, and an ext2 disk whose partition 1 holds it. */
function prepare(): { img: string; bin: string } {
  const bin = join(dir, "fsbench");
  sh("riscv64-linux-gnu-gcc", ["-O2", "-static", "-o", bin, join(ROOT, "bench/programs/fsbench.c")]);
  const tree = join(dir, "tree");
  mkdirSync(tree);
  copyFileSync(bin, join(tree, "fsbench"));
  chmodSync(join(tree, "fsbench"), 0o755);
  const img = join(dir, "disk.img");
  const size = 512 * MIB;
  const fd = openSync(img, "w");
  writeSync(fd, mbrOnePartition(size), 0, 512, 0);
  closeSync(fd);
  sh("truncate", ["-s", String(size), img]);
  sh("mke2fs", ["-q", "-F", "-t", "ext2", "-b", "4096", "-E", `offset=${PART1_OFFSET},root_owner=0:0`, "-d", tree, img, `${(size - PART1_OFFSET) / 1024}k`]);
  return { img, bin };
}

interface Cache { hits: number; misses: number }
/** Run a guest script; each step prints "STEP name", the buffer cache before, its output, the cache after. */
function guest(img: string, steps: [string, string][]): Map<string, { out: string; hitRate: number; misses: number }> {
  const bc = "grep -E '^(hits|misses) ' /proc/tsix/buffercache | tr '\\n' ' '; echo";
  const script = ["mount -t ext2 /dev/vda1 /mnt || exit 1", "cd /mnt",
    ...steps.map(([name, cmd]) => `echo "STEP ${name}"; echo "BC0 $(${bc})"; ${cmd}; echo "BC1 $(${bc})"`), "cd /; umount /mnt"].join("\n");
  const out = sh(process.execPath, [TSIX, "run", "--disk", img, "--root", "initramfs", "--mem", "512M", "--", "sh", "-lc", script]);
  const res = new Map<string, { out: string; hitRate: number; misses: number }>();
  for (const part of out.split("STEP ").slice(1)) {
    const name = part.slice(0, part.indexOf("\n"));
    const num = (tag: string, key: string): number => Number(new RegExp(`${tag} .*${key} (\\d+)`).exec(part)?.[1] ?? NaN);
    const c0: Cache = { hits: num("BC0", "hits"), misses: num("BC0", "misses") }, c1: Cache = { hits: num("BC1", "hits"), misses: num("BC1", "misses") };
    const h = c1.hits - c0.hits, m = c1.misses - c0.misses;
    res.set(name, { out: part, hitRate: h + m > 0 ? (100 * h) / (h + m) : NaN, misses: m });
  }
  return res;
}

const secsOf = (out: string): number => Number(/secs=([\d.]+)/.exec(out)?.[1] ?? NaN);
/** sqlite3's ".timer on" real times, summed. */
const sqlSecs = (out: string): number => [...out.matchAll(/Run Time: real ([\d.]+)/g)].reduce((a, m) => a + Number(m[1]), 0);

const SQL_BULK = `.timer on\nCREATE TABLE t(a INTEGER, b BLOB);\nBEGIN;\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<${ROWS}) INSERT INTO t SELECT x, randomblob(100) FROM c;\nCOMMIT;\n`;
const SQL_TXNS = `.timer on\n${Array.from({ length: TXNS }, (_, i) => `INSERT INTO t VALUES(${i}, randomblob(100));`).join("\n")}\n`;

function hostSeq(): { write: number; read: number } {
  const p = join(dir, "host.bin");
  const buf = new Uint8Array(MIB).fill(0x5a);
  let t = performance.now();
  const fd = openSync(p, "w+");
  for (let i = 0; i < SEQ_MIB; i++) writeSync(fd, buf, 0, MIB, i * MIB);
  fsyncSync(fd);
  const write = (performance.now() - t) / 1000;
  t = performance.now();
  for (let i = 0; i < SEQ_MIB; i++) readSync(fd, buf, 0, MIB, i * MIB);
  const read = (performance.now() - t) / 1000;
  closeSync(fd);
  return { write, read };
}

try {
  const { img, bin } = prepare();
  const q = (s: string): string => s.replace(/'/g, "'\\''");
  const a = guest(img, [
    ["write", `./fsbench write big ${SEQ_MIB}`],
    ["create", `./fsbench create many ${NFILES}`],
    ["stat", `./fsbench stat many ${NFILES}`],
    ["sqlbulk", `printf '%s' '${q(SQL_BULK)}' | sqlite3 t.db`],
    ["sqltxn", `printf '%s' '${q(SQL_TXNS)}' | sqlite3 t.db`],
  ]);
  const b = guest(img, [["read", "./fsbench read big"], ["stat2", `./fsbench stat many ${NFILES}`]]);
  // qemu-riscv64 on a host directory, the same binary.
  const hd = join(dir, "hostdir");
  mkdirSync(hd);
  const qe = (args: string[]): string => sh("qemu-riscv64", [bin, ...args], { cwd: hd });
  const qw = secsOf(qe(["write", "big", String(SEQ_MIB)])), qr = secsOf(qe(["read", "big"]));
  const qc = secsOf(qe(["create", "many", String(NFILES)])), qs = secsOf(qe(["stat", "many", String(NFILES)]));
  // The host: Node's file I/O, the host's sqlite3.
  const h = hostSeq();
  const hdb = join(dir, "host.db");
  const hb = sqlSecs(spawnSync("sqlite3", [hdb], { input: SQL_BULK, encoding: "utf8" }).stdout);
  const ht = sqlSecs(spawnSync("sqlite3", [hdb], { input: SQL_TXNS, encoding: "utf8" }).stdout);
  const row = (name: string, unit: string, work: number, tsixS: number, qemuS: number, hostS: number, hit: { hitRate: number; misses: number }): string => {
    const r = (s: number): string => (Number.isFinite(s) && s > 0 ? (work / s).toFixed(work >= 1000 ? 0 : 1) : "-");
    const ratio = (s: number): string => (Number.isFinite(s) && s > 0 ? (s / tsixS).toFixed(3) : "-");
    return `| ${name} | ${r(tsixS)} ${unit} | ${r(qemuS)} | ${r(hostS)} | ${ratio(qemuS)} | ${ratio(hostS)} | ${Number.isFinite(hit.hitRate) ? hit.hitRate.toFixed(1) : "-"}% (${hit.misses} misses) |`;
  };
  const g = (m: Map<string, { out: string; hitRate: number; misses: number }>, k: string) => m.get(k)!;
  console.log(`storage benchmarks: ext2 (4 KiB blocks) on a virtio disk in tsix; qemu-riscv64 and the host on ${tmpdir()}`);
  console.log("| benchmark | tsix | qemu-riscv64 | host | tsix/qemu | tsix/host | tsix buffer-cache hit rate |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(row(`sequential write ${SEQ_MIB} MiB + fsync`, "MiB/s", SEQ_MIB, secsOf(g(a, "write").out), qw, h.write, g(a, "write")));
  console.log(row(`sequential read ${SEQ_MIB} MiB (cold)`, "MiB/s", SEQ_MIB, secsOf(g(b, "read").out), qr, h.read, g(b, "read")));
  console.log(row(`create ${NFILES} files of 100 B`, "files/s", NFILES, secsOf(g(a, "create").out), qc, NaN, g(a, "create")));
  console.log(row(`stat ${NFILES} files (warm)`, "files/s", NFILES, secsOf(g(a, "stat").out), qs, NaN, g(a, "stat")));
  console.log(row(`stat ${NFILES} files (cold, new boot)`, "files/s", NFILES, secsOf(g(b, "stat2").out), NaN, NaN, g(b, "stat2")));
  console.log(row(`sqlite3: ${ROWS} rows, 1 transaction`, "rows/s", ROWS, sqlSecs(g(a, "sqlbulk").out), NaN, hb, g(a, "sqlbulk")));
  console.log(row(`sqlite3: ${TXNS} rows, ${TXNS} transactions`, "rows/s", TXNS, sqlSecs(g(a, "sqltxn").out), NaN, ht, g(a, "sqltxn")));
  console.log("(tsix/qemu, tsix/host: tsix's throughput divided by the other's, below 1 = tsix slower; '-': does not apply. The host column is Node's file I/O and the host's sqlite3.)");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
