// Security: a directory shared with `tsix run --mount HOST:/mnt` must not be
// a way out to the rest of the host. Each test puts files OUTSIDE the share
// (OUT/secret.txt, OUT/victim.txt) and has the guest try one of the escapes
// of issue 6: a descriptor that outlives its name while a symbolic link to
// OUT is put there (rm + ln -s, or mv of a link over it) and is then read,
// written, fchmod'ed, ftruncate'd, futimens'ed or mapped; a working
// directory kept after its parent became a link to OUT; utimensat with
// AT_SYMLINK_NOFOLLOW on a link to OUT; RENAME_EXCHANGE's temporary name;
// /proc/mounts showing the host's path. The host files outside must stay
// unread and unchanged, and the guest must see what Linux does: the probes
// in progs/hostfs_probe.c also run under qemu-riscv64 on the host's Linux,
// on a plain directory, and tsix must print the same lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sh, tsix, tsixAsync, explain, have } from "../kernel/harness.js";
import { program, haveCC } from "../kernel/fs/harness.js";

const PROGS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../test/security/progs");
const skipCC = haveCC ? false : "riscv64-linux-gnu-gcc is not installed";
const skipQemu = skipCC || (have("qemu-riscv64") ? false : "qemu-riscv64 is not installed (qemu-user)");

const SECRET = "TOP SECRET\n";
const VICTIM = "victim\n";

interface Box { base: string; share: string; out: string; bin: string }

/** A scratch tree: share/ (mounted at /mnt) with a = "original", out/ outside it, bin/ with the probe (mounted at /t). */
function box(): Box {
  const base = mkdtempSync(join(tmpdir(), "tsix-escape-"));
  const share = join(base, "share"), out = join(base, "out"), bin = join(base, "bin");
  for (const d of [share, out, bin, join(out, "etc")]) mkdirSync(d);
  writeFileSync(join(share, "a"), "original\n");
  writeFileSync(join(out, "secret.txt"), SECRET);
  writeFileSync(join(out, "victim.txt"), VICTIM);
  writeFileSync(join(out, "etc", "passwd"), "outside passwd\n");
  chmodSync(join(out, "victim.txt"), 0o644);
  if (haveCC) {
    writeFileSync(join(bin, "hostfs_probe"), program("hostfs_probe", PROGS));
    chmodSync(join(bin, "hostfs_probe"), 0o755);
  }
  return { base, share, out, bin };
}

function mounts(b: Box): string[] {
  return ["--mount", `${b.share}:/mnt`, "--mount", `${b.bin}:/t`];
}

/** What must hold of OUT after every escape attempt. */
function outsideUntouched(b: Box, before: { victimMtime: number; secretMtime: number }): void {
  assert.equal(readFileSync(join(b.out, "secret.txt"), "utf8"), SECRET);
  assert.equal(readFileSync(join(b.out, "victim.txt"), "utf8"), VICTIM);
  assert.equal(statSync(join(b.out, "victim.txt")).mode & 0o777, 0o644);
  assert.equal(statSync(join(b.out, "victim.txt")).mtimeMs, before.victimMtime);
  assert.equal(statSync(join(b.out, "secret.txt")).mtimeMs, before.secretMtime);
  assert.ok(!existsSync(join(b.out, "etc", "newfile")), "a file was created outside the share");
}

function times(b: Box): { victimMtime: number; secretMtime: number } {
  return { victimMtime: statSync(join(b.out, "victim.txt")).mtimeMs, secretMtime: statSync(join(b.out, "secret.txt")).mtimeMs };
}

/** Run the probe under qemu-riscv64 on a fresh plain host tree (Linux's answer), with the same kind of paths. */
function onLinux(args: (b: Box) => string[]): { stdout: string; box: Box } {
  const b = box();
  const r = spawnSync("qemu-riscv64", [join(b.bin, "hostfs_probe"), ...args(b).map((a) => a.replace("/mnt", b.share))], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  return { stdout: r.stdout, box: b };
}

/** The probe in tsix with the share at /mnt; and the same under qemu when it is installed. */
function probe(args: (b: Box) => string[]): { b: Box; before: { victimMtime: number; secretMtime: number }; out: string; linux: string | null } {
  const b = box();
  const before = times(b);
  const r = tsix(["run", ...mounts(b), "--", "/t/hostfs_probe", ...args(b)]);
  assert.equal(r.status, 0, explain(r));
  let linux: string | null = null;
  if (!skipQemu) {
    const l = onLinux(args);
    linux = l.stdout;
    outsideUntouched(l.box, times(l.box));
    rmSync(l.box.base, { recursive: true, force: true });
  }
  return { b, before, out: r.stdout, linux };
}

for (const swap of ["rm", "mv"] as const) {
  for (const op of ["read", "write", "fchmod", "ftruncate", "futimens", "mmap"] as const) {
    // read and mmap aim at the secret (a leak), the others at the victim (a change).
    const target = op === "read" || op === "mmap" ? "secret.txt" : "victim.txt";
    test(`hostfs: a stale descriptor (${swap === "rm" ? "rm + ln -s" : "mv of a link over the name"}) cannot ${op} the outside file`, { skip: skipCC, timeout: 120_000 }, () => {
      const { b, before, out, linux } = probe((x) => ["stale", swap, op, "/mnt/a", join(x.out, target)]);
      try {
        outsideUntouched(b, before);
        assert.doesNotMatch(out, /TOP SECRET/, out);
        // The descriptor still reaches the file it was opened on, as on Linux.
        if (op === "read") assert.match(out, /^read ret=9 errno=0 data=original$/m, out);
        if (op === "write") assert.match(out, /^readback ret=9 errno=0 data=XXXXinal$/m, out);
        if (op === "fchmod") assert.match(out, /^fchmod ret=0 errno=0\nfstat ret=0 errno=0 data=600$/m, out);
        if (op === "ftruncate") assert.match(out, /^ftruncate ret=0 errno=0\nfstat ret=0 errno=0 data=2$/m, out);
        if (op === "futimens") assert.match(out, /^futimens ret=0 errno=0$/m, out);
        if (op === "mmap") assert.match(out, /^mmap-read ret=0 errno=0 data=original\nmsync ret=0 errno=0$/m, out);
        if (linux !== null) assert.equal(out, linux, "tsix and Linux (qemu-riscv64) disagree");
      } finally {
        rmSync(b.base, { recursive: true, force: true });
      }
    });
  }
}

test("hostfs: the shell's stale descriptor (exec 3< / 3<>) reads and writes the original file, not a link's target", { timeout: 120_000 }, () => {
  const b = box();
  try {
    const before = times(b);
    const r = sh(
      `exec 3</mnt/a 4<>/mnt/a && rm /mnt/a && ln -s ${b.out}/secret.txt /mnt/a && cat <&3 && ` +
      `rm /mnt/a && ln -s ${b.out}/victim.txt /mnt/a && echo X >&4 && echo wrote`,
      { args: mounts(b) },
    );
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, "original\nwrote\n", explain(r));
    outsideUntouched(b, before);
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs: a working directory whose parent became a link to the outside finds nothing and creates nothing (ENOENT)", { timeout: 120_000 }, () => {
  const b = box();
  try {
    const before = times(b);
    const r = sh(
      `mkdir -p /mnt/p/etc && cd /mnt/p/etc && rmdir /mnt/p/etc /mnt/p && ln -s ${b.out} /mnt/p && ` +
      `{ cat passwd; echo "cat=$?"; echo x > newfile; echo "create=$?"; ls; echo "ls=$?"; }`,
      { args: mounts(b) },
    );
    assert.equal(r.status, 0, explain(r));
    assert.doesNotMatch(r.stdout, /outside passwd/, explain(r));
    assert.match(r.stdout, /^cat=1\ncreate=[12]\n/m, explain(r));
    assert.match(r.stderr, /can't open 'passwd': No such file or directory/, explain(r));
    // busybox's words for ENOENT on a create
    assert.match(r.stderr, /can't create newfile: nonexistent directory/, explain(r));
    outsideUntouched(b, before);
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs: a working directory the HOST replaces by a link to the outside (while the guest sits in it) leads nowhere", { timeout: 120_000 }, async () => {
  const b = box();
  try {
    const before = times(b);
    mkdirSync(join(b.share, "p", "etc"), { recursive: true });
    const run = tsixAsync(["run", ...mounts(b), "--", "sh", "-c",
      "cd /mnt/p/etc && touch /mnt/in && while [ ! -e /mnt/swapped ]; do sleep 0.05; done; " +
      "cat passwd; echo \"cat=$?\"; echo x > newfile; echo \"create=$?\""], { timeout: 60_000 });
    const end = Date.now() + 60_000;
    while (!existsSync(join(b.share, "in")) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    rmSync(join(b.share, "p"), { recursive: true });
    symlinkSync(b.out, join(b.share, "p"));
    writeFileSync(join(b.share, "swapped"), "");
    const r = await run;
    assert.equal(r.status, 0, explain(r));
    assert.doesNotMatch(r.stdout, /outside passwd/, explain(r));
    assert.match(r.stdout, /^cat=1\ncreate=[12]$/m, explain(r));
    outsideUntouched(b, before);
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs: utimensat(AT_SYMLINK_NOFOLLOW) on a link to the outside changes the link, not its target", { skip: skipCC, timeout: 120_000 }, () => {
  const { b, before, out, linux } = probe((x) => ["utimes", "/mnt/l", join(x.out, "victim.txt")]);
  try {
    outsideUntouched(b, before);
    assert.match(out, /^utimensat ret=0 errno=0\nlstat-mtime ret=0 errno=0 data=1000000$/m, out);
    assert.equal(lstatSync(join(b.share, "l")).mtimeMs, 1000000 * 1000);
    if (linux !== null) assert.equal(out, linux, "tsix and Linux (qemu-riscv64) disagree");
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs: RENAME_EXCHANGE never goes through a temporary name (a user file NAME.tsix-exchange survives)", { skip: skipCC, timeout: 120_000 }, () => {
  const b = box();
  try {
    writeFileSync(join(b.share, "x"), "X");
    writeFileSync(join(b.share, "y"), "Y");
    writeFileSync(join(b.share, "y.tsix-exchange"), "user data");
    writeFileSync(join(b.share, "x.tsix-exchange"), "user data");
    const r = tsix(["run", ...mounts(b), "--", "/t/hostfs_probe", "exchange", "/mnt/x", "/mnt/y"]);
    assert.equal(r.status, 0, explain(r));
    assert.equal(readFileSync(join(b.share, "y.tsix-exchange"), "utf8"), "user data");
    assert.equal(readFileSync(join(b.share, "x.tsix-exchange"), "utf8"), "user data");
    // No atomic exchange on the host: EINVAL (as Linux on a file system without one), nothing moved.
    assert.match(r.stdout, /^exchange ret=-1 errno=22$/m, explain(r));
    assert.equal(readFileSync(join(b.share, "x"), "utf8"), "X");
    assert.equal(readFileSync(join(b.share, "y"), "utf8"), "Y");
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});

test("hostfs: /proc/mounts, mountinfo and the kernel log name the share neutrally, never by its host path", { timeout: 120_000 }, () => {
  const b = box();
  try {
    const r = sh("cat /proc/mounts /proc/self/mountinfo; dmesg", { args: mounts(b) });
    assert.equal(r.status, 0, explain(r));
    assert.ok(!r.stdout.includes(b.base), explain(r));
    assert.match(r.stdout, /^hostfs \/mnt hostfs rw,/m, explain(r));
    assert.match(r.stdout, /^hostfs1 \/t hostfs rw,/m, explain(r));
  } finally {
    rmSync(b.base, { recursive: true, force: true });
  }
});
