// Security of byte names (issue 11): now that names reach the host as their
// exact bytes, a name that some decoder could take for "/" or ".." (the
// overlong UTF-8 slash C0 AF, the fullwidth solidus, "..\xc0\xaf..") must stay
// ONE plain name inside the hostfs share - created there with those bytes,
// and nothing outside the share changes. And the xattr calls, new, must take
// bad pointers, unterminated names, huge sizes and read-only buffers with
// Linux's errnos and no harm to the kernel (progs/sec_bytes.c; the same
// program runs under qemu-riscv64 on a host directory).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { run, explain, program, haveCC } from "../kernel/fs/harness.js";
import { have } from "../kernel/harness.js";
import { nodeHostFs } from "../../host/node/hostfs.js";
import { mountHost } from "../../kernel/fs/init.js";

const PROGS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../test/security/progs");
const skipCC = haveCC ? false : "riscv64-linux-gnu-gcc is not installed";
const base = mkdtempSync(join(tmpdir(), "tsix-secbytes-"));
after(() => rmSync(base, { recursive: true, force: true }));

const NAMES = [[0xc0, 0xaf], [0x2e, 0x2e, 0xc0, 0xaf, 0x2e, 0x2e, 0xc0, 0xaf, 0x6f, 0x75, 0x74], [0xef, 0xbc, 0x8f, 0x65, 0x74, 0x63], [0xc0, 0xae, 0xc0, 0xae], [0x2e, 0x2e, 0xff]]
  .map((b) => Buffer.from(b).toString("hex")).sort();

/** Every file below `dir` (names as hex), with its path. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: Buffer, shown: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true, encoding: "buffer" })) {
      const p = Buffer.concat([d, Buffer.from("/"), e.name]);
      const s = `${shown}/${e.name.toString("hex")}`;
      out.push(s);
      if (e.isDirectory()) walk(p, s);
    }
  };
  walk(Buffer.from(dir), "");
  return out.sort();
}

test("byte names that look like '/' or '..' stay plain names inside the hostfs share; xattr abuse gets Linux's errnos", { skip: skipCC, timeout: 120_000 }, async () => {
  const share = join(base, "share"), out = join(base, "out");
  mkdirSync(share);
  mkdirSync(out);
  writeFileSync(join(out, "secret"), "secret");
  const r = await run("sec_bytes", { dir: PROGS, args: ["/host/in", "/tmp"], setup: (k, t) => { mkdirSync(join(share, "in")); assert.equal(mountHost(k, t, "/host", nodeHostFs(share), share), 0); } });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /sec_bytes: ok/, explain(r));
  // The five names are in share/in with their exact bytes, and nothing else appeared anywhere.
  assert.deepEqual(readdirSync(join(share, "in"), { encoding: "buffer" }).map((n) => n.toString("hex")).sort(), NAMES);
  for (const n of NAMES) assert.equal(readFileSync(Buffer.concat([Buffer.from(join(share, "in") + "/"), Buffer.from(n, "hex")])).toString(), "inside");
  assert.deepEqual(tree(out), [`/${Buffer.from("secret").toString("hex")}`]);
  assert.deepEqual(tree(share).filter((p) => !p.startsWith(`/${Buffer.from("in").toString("hex")}/`)), [`/${Buffer.from("in").toString("hex")}`]);
  assert.doesNotMatch(r.log, /internal error|oops|BUG/i, r.log);
});

test("sec_bytes passes under qemu-riscv64 on a host directory (the reference)", { skip: skipCC || (have("qemu-riscv64") ? false : "qemu-riscv64 is not installed"), timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(base, "qemu-"));
  const bin = join(base, "sec_bytes");
  writeFileSync(bin, program("sec_bytes", PROGS));
  chmodSync(bin, 0o755);
  const q = spawnSync("qemu-riscv64", [bin, dir, dir, "qemu"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(q.status, 0, q.stdout + q.stderr);
  assert.match(q.stdout, /sec_bytes: ok/);
  assert.deepEqual(readdirSync(dir, { encoding: "buffer" }).map((n) => n.toString("hex")).sort(), NAMES);
});
