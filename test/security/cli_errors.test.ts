// Errors a user sees (issue 6): every bad input to the tsix command is one
// line on stderr that names the bad thing (and says what to do), with exit
// status 2 - never a Node stack trace. And the image cache cannot hand the
// guest a corrupted root file system: the image and the cached .debs are
// checked against SHA-256 sums, and a corrupt copy is rebuilt or fetched again.
// The cache tests work on a private copy of the cache ($TSIX_HOME pointed at a
// temporary directory): the real one is shared by tests running in parallel.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, readSync,
  rmSync, writeFileSync, writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TSIX, SRC_ROOT, tsix, explain, type RunResult } from "../kernel/harness.js";
import { parseCpio } from "../../kernel/fs/cpio.js";
import { tsixHome } from "../../userland/image/apt.js";

const STACK = /^\s+at |Uncaught|node:internal|\bError: /m;
const HELLO = join(SRC_ROOT, "userland/bare/hello.elf");

/** The run printed exactly one line on stderr, matching `names`, with exit status `status` (default 2). */
function assertOneLine(r: RunResult, names: RegExp, status = 2): void {
  const all = explain(r);
  assert.equal(r.status, status, all);
  assert.doesNotMatch(r.stderr, STACK, all);
  assert.equal(r.stderr.split("\n").length, 2, `exactly one line on stderr:\n${all}`);
  assert.ok(r.stderr.endsWith("\n"), all);
  assert.match(r.stderr, names, all);
}

const scratch = mkdtempSync(join(tmpdir(), "tsix-cli-errors-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const aFile = join(scratch, "a-file");
writeFileSync(aFile, "not a directory\n");
const aDir = join(scratch, "a-dir");
mkdirSync(aDir);

// --- tsix machine --disk -------------------------------------------------------------

for (const [what, disk, names] of [
  ["a directory", aDir, /a-dir: is a directory.*truncate -s/],
  ["/dev/null", "/dev/null", /\/dev\/null: not a regular file.*truncate -s/],
  ["a missing path", join(scratch, "missing.img"), /missing\.img: no such file.*truncate -s 1M .*missing\.img/],
] as const) {
  test(`tsix machine --bare FILE --disk <${what}>: one line, exit 2`, () => {
    assertOneLine(tsix(["machine", "--bare", HELLO, "--disk", disk]), names);
  });
}

/** Run tsix with `args` as an unprivileged user (nobody) when this is root, who can read anything. */
function tsixUnprivileged(args: string[], home: string): RunResult {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [TSIX, ...args], { encoding: "utf8", timeout: 60_000, input: "", ...asNobody, env: { ...process.env, HOME: home } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: 0 };
}

test("unreadable files: --disk, the ELF of tsix machine, --image: one line, exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-unreadable-"));
  chmodSync(dir, 0o755);
  const img = join(dir, "disk.img");
  writeFileSync(img, new Uint8Array(4096));
  const elf = join(dir, "prog.elf");
  copyFileSync(HELLO, elf);
  const cpio = join(dir, "root.cpio");
  writeFileSync(cpio, "070701");
  for (const f of [img, elf, cpio]) chmodSync(f, 0o000);
  try {
    assertOneLine(tsixUnprivileged(["machine", "--bare", HELLO, "--disk", img], dir), /disk\.img: permission denied.*chmod u\+rw/);
    assertOneLine(tsixUnprivileged(["machine", "--bare", elf], dir), /prog\.elf: cannot read it \(EACCES/);
    assertOneLine(tsixUnprivileged(["run", "--image", cpio, "--", "true"], dir), /--image: cannot read .*root\.cpio \(EACCES/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- tsix run options ---------------------------------------------------------------

for (const [args, names] of [
  [["--mem", "lots"], /bad size 'lots'/],
  [["--mem", "0"], /--mem must be between 16M and 2G/],
  [["--mem", "99999999999999999999G"], /--mem must be between 16M and 2G/],
  [["--mem", "1.5G"], /bad size '1\.5G'/],
  [["--mount", `${join(scratch, "nope")}:/mnt`], /--mount: .*nope: no such host directory/],
  [["--mount", `${aFile}:/mnt`], /--mount: .*a-file is not a directory/],
  [["--mount", `${aDir}:mnt`], /--mount: the guest path must be absolute.*'mnt'/],
  [["--mount", `${aDir}:/`], /--mount: cannot mount over the guest's root/],
  [["--mount", `${aDir}:/a/../b`], /--mount: the guest path must not contain \. or \.\. \(got '\/a\/\.\.\/b'\)/],
  // (The share's source name may be neutral, e.g. "hostfs", rather than the host path.)
  [["--mount", `${aDir}:/etc/passwd`], /cannot mount \S+ on \/etc\/passwd: ENOTDIR/],
  [["--mount", "nocolon"], /--mount needs HOST:GUEST.*'nocolon'/],
  [["--frobnicate"], /unknown option --frobnicate/],
  [["--cpus", "0"], /--cpus must be an integer/],
  [["--image", aDir], /--image: .*a-dir is not a regular file/],
  [["--image", aFile], /--image: .*a-file is not an initramfs/],
  [["--init", "/no/such/init"], /cannot run \/no\/such\/init as init \(ENOENT\)/],
  [["--init", "/etc"], /cannot run \/etc as init \(EACCES\)/],
] as const) {
  test(`tsix run ${args.join(" ")}: one line naming it, exit 2`, () => {
    assertOneLine(tsix(["run", ...args, "--", "true"]), names);
  });
}

test("tsix run with a bad TSIX_FLUSH_MS: one line, exit 2", () => {
  assertOneLine(tsix(["run", "--", "true"], { env: { ...process.env, TSIX_FLUSH_MS: "soon" } }), /TSIX_FLUSH_MS .*'soon'/);
});

test("other subcommands: unknown command, unknown image option, machine without a program", () => {
  assertOneLine(tsix(["frobnicate"]), /unknown command 'frobnicate'/);
  assertOneLine(tsix(["image", "build", "--frobnicate"]), /unknown argument --frobnicate/);
  assertOneLine(tsix(["image", "build", "--packages", ""]), /--packages needs at least one package name/);
  assertOneLine(tsix(["machine", "--bare", aDir]), /a-dir: no such file/);
  assertOneLine(tsix(["machine", "--bare", HELLO, "--mem", "lots"]), /bad size 'lots'/);
});

test("a command that does not exist in the guest: the shell's one line and 127, as sh -c gives", () => {
  const r = tsix(["run", "--", "no-such-command-here"]);
  assertOneLine(r, /no-such-command-here: not found/, 127);
  assert.equal(r.stdout, "");
});

test("closed stdin or stdout: tsix runs the command without a stack trace", () => {
  // Node gives a closed standard descriptor /dev/null; the guest sees an empty input and a sink.
  const out = spawnSync("sh", ["-c", `${process.execPath} ${TSIX} run -- echo hi >&-; echo "tsix=$?" >&2`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(out.stderr, "tsix=0\n", out.stderr);
  const inp = spawnSync("sh", ["-c", `${process.execPath} ${TSIX} run -- wc -c <&-; echo "tsix=$?" >&2`], { encoding: "utf8", timeout: 60_000 });
  assert.equal(inp.stderr, "tsix=0\n", inp.stderr);
  assert.equal(inp.stdout.trim(), "0");
});

// --- the image builder and its cache --------------------------------------------------

/**
 * A private copy of the cache in $TSIX_HOME (or ~/.cache/tsix): the big files
 * that are only ever replaced, never rewritten (package lists, .debs, compiled
 * programs), are hard links; everything else is copied. Locks and temporary
 * files are left out.
 */
function privateHome(): string {
  const src = tsixHome();
  const dst = mkdtempSync(join(tmpdir(), "tsix-home-"));
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(src, rel), { withFileTypes: true })) {
      const r = join(rel, e.name);
      if (e.isDirectory()) { mkdirSync(join(dst, r), { recursive: true }); walk(r); continue; }
      if (!e.isFile() || /(^|\/)(lock|tsix\.lock)$|\.tmp\d*$/.test(r) || /\.tmp\d+$/.test(e.name)) continue;
      if (/_Packages$|InRelease$|\.deb$/.test(e.name) || r.startsWith("build/programs/")) linkSync(join(src, r), join(dst, r));
      else copyFileSync(join(src, r), join(dst, r));
    }
  };
  walk("");
  return dst;
}

const homes: string[] = [];
after(() => { for (const h of homes) rmSync(h, { recursive: true, force: true }); });
function withHome(home: string): NodeJS.ProcessEnv {
  return { ...process.env, TSIX_HOME: home };
}

/** Flip one byte of `path` at `offset` (the file must be a private copy, not a hard link into the real cache). */
function flipByte(path: string, offset: number): void {
  const fd = openSync(path, "r+");
  try {
    const b = new Uint8Array(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0x5a;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

const LIBC = "lib/riscv64-linux-gnu/libc.so.6";
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** The SHA-256 of libc in the image (/lib is a link to usr/lib), and where its bytes are in the file. */
function libcIn(image: Uint8Array): { sum: string; offset: number } {
  const e = parseCpio(image).find((x) => (x.path === LIBC || x.path === `usr/${LIBC}`) && x.data !== undefined && x.data.length > 0);
  assert.ok(e?.data && e.data.length > 100_000, "libc.so.6 is a file in the image");
  const offset = Buffer.from(image.buffer, image.byteOffset, image.length).indexOf(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.length));
  assert.ok(offset > 0);
  return { sum: sha256(e.data), offset };
}

test("tsix image build --packages with a package that does not exist: one line naming it, exit 2", { timeout: 300_000 }, () => {
  const home = privateHome();
  homes.push(home);
  assertOneLine(tsix(["image", "build", "--packages", "busybox-static,nosuchpkg-tsix"], { env: withHome(home) }), /no package 'nosuchpkg-tsix' in Debian/);
  // A word apt would take as an option never reaches it.
  assertOneLine(tsix(["image", "build", "--packages=-oDebug::NoLocking=1"], { env: withHome(home) }), /'-oDebug::NoLocking=1' is not a Debian package name/);
});

test("a cache directory that cannot be one, and --out naming a directory: one line, exit 2", () => {
  assertOneLine(tsix(["run", "--", "true"], { env: withHome(aFile) }), /image cache directory .*a-file is not a directory.*TSIX_HOME/);
  assertOneLine(tsix(["image", "build"], { env: withHome(join(aFile, "sub")) }), /cache directory .*a-file\/sub: cannot use it \(ENOTDIR\)/);
  assertOneLine(tsix(["image", "build", "--out", aDir]), /--out .*a-dir is not a regular file/);
});

test("an image build that fails (the mirror is unreachable) says so without a stack trace, exit 1", { timeout: 300_000 }, () => {
  const home = privateHome();
  homes.push(home);
  // A changed mirror makes the builder run apt-get update, which cannot connect (nothing listens on port 9).
  rmSync(join(home, "images"), { recursive: true, force: true });
  const r = tsix(["run", "--", "true"], { env: { ...withHome(home), TSIX_APT_MIRROR: "http://127.0.0.1:9/debian" }, timeout: 240_000 });
  const all = explain(r);
  assert.equal(r.status, 1, all);
  assert.match(r.stderr, /^tsix: cannot build the default image: apt-get update for Debian trixie riscv64 from http:\/\/127\.0\.0\.1:9\/debian failed/m, all);
  assert.doesNotMatch(r.stderr, STACK, all);
  assert.doesNotMatch(r.stderr, /internal error/, all);
});

test("a same-size corruption of the cached image is noticed at boot: the guest gets the right libc", { timeout: 600_000 }, () => {
  const home = privateHome();
  homes.push(home);
  const env = withHome(home);
  const built = tsix(["image", "build"], { env, timeout: 540_000 });
  assert.equal(built.status, 0, explain(built));
  const path = join(home, "images/default.cpio");
  assert.ok(existsSync(path), explain(built));
  const good = libcIn(new Uint8Array(readFileSync(path)));
  // One byte inside libc's code changes; the size does not.
  const size = readFileSync(path).length;
  flipByte(path, good.offset + 200_000);
  assert.equal(readFileSync(path).length, size);
  const r = tsix(["run", "--", "sha256sum", `/${LIBC}`], { env });
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout.split(" ")[0], good.sum, `the guest's libc is the packaged one:\n${explain(r)}`);
  assert.match(r.stderr, /does not match the SHA-256 recorded .*rebuilding it/, explain(r));
  // The rebuilt image is whole again, and the next boot is quiet.
  assert.equal(libcIn(new Uint8Array(readFileSync(path))).sum, good.sum);
  const again = tsix(["run", "--", "true"], { env });
  assert.equal(again.status, 0, explain(again));
  assert.equal(again.stderr, "", explain(again));
});

test("a corrupted cached .deb is noticed before an image is built from it", { timeout: 600_000 }, () => {
  const home = privateHome();
  homes.push(home);
  const env = withHome(home);
  const archives = join(home, "apt/cache/archives");
  const deb = readdirSync(archives).find((f) => /^libc6_.*\.deb$/.test(f));
  assert.ok(deb, "libc6's .deb is in the cache");
  const path = join(archives, deb);
  const original = sha256(readFileSync(path));
  // Break the hard link: the corruption stays in this private copy.
  const copy = `${path}.copy`;
  copyFileSync(path, copy);
  rmSync(path);
  copyFileSync(copy, path);
  rmSync(copy);
  flipByte(path, 100_000);
  rmSync(join(home, "images"), { recursive: true, force: true });
  const r = tsix(["image", "build"], { env, timeout: 540_000 });
  if (r.status === 0) {
    // Downloaded again: the cache holds the packaged file and the image has its libc.
    assert.match(r.stderr, /libc6_.*\.deb did not match the package lists' SHA-256 \(corrupted\): downloaded it again/, explain(r));
    assert.equal(sha256(readFileSync(path)), original);
  } else {
    // Offline: one line that says what happened and what to do.
    assert.equal(r.status, 1, explain(r));
    const last = r.stderr.trimEnd().split("\n").at(-1)!;
    assert.match(last, /cached \.deb of libc6 did not match .*check the network/, explain(r));
    assert.ok(!existsSync(join(home, "images/default.cpio")), "no image was built from the corrupt .deb");
  }
});
