// Tests of the cpio newc reader and writer (kernel/fs/cpio.ts): round trips,
// hard links, concatenated archives, malformed input, and agreement with the
// host's GNU cpio in both directions when it is installed.
// Concepts: C10 (the initramfs format), C63/C64 (inode fields, links).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, linkSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  parseCpio, writeCpio, normalizeCpioPath, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, type CpioEntry,
} from "../../kernel/fs/cpio.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

function sample(): CpioEntry[] {
  const big = new Uint8Array(10_007);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + 3) & 0xff;
  return [
    { path: ".", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 1_700_000_000 },
    { path: "etc", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 1_700_000_001 },
    { path: "etc/passwd", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1_700_000_002, data: enc.encode("root:x:0:0:root:/root:/bin/sh\n") },
    { path: "etc/empty", mode: S_IFREG | 0o600, uid: 1000, gid: 1000, mtime: 5, data: new Uint8Array(0) },
    { path: "bin", mode: S_IFLNK | 0o777, uid: 0, gid: 0, mtime: 6, target: "usr/bin" },
    { path: "usr", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 7 },
    { path: "usr/bin", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 7 },
    { path: "usr/bin/big", mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 8, data: big },
    { path: "usr/bin/x", mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 9, data: enc.encode("abc") }, // lengths 1..4 exercise padding
    { path: "usr/bin/xy", mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 9, data: enc.encode("abcd") },
    { path: "usr/bin/xyz", mode: S_IFREG | 0o755, uid: 0, gid: 0, mtime: 9, data: enc.encode("a") },
    { path: "dev", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 10 },
    { path: "dev/console", mode: S_IFCHR | 0o600, uid: 0, gid: 0, mtime: 10, rdevMajor: 5, rdevMinor: 1 },
    { path: "dev/vda", mode: S_IFBLK | 0o660, uid: 0, gid: 6, mtime: 10, rdevMajor: 254, rdevMinor: 0 },
    { path: "dev/fifo", mode: S_IFIFO | 0o644, uid: 0, gid: 0, mtime: 10 },
    { path: "tmp", mode: S_IFDIR | 0o1777, uid: 0, gid: 0, mtime: 11 },
    { path: "home/ü-ñ", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 12, data: enc.encode("unicode name") },
  ];
}

test("writeCpio output is 4-byte aligned newc and ends with TRAILER!!!", () => {
  const bytes = writeCpio(sample());
  assert.equal(bytes.length % 4, 0);
  assert.equal(dec.decode(bytes.subarray(0, 6)), "070701");
  const tail = dec.decode(bytes.subarray(bytes.length - 128));
  assert.match(tail, /TRAILER!!!/);
});

test("parseCpio(writeCpio(x)) gives x back", () => {
  const input = sample();
  const parsed = parseCpio(writeCpio(input));
  assert.equal(parsed.length, input.length);
  for (let i = 0; i < input.length; i++) {
    const a = input[i]!;
    const b = parsed[i]!;
    assert.equal(b.path, a.path);
    assert.equal(b.mode, a.mode, a.path);
    assert.equal(b.uid, a.uid);
    assert.equal(b.gid, a.gid);
    assert.equal(b.mtime, a.mtime);
    if ((a.mode & S_IFMT) === S_IFREG) assert.deepEqual(Array.from(b.data!), Array.from(a.data!), a.path);
    if (a.target) assert.equal(b.target, a.target);
    if (a.rdevMajor !== undefined) {
      assert.equal(b.rdevMajor, a.rdevMajor);
      assert.equal(b.rdevMinor, a.rdevMinor);
    }
    assert.equal(b.nlink, (a.mode & S_IFMT) === S_IFDIR ? 2 : 1);
  }
  // Inode numbers are unique when none are given.
  assert.equal(new Set(parsed.map((e) => e.ino)).size, parsed.length);
});

test("crc (070702) archives are written and checked", () => {
  const bytes = writeCpio(sample(), { crc: true });
  assert.equal(dec.decode(bytes.subarray(0, 6)), "070702");
  assert.equal(parseCpio(bytes).length, sample().length);
  // Corrupt one data byte of etc/passwd: the checksum catches it.
  const at = Buffer.from(bytes).indexOf("root:x:0:0");
  const bad = bytes.slice();
  bad[at] = bad[at]! ^ 1;
  assert.throws(() => parseCpio(bad), /checksum mismatch for 'etc\/passwd'/);
});

test("hard links share an inode; data is written once and given to every link", () => {
  const data = enc.encode("shared contents\n");
  const entries: CpioEntry[] = [
    { path: "a", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1, ino: 77, data },
    { path: "b", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1, ino: 77, data },
    { path: "c", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1, ino: 78, data: enc.encode("other") },
  ];
  const bytes = writeCpio(entries);
  // The contents appear once in the archive.
  assert.equal(Buffer.from(bytes).toString("latin1").split("shared contents").length - 1, 1);
  const parsed = parseCpio(bytes);
  assert.equal(parsed[0]!.nlink, 2);
  assert.equal(parsed[1]!.nlink, 2);
  assert.equal(parsed[1]!.hardlinkOf, "a");
  assert.equal(dec.decode(parsed[1]!.data), "shared contents\n");
  assert.equal(parsed[2]!.nlink, 1);
  assert.equal(parsed[2]!.hardlinkOf, undefined);
});

test("several archives one after another (with NUL padding) read as one", () => {
  const a = writeCpio([{ path: "one", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 0, data: enc.encode("1") }]);
  const b = writeCpio([{ path: "two", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 0, data: enc.encode("2") }]);
  const joined = new Uint8Array(a.length + 512 + b.length + 64);
  joined.set(a, 0);
  joined.set(b, a.length + 512);
  assert.deepEqual(parseCpio(joined).map((e) => e.path), ["one", "two"]);
});

test("member names are normalized", () => {
  assert.equal(normalizeCpioPath("./usr//bin/"), "usr/bin");
  assert.equal(normalizeCpioPath("/"), ".");
  assert.equal(normalizeCpioPath("."), ".");
  assert.throws(() => normalizeCpioPath("a/../../etc"), /'\.\.'/);
});

test("the writer refuses entries it cannot represent", () => {
  assert.throws(() => writeCpio([{ path: "x", mode: 0o644, uid: 0, gid: 0, mtime: 0 }]), /no file type/);
  assert.throws(() => writeCpio([{ path: "x", mode: S_IFLNK | 0o777, uid: 0, gid: 0, mtime: 0 }]), /no target/);
  assert.throws(() => writeCpio([{ path: "x", mode: S_IFREG | 0o644, uid: 2 ** 32, gid: 0, mtime: 0 }]), /uid .* 32 bits/);
  assert.throws(() => writeCpio([{ path: "TRAILER!!!", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 0 }]), /may not be named/);
});

test("malformed archives throw clear errors", () => {
  const good = writeCpio(sample());
  assert.throws(() => parseCpio(new Uint8Array(0)), /without TRAILER!!!/);
  assert.throws(() => parseCpio(good.subarray(0, 50)), /truncated header at offset 0/);
  assert.throws(() => parseCpio(good.subarray(0, good.length - 200)), /truncated|without TRAILER/);
  const badMagic = good.slice();
  badMagic[5] = 0x37; // "070707": the old portable format, not newc
  assert.throws(() => parseCpio(badMagic), /bad magic '070707' at offset 0/);
  const badHex = good.slice();
  badHex[6] = 0x7a; // 'z' in the ino field
  assert.throws(() => parseCpio(badHex), /bad hex digit in the ino field/);
  // A name size of 0, and one beyond the end.
  const noName = good.slice();
  noName.set(enc.encode("00000000"), 6 + 11 * 8);
  assert.throws(() => parseCpio(noName), /bad name size 0/);
  const hugeData = good.slice();
  hugeData.set(enc.encode("7fffffff"), 6 + 6 * 8);
  assert.throws(() => parseCpio(hugeData), /truncated data of '\.'/);
  const junk = new Uint8Array(good.length + 8);
  junk.set(good);
  junk.set(enc.encode("garbage!"), good.length);
  assert.throws(() => parseCpio(junk), /bad magic|junk/);
});

test("random corruption never hangs the parser: it returns or throws an Error", () => {
  const good = writeCpio(sample());
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  let threw = 0;
  for (let round = 0; round < 2000; round++) {
    const bad = good.slice(0, rnd(good.length + 1));
    for (let k = 0; k < 1 + rnd(4); k++) if (bad.length > 0) bad[rnd(bad.length)] = rnd(256);
    try {
      const out = parseCpio(bad);
      assert.ok(Array.isArray(out));
    } catch (e) {
      assert.ok(e instanceof Error);
      assert.match(e.message, /^cpio: /);
      threw++;
    }
  }
  assert.ok(threw > 1000);
});

const haveCpio = spawnSync("sh", ["-c", "command -v cpio"], { stdio: "ignore" }).status === 0;

test("GNU cpio lists and extracts our archive", { skip: haveCpio ? false : "cpio is not installed (apt-get install cpio)" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-cpio-"));
  try {
    const shared = enc.encode("linked\n");
    const entries: CpioEntry[] = [
      ...sample().filter((e) => !e.path.startsWith("dev") || e.path === "dev"),
      { path: "usr/bin/link1", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1, ino: 9001, data: shared },
      { path: "usr/bin/link2", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 1, ino: 9001, data: shared },
    ];
    const archive = join(dir, "a.cpio");
    writeFileSync(archive, writeCpio(entries));
    const list = spawnSync("cpio", ["-t", "--quiet", "-F", archive], { encoding: "utf8" });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split("\n"), entries.map((e) => e.path));

    const root = join(dir, "root");
    mkdirSync(root);
    const ex = spawnSync("cpio", ["-i", "-d", "-m", "--quiet", "--no-absolute-filenames", "-F", archive], { cwd: root, encoding: "utf8" });
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal(readFileSync(join(root, "etc/passwd"), "utf8"), "root:x:0:0:root:/root:/bin/sh\n");
    assert.equal(readlinkSync(join(root, "bin")), "usr/bin");
    assert.deepEqual(readFileSync(join(root, "usr/bin/big")), Buffer.from(entries.find((e) => e.path === "usr/bin/big")!.data!));
    assert.equal(statSync(join(root, "usr/bin/big")).mode & 0o7777, 0o755);
    assert.equal(statSync(join(root, "tmp")).mode & 0o7777, 0o1777);
    assert.equal(statSync(join(root, "usr/bin/big")).mtimeMs, 8000);
    assert.equal(readFileSync(join(root, "home/ü-ñ"), "utf8"), "unicode name");
    assert.equal(readFileSync(join(root, "usr/bin/link2"), "utf8"), "linked\n");
    assert.equal(statSync(join(root, "usr/bin/link1")).ino, statSync(join(root, "usr/bin/link2")).ino);
    assert.equal(statSync(join(root, "usr/bin/link1")).nlink, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("we read what GNU cpio writes (including hard links with the data in the last member)", { skip: haveCpio ? false : "cpio is not installed" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-cpio-"));
  try {
    const root = join(dir, "root");
    mkdirSync(join(root, "sub"), { recursive: true });
    writeFileSync(join(root, "sub/file"), "hello from gnu cpio\n");
    linkSync(join(root, "sub/file"), join(root, "sub/hard"));
    symlinkSync("sub/file", join(root, "sym"));
    writeFileSync(join(root, "odd"), "x".repeat(13));
    const made = spawnSync("sh", ["-c", "find . | LC_ALL=C sort | cpio -o -H newc --quiet"], { cwd: root, maxBuffer: 1 << 26 });
    assert.equal(made.status, 0, made.stderr?.toString());
    const parsed = parseCpio(new Uint8Array(made.stdout));
    const by = new Map(parsed.map((e) => [e.path, e]));
    assert.deepEqual([...by.keys()].sort(), [".", "odd", "sub", "sub/file", "sub/hard", "sym"]);
    assert.equal(dec.decode(by.get("sub/file")!.data), "hello from gnu cpio\n");
    assert.equal(dec.decode(by.get("sub/hard")!.data), "hello from gnu cpio\n");
    assert.equal(by.get("sub/file")!.ino, by.get("sub/hard")!.ino);
    assert.equal(by.get("sym")!.target, "sub/file");
    assert.equal(by.get("sym")!.mode & S_IFMT, S_IFLNK);
    assert.equal(by.get("odd")!.data!.length, 13);
    assert.equal(by.get("sub")!.mode & S_IFMT, S_IFDIR);
    assert.equal(lstatSync(join(root, "odd")).mode & 0o777, by.get("odd")!.mode & 0o777);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
