// Names and arguments are bytes (issue 11, "Non-UTF-8 bytes are corrupted"):
// progs/fs_bytes.c makes names with bytes that are not UTF-8 (0xff, 0xfe,
// 0x80) and a valid multibyte name (한글) on tmpfs, on a host directory
// (hostfs) and on ext2, and execs itself with such bytes in argv and envp.
// What it sees is first held to Linux (qemu-riscv64 on a host directory);
// then the host checks the bytes tsix left: the host file names of the
// hostfs share, debugfs's listing of the ext2 image (and e2fsck), and
// busybox's `ls | od -c` through the whole CLI path.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, chmodSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, haveCC } from "./harness.js";
import { sh, explain as explainCli, imageRootfs } from "../harness.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";
import { createRamDisk } from "../../../kernel/block/ramdisk.js";
import { hostComplete } from "../../../kernel/index.js";
import { haveE2fs, mkfs, fsck, cleanup } from "./ext2/images.js";

const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;
const work = mkdtempSync(join(tmpdir(), "tsix-bytes-"));
after(() => cleanup(work));

const NAME = Buffer.from([0x61, 0xff, 0xfe, 0x62]); // "a\xff\xfeb"
const HANGUL = Buffer.from("한글", "utf8");
const LINK = Buffer.from([0x6c, 0x80]); // "l\x80"
const TARGET = Buffer.from([0x74, 0xff, 0x80]);

/** The lines fs_bytes prints about the bytes it saw (hex dumps), in order. */
const hexLines = (out: string): string[] => out.split("\n").filter((l) => /^[a-zA-Z0-9-]+: [0-9a-f]{2}( [0-9a-f]{2})*$/.test(l));

/** What Linux prints: fs_bytes in a host directory under qemu-riscv64, and its exec'ed side run by the host (qemu-user cannot execve). */
function linuxLines(): string[] {
  const dir = mkdtempSync(join(work, "qemu-"));
  const bin = join(work, "fs_bytes");
  writeFileSync(bin, program("fs_bytes"));
  chmodSync(bin, 0o755);
  const a = spawnSync("qemu-riscv64", [bin, dir, "noexec"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(a.status, 0, a.stdout + a.stderr);
  assert.match(a.stdout, /fs_bytes: ok/);
  // The bytes go through the shell's printf: a Node string argument cannot hold 0xff.
  const b = spawnSync("sh", ["-c", `env -i V="$(printf '\\377\\200z')" H="$(printf '\\355\\225\\234')" qemu-riscv64 ${bin} child "$(printf '\\377\\200')" "$(printf 'x\\376y')"`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(b.status, 0, b.stdout + b.stderr);
  assert.match(b.stdout, /fs_bytes child: ok/);
  return [...hexLines(a.stdout), ...hexLines(b.stdout)];
}

let linux: string[] | undefined;
const reference = (): string[] | undefined => (haveQemu && haveCC ? (linux ??= linuxLines()) : undefined);

/** fs_bytes's own checks passed in tsix, and it saw the very bytes Linux shows. */
function assertLikeLinux(r: Awaited<ReturnType<typeof run>>): void {
  assert.equal(r.status, 0, explain(r));
  assert.match(r.out, /fs_bytes child: ok/, explain(r));
  assert.match(r.out, /fs_bytes: ok/, explain(r));
  const mine = hexLines(r.out);
  assert.deepEqual(mine, [
    "fdlink-tail: 61 ff fe 62", "symlink-target: 74 ff 80",
    "argv2: ff 80", "argv3: 78 fe 79", "env-V: ff 80 7a", "cmdline-tail: 63 68 69 6c 64 00 ff 80 00 78 fe 79 00", "comm: 6e ff 80 0a",
  ], explain(r));
  const ref = reference();
  if (ref) assert.deepEqual(mine, ref);
}

test("fs_bytes passes under qemu-riscv64 on Linux (the reference)", { skip: skipNoCC || (!haveQemu ? "qemu-riscv64 is not installed" : false), timeout: 120_000 }, () => {
  assert.equal(reference()!.length, 7);
});

test("tmpfs, execve argv/envp, /proc/self/{cmdline,environ,comm,fd}: bytes that are not UTF-8 come back unchanged", { skip: skipNoCC, timeout: 120_000 }, async () => {
  assertLikeLinux(await run("fs_bytes", { args: ["/tmp"] }));
});

test("hostfs: the host file gets the guest's exact name bytes, and host names that are not UTF-8 reach the guest", { skip: skipNoCC, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(work, "host-"));
  const r = await run("fs_bytes", { args: ["/host"], setup: (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir), dir), 0) });
  assertLikeLinux(r);
  const names = readdirSync(join(dir, "keep"), { encoding: "buffer" });
  assert.ok(names.some((n) => n.equals(NAME)), `host names: ${names.map((n) => n.toString("hex")).join(" ")}`);
  assert.ok(names.some((n) => n.equals(HANGUL)), `host names: ${names.map((n) => n.toString("hex")).join(" ")}`);
  assert.ok(names.some((n) => n.equals(LINK)));
  assert.equal(names.length, 3);
  const keep = Buffer.from(join(dir, "keep") + "/");
  assert.equal(readFileSync(Buffer.concat([keep, NAME])).toString(), "bytes");
  assert.ok(readlinkSync(Buffer.concat([keep, LINK]), { encoding: "buffer" }).equals(TARGET));
});

test("hostfs: a host name with invalid UTF-8 is listed byte for byte in the guest (async adapter too)", { skip: skipNoCC, timeout: 120_000 }, async () => {
  for (const io of ["sync", "async"] as const) {
    const dir = mkdtempSync(join(work, `hostname-${io}-`));
    writeFileSync(Buffer.concat([Buffer.from(dir + "/"), Buffer.from([0x68, 0xff, 0x80])]), "from host");
    // fs_bytes's file checks run there too; /host/h\xff\x80 must be one of the names its readdir sees.
    const r = await run("fs_bytes", {
      args: ["/host", "noexec"], clock: io === "async" ? "host" : undefined,
      setup: (k, t) => {
        const h = nodeHostFs(dir, { io });
        // An async share's answers reach the kernel through hostComplete, as the CLI wires it.
        h.onCompletion?.(() => hostComplete(k));
        assert.equal(mountHost(k, t, "/host", h, dir), 0);
      },
    });
    assert.equal(r.status, 0, explain(r));
    const names = readdirSync(dir, { encoding: "buffer" }).map((n) => n.toString("hex")).sort();
    assert.deepEqual(names, ["68ff80", Buffer.from("keep").toString("hex")].sort(), io);
  }
});

test("ext2: names made in tsix are the same bytes on disk (debugfs), and e2fsck -fn stays clean", { skip: skipNoCC || (!haveE2fs ? "e2fsprogs is not installed" : false), timeout: 300_000 }, async () => {
  const file = join(work, "bytes.img");
  mkfs(file, { blockSize: 1024, sizeMiB: 8 }, null);
  const img = new Uint8Array(readFileSync(file));
  let disk: Uint8Array = new Uint8Array(0);
  const r = await run("fs_bytes", { args: ["mnt"], timeoutMs: 240_000, setup: (k) => { createRamDisk(k, img.length); k.block.ramdisks[0].set(img); disk = k.block.ramdisks[0]; } });
  assertLikeLinux(r);
  const out = join(work, "bytes-after.img");
  writeFileSync(out, disk);
  const f = fsck(out);
  assert.equal(f.status, 0, `e2fsck -fn:\n${f.out}`);
  // debugfs's "ls -p" prints /ino/mode/uid/gid/NAME/size/ with the name's raw bytes.
  const ls = spawnSync("debugfs", ["-R", "ls -p /d/keep", out]).stdout;
  for (const n of [NAME, HANGUL, LINK]) assert.ok(ls.includes(Buffer.concat([Buffer.from("/"), n, Buffer.from("/")])), `debugfs ls -p: ${ls.toString("latin1")}`);
  // And a host copy of the tree (rdump) has the same names and the link target's bytes.
  const dump = mkdtempSync(join(work, "rdump-"));
  assert.equal(spawnSync("debugfs", ["-R", `rdump /d/keep ${dump}`, out]).status, 0);
  const keep = Buffer.from(join(dump, "keep") + "/");
  assert.equal(readFileSync(Buffer.concat([keep, NAME])).toString(), "bytes");
  assert.ok(readlinkSync(Buffer.concat([keep, LINK]), { encoding: "buffer" }).equals(TARGET));
});

test("the CLI: busybox ls | od -c and a glob show a 0xff name as its bytes, and a UTF-8 argument (한글) arrives as UTF-8, as under qemu-riscv64", { timeout: 300_000 }, async () => {
  const script = `touch "$(printf 'a\\377\\376b')" 한글 && ls | od -c && echo * | od -c && printf %s 한글 | od -An -tx1`;
  const r = sh(`mkdir /tmp/b && cd /tmp/b && ${script}`);
  assert.equal(r.status, 0, explainCli(r));
  // echo * prints the names' own bytes: 0xff 0xfe, and 한글's six UTF-8 bytes.
  assert.match(r.stdout, /a 377 376 {3}b/, explainCli(r));
  assert.match(r.stdout, /355 225 234 352 270 200/, explainCli(r));
  assert.match(r.stdout, /ed 95 9c ea b8 80/, explainCli(r));
  if (!haveQemu) return;
  // Debian's busybox under qemu-riscv64 on the host kernel: the same output, byte for byte.
  const rootfs = await imageRootfs();
  const dir = mkdtempSync(join(work, "cli-"));
  const q = spawnSync("qemu-riscv64", ["-L", rootfs, join(rootfs, "usr/bin/busybox"), "sh", "-c", script], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { PATH: "/usr/bin:/bin" } }); // no LANG: tsix's guest has none either
  assert.equal(q.status, 0, q.stderr);
  assert.equal(r.stdout, q.stdout);
});
