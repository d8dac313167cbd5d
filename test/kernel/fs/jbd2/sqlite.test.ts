// sqlite3 under power cuts on ext3 (C65 journaling, C66 fsync; issue 10).
// One boot runs Debian's sqlite3 (the default image's, dynamically linked)
// on a database on an ext3 RAM disk in ordered mode (progs/sqlwork.c mounts
// it and runs sqlite3 on a script made here). The script commits numbered
// transactions - inserts of rows of many sizes (some spill to overflow
// pages), an update of a one-row table, deletes of older rows - and prints
// "committed N" after each COMMIT returns. Every disk write and every piece
// of console output is recorded in one ordered log, so for a power cut
// after disk write N we know which commits had returned before it. For each
// of at least 100 cut points per journal mode the image (start + first N
// writes) is mounted in a kernel that is not booted (the mount replays the
// ext3 journal, as at boot), then:
//   1. `e2fsck -fn` finds the file system clean;
//   2. the host's sqlite3 opens the database read out of the image (with
//      its -wal or hot -journal, which it recovers as after a crash):
//      `PRAGMA integrity_check` is ok;
//   3. the rows are exactly those of the first M transactions for one M
//      (transactions are atomic), and M covers every commit that had
//      returned before the cut (durability), M being at most one more.
// The modes, as sqlite documents them:
//   - WAL with synchronous=FULL: the WAL is fsynced at every commit, so a
//     commit that returned is durable. Checkpoints run often
//     (wal_autocheckpoint=20) so cuts also land in them.
//   - the default rollback journal (DELETE) with synchronous=FULL: the
//     journal and the database are fsynced, but the commit point - the
//     journal's unlink - is not (sqlite fsyncs the directory after the
//     unlink only with synchronous=EXTRA). So a cut after the unlink and
//     before the next fsync may leave a hot journal, and sqlite then rolls
//     the last returned commit back; the test allows exactly that (M =
//     returned - 1) and only when the image holds the hot journal.
// The test prints how many cut points passed per mode.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { run, explain, skipNoCC, SRC_ROOT } from "../harness.js";
import { haveE2fs, mkfs } from "../ext2/images.js";
import { defaultImage } from "../../harness.js";
import { parseCpio, type CpioEntry } from "../../../../kernel/fs/cpio.js";
import { recordRamDisk, mountOnce, e2fsck, dumpFiles, tmpWork, cutPoints, type DiskWrite } from "./crashlib.js";

const haveSqlite = spawnSync("sh", ["-c", "command -v sqlite3"], { stdio: "ignore" }).status === 0;
const skip = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : !haveSqlite ? "sqlite3 is not installed (scripts/setup-debian.sh)" : false);
const PROGS = join(SRC_ROOT, "test/kernel/fs/jbd2/progs");
const work = tmpWork("tsix-sqlite-crash-");
after(() => rmSync(work, { recursive: true, force: true }));

/** The console's pieces go into the write log with this disk number. */
const CONSOLE = -1;
const TXNS = 150;
/** Transaction x deletes the odd rows of transaction x - DELETE_LAG. */
const DELETE_LAG = 20;

const rowsOf = (x: number): number => 1 + (x % 4);
const lenOf = (x: number, j: number): number => 50 + ((x * 37 + j * 101) % 3000);
const letter = (x: number, j: number): number => 65 + ((x + j) % 26);
/** The text of row (x, j), built by sqlite itself: L copies of one letter. */
const valueSql = (x: number, j: number): string => `substr(replace(hex(zeroblob(${lenOf(x, j)})),'0',char(${letter(x, j)})),1,${lenOf(x, j)})`;

type Mode = "wal" | "rollback";

function script(mode: Mode): string {
  const out = [
    mode === "wal" ? "PRAGMA journal_mode=WAL;" : "PRAGMA journal_mode=DELETE;",
    "PRAGMA synchronous=FULL;",
    "PRAGMA wal_autocheckpoint=20;",
    "CREATE TABLE t(txn INTEGER, i INTEGER, v TEXT, PRIMARY KEY(txn, i));",
    "CREATE TABLE meta(n INTEGER);",
    "INSERT INTO meta VALUES(0);",
    "SELECT 'committed 0';",
  ];
  for (let x = 1; x <= TXNS; x++) {
    const s = ["BEGIN;"];
    for (let j = 0; j < rowsOf(x); j++) s.push(`INSERT INTO t VALUES(${x}, ${j}, ${valueSql(x, j)});`);
    if (x > DELETE_LAG) s.push(`DELETE FROM t WHERE txn = ${x - DELETE_LAG} AND i % 2 = 1;`);
    s.push(`UPDATE meta SET n = ${x};`, "COMMIT;", `SELECT 'committed ${x}';`);
    out.push(s.join(" "));
  }
  return out.join("\n") + "\n";
}

/** The rows after the first m transactions: "txn|i|length|1" lines, as the check query prints them. */
function model(m: number): string[] {
  const out: string[] = [];
  for (let x = 1; x <= m; x++) {
    for (let j = 0; j < rowsOf(x); j++) {
      if (j % 2 === 1 && m >= x + DELETE_LAG) continue;
      out.push(`${x}|${j}|${lenOf(x, j)}|1`);
    }
  }
  return out;
}

const CHECK = [
  "PRAGMA integrity_check;",
  "SELECT 'meta', n FROM meta;",
  "SELECT txn, i, length(v), v = substr(replace(hex(zeroblob(length(v))),'0',char(65+(txn+i)%26)),1,length(v)) FROM t ORDER BY txn, i;",
].join("\n") + "\n";

let libs: CpioEntry[] | undefined;
/** sqlite3 and the libraries it loads, from the default image (its usr/ tree and the lib link). */
async function sqliteFiles(): Promise<CpioEntry[]> {
  if (libs) return libs;
  const img = await defaultImage();
  libs = parseCpio(readFileSync(img.path)).filter((e) => e.path === "lib" || e.path === "usr" || e.path === "usr/bin" || e.path === "usr/bin/sqlite3" || e.path.startsWith("usr/lib"));
  return libs;
}

/** Run the workload once; the start image and every disk write and console piece in order. */
async function record(mode: Mode): Promise<{ start: Uint8Array; log: DiskWrite[]; out: string }> {
  const f = join(work, `start-${mode}.img`);
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true }, null);
  const start = new Uint8Array(readFileSync(f));
  const log: DiskWrite[] = [];
  const files: CpioEntry[] = [...await sqliteFiles(), { path: "sql.txt", mode: 0o100644, uid: 0, gid: 0, mtime: 1700000000, data: new TextEncoder().encode(script(mode)) }];
  const r = await run("sqlwork", {
    dir: PROGS, files, timeoutMs: 600_000, memBytes: 128 << 20,
    setup: (k) => {
      recordRamDisk(k, start, log);
      const out = k.host.consoleOut;
      k.host.consoleOut = (b) => { log.push({ disk: CONSOLE, off: 0, bytes: b.slice() }); out(b); };
    },
  });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, new RegExp(`committed ${TXNS}\\n[^]*sqlite3 exit 0`), explain(r));
  return { start, log, out: r.out };
}

interface Tally { passed: number; total: number; replayed: number; rolledBack: number; withWal: number; hotJournal: number }

/** Check the image a cut leaves when commits 0..`acked` had returned (-1: none, not even the schema's); a failure description or null. */
function checkCut(mode: Mode, img: Uint8Array, acked: number, tag: string, tally: Tally): string | null {
  const m = mountOnce(img);
  if (/recovery complete on ram0: [1-9]/.test(m.log)) tally.replayed++;
  if (m.result !== "mounted ro") return `${tag}: mount: ${m.result}\n${m.log}`;
  if (/internal error|BUG|EXCEPTION/.test(m.log)) return `${tag}: kernel log:\n${m.log}`;
  const file = join(work, "cut.img");
  writeFileSync(file, m.img);
  const f = e2fsck(file, ["-fn"]);
  if (f.status !== 0) return `${tag}: e2fsck -fn exit ${f.status}:\n${f.out}\n${m.log}`;
  const dir = join(work, "dump");
  const files = dumpFiles(file, dir);
  const db = join(dir, "t.db");
  if (!files.has("t.db") || statSync(db).size === 0) {
    // Before the schema's commit returned, no database (or an empty file) is a right answer.
    return acked < 0 ? null : `${tag}: commits 0..${acked} had returned but t.db is ${files.has("t.db") ? "empty" : "missing"}`;
  }
  if (files.has("t.db-wal") && files.get("t.db-wal")!.length > 0) tally.withWal++;
  const hot = files.has("t.db-journal") && files.get("t.db-journal")!.length > 0;
  if (hot) tally.hotJournal++;
  const q = spawnSync("sqlite3", [db], { input: CHECK, encoding: "utf8" });
  const lines = (q.stdout ?? "").split("\n").filter((l) => l !== "");
  if (q.status !== 0 && !(acked < 0 && /no such table/.test(q.stderr))) return `${tag}: sqlite3 exit ${q.status}: ${q.stderr}`;
  if (lines[0] !== "ok") return `${tag}: integrity_check: ${lines.slice(0, 5).join(" / ")}`;
  if (acked < 0 && !/^meta\|/.test(lines[1] ?? "")) return null; // the schema is not there yet: nothing to compare
  const meta = /^meta\|(\d+)$/.exec(lines[1] ?? "");
  if (!meta) return `${tag}: no meta row: ${lines.slice(0, 3).join(" / ")}`;
  const n = Number(meta[1]);
  const rows = lines.slice(2);
  const want = model(n);
  if (rows.length !== want.length || rows.some((r, i) => r !== want[i])) {
    const i = rows.findIndex((r, k) => r !== want[k]);
    return `${tag}: the rows are not those of the first ${n} transactions (${rows.length} rows, want ${want.length}; first difference at ${i}: ${rows[i]} vs ${want[i]})`;
  }
  if (n > acked + 1) return `${tag}: transaction ${n} is there but only commits up to ${acked} had returned (at most the next one may be there too)`;
  if (n < acked) {
    // Only the rollback journal with synchronous=FULL may lose a returned commit: the last one, through a hot journal left because its unlink was not yet durable.
    if (mode === "rollback" && n === acked - 1 && hot) { tally.rolledBack++; return null; }
    return `${tag}: commits up to ${acked} had returned but the database holds ${n} transactions${hot ? " (hot journal)" : ""}`;
  }
  return null;
}

async function crashRun(mode: Mode, cuts: number): Promise<Tally & { writes: number }> {
  const { start, log } = await record(mode);
  const writes = log.filter((w) => w.disk === 0).length;
  const points = new Set(cutPoints(writes, cuts, mode === "wal" ? 7 : 13));
  const img = start.slice();
  const dec = new TextDecoder();
  let console = "", acked = -1, n = 0;
  const tally: Tally = { passed: 0, total: 0, replayed: 0, rolledBack: 0, withWal: 0, hotJournal: 0 };
  const failures: string[] = [];
  const check = (): void => {
    tally.total++;
    const bad = checkCut(mode, img.slice(), acked, `${mode}: cut after write ${n}/${writes} (last returned commit: ${acked})`, tally);
    if (bad) failures.push(bad); else tally.passed++;
  };
  if (points.has(0)) check();
  for (const w of log) {
    if (w.disk === 0) {
      img.set(w.bytes, w.off);
      n++;
      if (points.has(n)) check();
    } else if (w.disk === CONSOLE) {
      console += dec.decode(w.bytes, { stream: true });
      for (const mm of console.matchAll(/^committed (\d+)\n/gm)) acked = Math.max(acked, Number(mm[1]));
      console = console.slice(console.lastIndexOf("\n") + 1);
    }
  }
  assert.equal(acked, TXNS, "every commit was seen on the console");
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${tally.total} cut points failed`);
  return { ...tally, writes };
}

for (const mode of ["wal", "rollback"] as const) {
  test(`sqlite3 (${mode === "wal" ? "journal_mode=WAL" : "rollback journal"}, synchronous=FULL) survives power cuts at 100+ points on ext3: e2fsck -fn clean, integrity_check ok, every returned commit there`, { skip, timeout: 900_000 }, async () => {
    const t0 = Date.now();
    const r = await crashRun(mode, 120);
    console.log(`# sqlite ${mode} crash test: ${r.passed}/${r.total} cut points passed over ${r.writes} disk writes (${r.replayed} needed an ext3 journal replay, ${r.withWal} had a non-empty -wal, ${r.hotJournal} a hot -journal, ${r.rolledBack} rolled the last returned commit back) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.ok(r.total >= 100, `only ${r.total} cut points`);
    assert.ok(r.replayed >= r.total / 2, `only ${r.replayed} of ${r.total} cuts replayed the ext3 journal`);
    if (mode === "wal") assert.ok(r.withWal >= r.total / 4, `only ${r.withWal} cuts had a WAL to recover`);
    else assert.ok(r.hotJournal >= 5, `only ${r.hotJournal} cuts had a hot journal to roll back`);
    assert.equal(r.passed, r.total);
  });
}
