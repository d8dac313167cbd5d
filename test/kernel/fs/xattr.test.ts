// Extended attributes (issue 11: the xattr family was ENOSYS). progs/
// fs_xattr.c runs its checks - user.* and trusted.*, XATTR_CREATE/REPLACE,
// size-0 queries, ERANGE/E2BIG/EINVAL/EFAULT, the l* and f* forms, EPERM on
// links and FIFOs, the unprivileged and sticky-directory rules, EOPNOTSUPP
// for unknown namespaces and for /proc - first under qemu-riscv64 on a host
// directory (Linux is the reference), then in tsix on tmpfs and on ext2
// images; the names each run lists must be the same. On ext2 the host then
// reads the attributes tsix wrote with debugfs (ea_list) and e2fsck -fn must
// find the image clean; attributes that mke2fs itself wrote (in the inode of
// a 256-byte-inode file system, and in a block) are read back by tsix. hostfs
// has none (EOPNOTSUPP, an empty list), as documented in docs/kernel.md.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, haveCC } from "./harness.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";
import { createRamDisk } from "../../../kernel/block/ramdisk.js";
import { haveE2fs, mkfs, fsck, cleanup, type MkfsOpts } from "./ext2/images.js";

const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
const isRoot = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), "tsix-xattr-"));
chmodSync(work, 0o755); // uid 1000 (the unprivileged checks) walks through it under qemu
after(() => cleanup(work));

const listLines = (out: string): string[] => out.split("\n").filter((l) => l.startsWith("list ") || l.startsWith("kept: "));

/** The same checks on Linux: a host directory (its file system must keep user.* and trusted.*: ext4, tmpfs, xfs, btrfs do), as root. */
function linuxLines(): string[] {
  const dir = mkdtempSync(join(work, "qemu-"));
  chmodSync(dir, 0o755);
  const bin = join(work, "fs_xattr");
  writeFileSync(bin, program("fs_xattr"));
  chmodSync(bin, 0o755);
  const a = spawnSync("qemu-riscv64", [bin, dir], { encoding: "utf8", timeout: 60_000 });
  assert.equal(a.status, 0, a.stdout + a.stderr);
  const b = spawnSync("qemu-riscv64", [bin, dir, "keep"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(b.status, 0, b.stdout + b.stderr);
  return [...listLines(a.stdout), ...listLines(b.stdout)];
}
const EXPECTED = [
  "list f: user.a,user.b", "list l nofollow: ", "list d: user.dir", "list f as root: trusted.t,user.a,user.b", "list f as uid 1000: user.a",
  "kept: user.big,user.empty,user.keep",
];
const skipQemu = skipNoCC || (!haveQemu ? "qemu-riscv64 is not installed" : !isRoot ? "needs root (trusted.*, setresuid)" : false);

test("fs_xattr passes under qemu-riscv64 on a host directory (the reference)", { skip: skipQemu, timeout: 120_000 }, () => {
  assert.deepEqual(linuxLines(), EXPECTED);
});

test("tmpfs: user.* and trusted.* attributes with Linux's rules and errors", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const r = await run("fs_xattr", { args: ["/tmp"] });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_xattr \(uid 1000\): ok/, explain(r));
  const k = await run("fs_xattr", { args: ["/tmp", "keep"] });
  assert.equal(k.status, 0, explain(k));
  assert.deepEqual([...listLines(r.out), ...listLines(k.out)], EXPECTED);
});

test("hostfs has no xattrs: EOPNOTSUPP (never ENOSYS) and an empty list", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(work, "host-"));
  const r = await run("fs_xattr", { args: ["/host", "none"], setup: (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir), dir), 0) });
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_xattr: ok/, explain(r));
});

const skipE2 = skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false);

/** Run fs_xattr ARGS with `img` on /dev/ram0; the disk afterwards. */
async function onDisk(img: Uint8Array, args: string[]): Promise<{ r: Awaited<ReturnType<typeof run>>; disk: Uint8Array }> {
  let disk: Uint8Array = new Uint8Array(0);
  const r = await run("fs_xattr", { args, timeoutMs: 240_000, setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); disk = k.block.ramdisks[0]; } });
  return { r, disk };
}

/** debugfs's ea_list of FILE on an image, as bytes (values are printed raw or in hex). */
const eaList = (img: string, file: string): string => spawnSync("debugfs", ["-R", `ea_list ${file}`, img], { encoding: "latin1" }).stdout;

for (const [label, o] of [["1 KiB blocks, 128-byte inodes", { blockSize: 1024, inodeSize: 128 }], ["4 KiB blocks, 256-byte inodes", { blockSize: 4096, inodeSize: 256 }]] as [string, MkfsOpts][]) {
  test(`ext2 (${label}): the checks pass, debugfs reads the attributes tsix wrote, e2fsck -fn is clean`, { skip: skipE2, timeout: 300_000 }, async () => {
    const file = join(work, `x-${o.blockSize}.img`);
    mkfs(file, { ...o, sizeMiB: 8 }, null);
    const { r, disk } = await onDisk(new Uint8Array(readFileSync(file)), ["mnt"]);
    assert.equal(r.status, 0, explain(r));
    assert.deepEqual(listLines(r.out), EXPECTED, explain(r));
    const out = join(work, `x-${o.blockSize}-after.img`);
    writeFileSync(out, disk);
    const f = fsck(out);
    assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
    const ea = eaList(out, "/kept");
    assert.match(ea, /user\.keep \(10\) = "kept-value"/, ea);
    assert.match(ea, /user\.empty \(0\)/, ea);
    assert.match(ea, /user\.big \(200\)/, ea);
    // ea_list leaves long values out: ea_get prints the value itself.
    const big = spawnSync("debugfs", ["-R", "ea_get /kept user.big", out], { encoding: "latin1" }).stdout;
    assert.ok(big.includes("b".repeat(200)), big);
    assert.doesNotMatch(ea, /user\.gone/, ea);
    assert.match(eaList(out, "/kept2"), /user\.other \(1\) = "2"/);
  });
}

test("ext2: attributes mke2fs wrote (in 256-byte inodes and in a block) are read by tsix", { skip: skipE2 || (!isRoot ? "needs root" : false), timeout: 300_000 }, async () => {
  // A tree with attributes on the host (the host file system keeps user.*: the qemu test checks it), copied by mke2fs -d.
  const tree = mkdtempSync(join(work, "tree-"));
  mkdirSync(join(tree, "in"));
  writeFileSync(join(tree, "in", "small"), "s");
  writeFileSync(join(tree, "in", "large"), "l");
  const setfattr = (file: string, name: string, value: string): void => {
    const r = spawnSync("python3", ["-c", "import os,sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode())", file, name, value]);
    assert.equal(r.status, 0, r.stderr?.toString());
  };
  setfattr(join(tree, "in", "small"), "user.s", "in-inode");
  // Too big for the space left in a 256-byte inode: mke2fs puts it in an xattr block.
  setfattr(join(tree, "in", "large"), "user.l", "L".repeat(300));
  const file = join(work, "mkfs-attrs.img");
  mkfs(file, { blockSize: 1024, inodeSize: 256, sizeMiB: 8 }, tree);
  assert.match(eaList(file, "/in/small"), /user\.s \(8\) = "in-inode"/);
  const { r, disk } = await onDisk(new Uint8Array(readFileSync(file)), ["/mnt/in", "read"]);
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /small user\.s=in-inode/, explain(r));
  assert.match(r.out, new RegExp(`large user\\.l=${"L".repeat(300)}`), explain(r));
  const out = join(work, "mkfs-attrs-after.img");
  writeFileSync(out, disk);
  const f = fsck(out);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
  assert.match(eaList(out, "/in/small"), /user\.t \(1\) = "t"/);
});
