// Dynamically linked Debian programs on the tsix kernel: ld.so maps the
// program's libraries (file mappings, MAP_FIXED data segments, RELRO
// mprotect), then Lua runs the shared benchmark with the same output as under
// qemu-riscv64, and sqlite3 creates a database, inserts 1000 rows in one
// transaction and queries them.
// Concepts: C05 (unmodified Debian programs), C20 (program loading: text,
// data, bss, heap, stack), C53 (demand paging of file mappings).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsix, explain, have, imageRootfs, BENCH_PROGRAMS } from "./harness.js";

const BENCH_LUA = join(BENCH_PROGRAMS, "bench.lua");
const noQemu = have("qemu-riscv64") ? false : "qemu-riscv64 is not installed (apt-get install qemu-user)";

/** A second Lua workload whose output does not depend on time: strings, tables, floats, closures, coroutines, io. */
const LUA_MIX = `
local t = {}
for i = 1, 2000 do t[i] = (i * 7919) % 1009 end
table.sort(t)
local s = 0
for i, v in ipairs(t) do s = (s * 31 + v * i) % 1000000007 end
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w:upper() end
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
local f = io.open("/tmp/lua-io.txt", "w"); f:write("line1\\nline2\\n"); f:close()
local n = 0; for _ in io.lines("/tmp/lua-io.txt") do n = n + 1 end
print(s, table.concat(words, "-"), co(), co(), co(), n)
print(string.format("%.10f %.3e %d %x", math.pi, 1/3, math.maxinteger, 48879), math.sqrt(2), 7 // 2, 7 / 2)
`;

function qemuLua(rootfs: string, cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync("qemu-riscv64", ["-L", rootfs, join(rootfs, "usr/bin/lua5.4"), ...args], { cwd, encoding: "utf8", timeout: 300_000 });
}

test("lua5.4 runs bench.lua 0.1 with the same output as under qemu-riscv64", { skip: noQemu, timeout: 600_000 }, async () => {
  const rootfs = await imageRootfs();
  const dir = mkdtempSync(join(tmpdir(), "tsix-lua-"));
  try {
    copyFileSync(BENCH_LUA, join(dir, "bench.lua"));
    const q = qemuLua(rootfs, dir, ["bench.lua", "0.1"]);
    assert.equal(q.status, 0, q.stderr);
    const r = tsix(["run", "--mount", `${dir}:/mnt/bench`, "--", "lua5.4", "/mnt/bench/bench.lua", "0.1"], { timeout: 540_000 });
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, q.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("lua5.4: strings, tables, floats, coroutines and io agree with qemu-riscv64", { skip: noQemu, timeout: 300_000 }, async () => {
  const rootfs = await imageRootfs();
  const dir = mkdtempSync(join(tmpdir(), "tsix-lua-"));
  try {
    writeFileSync(join(dir, "mix.lua"), LUA_MIX);
    const q = qemuLua(rootfs, dir, ["-e", LUA_MIX.replaceAll("/tmp/lua-io.txt", join(dir, "io.txt"))]);
    assert.equal(q.status, 0, q.stderr);
    const r = tsix(["run", "--mount", `${dir}:/mnt/lua`, "--", "lua5.4", "/mnt/lua/mix.lua"]);
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, q.stdout);
    assert.match(r.stdout, /THE-QUICK-BROWN-FOX-JUMPS-OVER-THE-LAZY-DOG\t1\t4\t9\t2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sqlite3: create a database, insert 1000 rows in a transaction, query them", () => {
  const sql = [
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL);",
    "BEGIN;",
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)",
    "  INSERT INTO t(id, name, score) SELECT i, 'row' || i, i * 0.5 FROM c;",
    "COMMIT;",
    "SELECT count(*), sum(id), max(name), printf('%.1f', avg(score)) FROM t;",
    "SELECT name FROM t WHERE id % 250 = 0 ORDER BY id;",
    "CREATE INDEX t_score ON t(score);",
    "SELECT count(*) FROM t WHERE score BETWEEN 100 AND 200;",
    "PRAGMA integrity_check;",
  ].join("\n");
  const r = tsix(["run", "--", "sh", "-c", "sqlite3 /tmp/test.db && ls -l /tmp/test.db && sqlite3 /tmp/test.db 'SELECT count(*) FROM t;'"], { input: sql, timeout: 300_000 });
  assert.equal(r.status, 0, explain(r));
  const lines = r.stdout.trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, 7), ["1000|500500|row999|250.3", "row250", "row500", "row750", "row1000", "201", "ok"]);
  assert.match(lines[7], /^-rw-r--r-- +1 root +root +\d+ .* \/tmp\/test\.db$/);
  assert.equal(lines[8], "1000", "the database is on disk: a second sqlite3 reads it");
});
