// The default image build end to end: Debian trixie riscv64 packages fetched with
// the host's apt (network on the first run), unpacked, and written as a cpio
// initramfs; then its contents are checked (shell, lua, sqlite, the dynamic
// loader named by PT_INTERP and every DT_NEEDED library, /etc, the demos), the
// programs are run from it under qemu-riscv64, and a second build is shown to
// run with no network at all.
// Concepts: C90 (deb packages), C10 (the initramfs), C05 (unmodified Debian programs).
import { test } from "node:test";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseCpio, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type CpioEntry } from "../../kernel/fs/cpio.js";
import { buildImage, type BuildEvent, type BuildResult } from "../../userland/image/build.js";

const have = (cmd: string): boolean => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const skip = ["apt-get", "dpkg-deb"].every(have) ? false : "needs the host's apt-get and dpkg-deb";

/** Follow symlinks through the archive's members, as the kernel will after unpacking it. */
function resolveIn(by: Map<string, CpioEntry>, path: string): string {
  const queue = path.split("/");
  let cur: string[] = [];
  for (let hops = 0; queue.length > 0; ) {
    const name = queue.shift()!;
    if (name === "" || name === ".") continue;
    if (name === "..") {
      cur.pop();
      continue;
    }
    const cand = [...cur, name].join("/");
    const e = by.get(cand);
    if (e && (e.mode & S_IFMT) === S_IFLNK) {
      assert.ok(++hops < 40, `symlink loop at ${path}`);
      if (e.target!.startsWith("/")) cur = [];
      queue.unshift(...e.target!.split("/"));
      continue;
    }
    cur.push(name);
  }
  return cur.join("/");
}

/** PT_INTERP and the DT_NEEDED names of a riscv64 ELF file. */
function elfInfo(data: Uint8Array): { interp?: string; needed: string[]; machine: number } {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  assert.equal(v.getUint32(0, false), 0x7f454c46, "ELF magic");
  assert.equal(data[4], 2, "ELFCLASS64");
  const machine = v.getUint16(18, true);
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  const loads: { vaddr: number; offset: number; filesz: number }[] = [];
  let interp: string | undefined;
  let dyn: { offset: number; size: number } | undefined;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const type = v.getUint32(p, true);
    const offset = Number(v.getBigUint64(p + 8, true));
    const vaddr = Number(v.getBigUint64(p + 16, true));
    const filesz = Number(v.getBigUint64(p + 32, true));
    if (type === 1) loads.push({ vaddr, offset, filesz });
    if (type === 2) dyn = { offset, size: filesz };
    if (type === 3) interp = new TextDecoder().decode(data.subarray(offset, offset + filesz)).replace(/\0.*$/s, "");
  }
  const needed: number[] = [];
  let strtab = 0;
  if (dyn) {
    for (let o = dyn.offset; o + 16 <= dyn.offset + dyn.size; o += 16) {
      const tag = Number(v.getBigInt64(o, true));
      const val = Number(v.getBigUint64(o + 8, true));
      if (tag === 0) break;
      if (tag === 1) needed.push(val);
      if (tag === 5) strtab = val;
    }
  }
  const toOffset = (addr: number): number => {
    const l = loads.find((s) => addr >= s.vaddr && addr < s.vaddr + s.filesz);
    assert.ok(l, `address 0x${addr.toString(16)} is in a PT_LOAD`);
    return addr - l.vaddr + l.offset;
  };
  const str = (off: number): string => {
    const start = toOffset(strtab) + off;
    return new TextDecoder().decode(data.subarray(start, data.indexOf(0, start)));
  };
  return { interp, needed: needed.map(str), machine };
}

const EM_RISCV = 243;
const DEMOS = ["fork_wait", "pipe_demo", "cow_demo", "exec_demo", "signal_demo", "segv_demo", "sigill_demo", "orphan_demo", "fuzz"];

let first: BuildResult | undefined;
let firstEvents: BuildEvent[] = [];
let firstMs = 0;

test("the default image builds (downloads on the first run)", { skip, timeout: 900_000 }, async (t) => {
  const t0 = Date.now();
  first = await buildImage({ onProgress: (ev) => firstEvents.push(ev) });
  firstMs = Date.now() - t0;
  t.diagnostic(`image ${first.path}: ${first.bytes} bytes, ${first.files} entries, ${first.cached ? "reused" : "built"} in ${firstMs} ms; apt-get update: ${first.aptUpdated}, downloaded: ${first.downloaded}`);
  assert.ok(existsSync(first.path));
  assert.ok(first.bytes > 1_000_000);
  const names = first.packages.map((p) => p.name);
  for (const p of ["busybox-static", "lua5.4", "sqlite3", "libc6", "libsqlite3-0"]) assert.ok(names.includes(p), `${p} in the closure`);
  assert.ok(firstEvents.some((e) => e.type === "resolved"));
  assert.equal(firstEvents.filter((e) => e.type === "download").length, first.packages.length);
});

test("the image has a shell, lua, sqlite, their loader and libraries, /etc and the demos", { skip, timeout: 300_000 }, () => {
  assert.ok(first, "the build test ran");
  const entries = parseCpio(new Uint8Array(readFileSync(first.path)));
  assert.equal(entries.length, first.files);
  const by = new Map(entries.map((e) => [e.path, e]));
  const kind = (p: string): number | undefined => {
    const e = by.get(resolveIn(by, p));
    return e ? e.mode & S_IFMT : undefined;
  };
  const file = (p: string): CpioEntry => {
    const e = by.get(resolveIn(by, p));
    assert.ok(e && (e.mode & S_IFMT) === S_IFREG, `/${p} is a regular file in the image`);
    return e;
  };

  // Merged /usr.
  for (const d of ["bin", "sbin", "lib"]) {
    assert.equal(by.get(d)!.mode & S_IFMT, S_IFLNK, `/${d} is a symlink`);
    assert.equal(by.get(d)!.target, `usr/${d}`);
  }
  // /bin/sh → busybox.
  assert.equal(resolveIn(by, "bin/sh"), "usr/bin/busybox");
  assert.ok(file("bin/sh").mode & 0o111);
  assert.equal(elfInfo(file("usr/bin/busybox").data!).interp, undefined, "busybox is static");
  for (const applet of ["ls", "cat", "echo", "ps", "mount"]) assert.equal(resolveIn(by, `bin/${applet}`), "usr/bin/busybox", applet);

  // lua and sqlite: PT_INTERP resolves through /lib, and every DT_NEEDED library is there.
  for (const prog of ["usr/bin/lua5.4", "usr/bin/sqlite3"]) {
    const info = elfInfo(file(prog).data!);
    assert.equal(info.machine, EM_RISCV);
    assert.equal(info.interp, "/lib/ld-linux-riscv64-lp64d.so.1", prog);
    assert.equal(resolveIn(by, info.interp!), "usr/lib/riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1");
    file(info.interp!.slice(1));
    assert.ok(info.needed.includes("libc.so.6"), `${prog} needs libc`);
    for (const lib of info.needed) file(`lib/riscv64-linux-gnu/${lib}`);
  }
  assert.ok(elfInfo(file("usr/bin/sqlite3").data!).needed.includes("libsqlite3.so.0"));
  file("usr/lib/riscv64-linux-gnu/libc.so.6");
  file("usr/lib/riscv64-linux-gnu/libsqlite3.so.0");
  // Debian's lua5.4 interpreter has liblua built in (no liblua5.4.so is needed); the lua alternative exists.
  assert.equal(resolveIn(by, "usr/bin/lua"), "usr/bin/lua5.4");

  // /etc and the top-level directories.
  assert.match(new TextDecoder().decode(file("etc/passwd").data), /^root:x:0:0:root:\/root:\/bin\/sh$/m);
  for (const f of ["etc/group", "etc/hostname", "etc/hosts", "etc/profile", "etc/nsswitch.conf", "etc/tsix-release"]) file(f);
  for (const d of ["proc", "dev", "sys", "tmp", "root", "home/user", "run", "var/tmp", "mnt"]) assert.equal(kind(d), S_IFDIR, d);
  assert.equal(by.get("tmp")!.mode & 0o7777, 0o1777);

  // tsix's programs.
  for (const d of DEMOS) {
    const e = file(`usr/lib/tsix/bin/${d}`);
    assert.ok(e.mode & 0o111, `${d} is executable`);
    const info = elfInfo(e.data!);
    assert.equal(info.machine, EM_RISCV);
    assert.equal(info.interp, undefined, `${d} is static`);
  }

  // GNU cpio reads the image too.
  if (have("cpio")) {
    const list = spawnSync("cpio", ["-t", "--quiet", "-F", first.path], { encoding: "utf8", maxBuffer: 1 << 24 });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split("\n"), entries.map((e) => e.path));
  }

  // Left out.
  assert.ok(!entries.some((e) => e.path.startsWith("usr/share/man/") || e.path.startsWith("usr/share/locale/")));
  assert.ok(!entries.some((e) => e.path.startsWith("usr/share/doc/") && !e.path.endsWith("/copyright") && (e.mode & S_IFMT) === S_IFREG));
});

test("programs run from the image under qemu-riscv64", { skip: skip || (have("qemu-riscv64") ? false : "qemu-riscv64 not installed"), timeout: 300_000 }, () => {
  assert.ok(first, "the build test ran");
  const root = mkdtempSync(join(tmpdir(), "tsix-image-"));
  try {
    // Unpack with our own parser (not as root: no device nodes, no owners).
    for (const e of parseCpio(new Uint8Array(readFileSync(first.path)))) {
      const dst = join(root, e.path);
      const type = e.mode & S_IFMT;
      if (type === S_IFDIR) mkdirSync(dst, { recursive: true });
      else if (type === S_IFLNK) {
        mkdirSync(dirname(dst), { recursive: true });
        symlinkSync(e.target!, dst);
      } else if (type === S_IFREG) {
        mkdirSync(dirname(dst), { recursive: true });
        writeFileSync(dst, e.data!);
        chmodSync(dst, e.mode & 0o777);
      }
    }
    const q = (args: string[], input?: string): string => {
      const r = spawnSync("qemu-riscv64", ["-L", root, ...args], { input, encoding: "utf8", timeout: 120_000 });
      assert.equal(r.status, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    assert.equal(q([join(root, "usr/bin/lua5.4"), "-e", "print(6*7)"]), "42\n");
    assert.equal(q([join(root, "usr/bin/sqlite3"), ":memory:", "select 6*7;"]), "42\n");
    assert.equal(q([join(root, "bin/sh"), "-c", "echo shell ok"]), "shell ok\n");
    assert.match(q([join(root, "usr/lib/tsix/bin/fork_wait")]), /^fork_wait: ok$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a second build needs no network: no apt-get update, no download; the same key is reused", { skip, timeout: 600_000 }, async (t) => {
  assert.ok(first, "the build test ran");
  const dir = mkdtempSync(join(tmpdir(), "tsix-image2-"));
  // Any network access by apt would go through this dead proxy and fail.
  const saved = { http: process.env["http_proxy"], https: process.env["https_proxy"] };
  process.env["http_proxy"] = "http://127.0.0.1:9";
  process.env["https_proxy"] = "http://127.0.0.1:9";
  try {
    const out = join(dir, "again.cpio");
    let t0 = Date.now();
    const second = await buildImage({ out });
    const secondMs = Date.now() - t0;
    assert.equal(second.aptUpdated, false);
    assert.equal(second.downloaded, 0);
    assert.equal(second.cached, false); // a new output path: rebuilt from the caches
    assert.equal(second.key, first.key);
    const rebuilt = readFileSync(out), firstBytes = readFileSync(first.path);
    // Compared as bytes but reported briefly: an 18 MB deepEqual diff would fill the runner's heap.
    assert.ok(rebuilt.equals(firstBytes), `the build is reproducible: ${bytesDiff(rebuilt, firstBytes)}`);
    t0 = Date.now();
    const third = await buildImage({ out });
    const thirdMs = Date.now() - t0;
    assert.equal(third.cached, true);
    assert.equal(third.aptUpdated, false);
    assert.equal(third.bytes, first.bytes);
    const again = await buildImage({});
    assert.equal(again.cached, true);
    assert.equal(again.path, first.path);
    t.diagnostic(`first build ${firstMs} ms; rebuild from caches ${secondMs} ms; cached ${thirdMs} ms`);
  } finally {
    if (saved.http === undefined) delete process.env["http_proxy"];
    else process.env["http_proxy"] = saved.http;
    if (saved.https === undefined) delete process.env["https_proxy"];
    else process.env["https_proxy"] = saved.https;
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Where two byte strings part: sizes, the first differing offset, and each one's SHA-256. */
function bytesDiff(a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const sha = (x: Buffer): string => createHash("sha256").update(x).digest("hex").slice(0, 16);
  return `${a.length} vs ${b.length} bytes, first difference at offset ${i}, sha256 ${sha(a)} vs ${sha(b)}`;
}
