// Host memory stays bounded by --mem (issue 6, parts 4 and 5). Kernel
// objects a guest can make in a loop - pipes and their data, open files,
// tmpfs inodes and pages - are charged to the machine's RAM
// (kernel/mm/kmem.ts) or live in guest frames (pipe buffers, tmpfs pages),
// so a pipe bomb or a tmpfs fill ends in ENOMEM / EMFILE / ENFILE / ENOSPC
// inside the guest, the system goes on, and the tsix process's peak
// resident set stays below a bound set by --mem. The guest side is
// test/kernel/fs/progs/sec_hostmem.c.
//
// The host's peak RSS is read from /proc/PID/status (VmHWM) while tsix
// runs; a run that goes past the bound is killed at once (so that a
// regression cannot take the host's memory with it) and fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TSIX, tsix, explain, have } from "../kernel/harness.js";
import { program, skipNoCC } from "../kernel/fs/harness.js";

const MiB = 1024 * 1024;

interface Measured { status: number | null; stdout: string; stderr: string; peakKiB: number; killed: boolean }

/** `tsix run ARGS` with its peak RSS (VmHWM) sampled every 10 ms; killed when it passes `limitKiB`. */
function measured(args: string[], limitKiB: number, timeoutMs = 120_000): Promise<Measured> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [TSIX, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", peakKiB = 0, killed = false;
    p.stdout.setEncoding("utf8").on("data", (d) => { stdout += d; });
    p.stderr.setEncoding("utf8").on("data", (d) => { stderr += d; });
    const sample = (): void => {
      try {
        const m = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch { /* exited */ }
      if (peakKiB > limitKiB && !killed) { killed = true; p.kill("SIGKILL"); }
    };
    const iv = setInterval(sample, 10);
    const timer = setTimeout(() => { killed = true; p.kill("SIGKILL"); }, timeoutMs);
    p.on("close", (status) => {
      clearInterval(iv);
      clearTimeout(timer);
      res({ status, stdout, stderr, peakKiB, killed });
    });
  });
}

function show(r: Measured): string {
  return `exit ${r.status}${r.killed ? " (killed by the test)" : ""}, peak RSS ${(r.peakKiB / 1024).toFixed(1)} MiB\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** A share with the test program. */
function share(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsix-sec-hostmem-"));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "sec_hostmem"), program("sec_hostmem"));
  chmodSync(join(dir, "sec_hostmem"), 0o755);
  return dir;
}

let baselineKiB = 0;
/** Peak RSS of `tsix run --mem M -- true` (Node, the core, the booted kernel): what every bound starts from. */
async function baseline(mem: string): Promise<number> {
  if (!baselineKiB) {
    const r = await measured(["run", "--mem", mem, "--", "true"], 4 * 1024 * 1024);
    assert.equal(r.status, 0, show(r));
    baselineKiB = r.peakKiB;
  }
  return baselineKiB;
}

/**
 * The bound: the idle peak, plus the guest's RAM once (it may all be touched),
 * plus the RAM again for kernel objects charged against it (the charges are
 * estimates of their host size, and the collector frees them late).
 */
async function bound(mem: string, memBytes: number): Promise<number> {
  return (await baseline(mem)) + (2 * memBytes) / 1024;
}

test("pipe bomb under --mem 64M: root gets ENOMEM (64 KiB in each pipe), a user EMFILE; the system goes on; host RSS bounded", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = share();
  try {
    const limit = await bound("64M", 64 * MiB);
    const r = await measured(["run", "--mem", "64M", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c",
      "/mnt/h/sec_hostmem pipes -1 65536; echo root=$?; /mnt/h/sec_hostmem pipes 1000 4096; echo user=$?; " +
      "dmesg | grep -c 'Out of memory'; echo alive"], limit);
    console.log(`pipe bomb: peak RSS ${(r.peakKiB / 1024).toFixed(1)} MiB, idle ${(baselineKiB / 1024).toFixed(1)} MiB, bound ${(limit / 1024).toFixed(1)} MiB`);
    assert.ok(!r.killed, show(r));
    assert.match(r.stdout, /^pipes \d+ errno ENOMEM /m, show(r));
    assert.match(r.stdout, /^pipes \d+ errno EMFILE /m, show(r));
    assert.match(r.stdout, /^root=0$/m, show(r));
    assert.match(r.stdout, /^user=0$/m, show(r));
    // Nobody was OOM-killed: the syscalls failed instead.
    assert.match(r.stdout, /^0\nalive$/m, show(r));
    assert.ok(r.peakKiB < limit, show(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("many empty pipes (per-object charges) under --mem 16M end in ENOMEM with host RSS bounded", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = share();
  try {
    const base = await measured(["run", "--mem", "16M", "--", "true"], 4 * 1024 * 1024);
    const limit = base.peakKiB + (2 * 16 * MiB) / 1024;
    const r = await measured(["run", "--mem", "16M", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c",
      "/mnt/h/sec_hostmem pipes -1 0; echo root=$?; echo alive"], limit);
    console.log(`empty pipes: peak RSS ${(r.peakKiB / 1024).toFixed(1)} MiB, idle ${(base.peakKiB / 1024).toFixed(1)} MiB, bound ${(limit / 1024).toFixed(1)} MiB`);
    assert.ok(!r.killed, show(r));
    assert.match(r.stdout, /^pipes \d{4,} errno ENOMEM /m, show(r));
    assert.match(r.stdout, /^root=0\nalive$/m, show(r));
    assert.ok(r.peakKiB < limit, show(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("epoll watches (per-object charges) under --mem 16M end in ENOMEM with host RSS bounded", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = share();
  try {
    const base = await measured(["run", "--mem", "16M", "--", "true"], 4 * 1024 * 1024);
    const limit = base.peakKiB + (2 * 16 * MiB) / 1024;
    const r = await measured(["run", "--mem", "16M", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c",
      "/mnt/h/sec_hostmem watches; echo root=$?; echo alive"], limit);
    console.log(`epoll watches: peak RSS ${(r.peakKiB / 1024).toFixed(1)} MiB, idle ${(base.peakKiB / 1024).toFixed(1)} MiB, bound ${(limit / 1024).toFixed(1)} MiB`);
    assert.ok(!r.killed, show(r));
    assert.match(r.stdout, /^watches \d{4,} in \d+ epolls, then ENOMEM/m, show(r));
    assert.match(r.stdout, /^root=0\nalive$/m, show(r));
    assert.ok(r.peakKiB < limit, show(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a million-slot fd table is charged to RAM: dup2 to fd 1048575 is ENOMEM under --mem 16M, fine under 64M", { skip: skipNoCC, timeout: 120_000 }, () => {
  const dir = share();
  try {
    for (const [mem, want] of [["16M", "ENOMEM"], ["64M", "ok"]]) {
      const r = tsix(["run", "--mem", mem, "--mount", `${dir}:/mnt/h`, "--", "/mnt/h/sec_hostmem", "bigfd"]);
      assert.equal(r.status, 0, explain(r));
      assert.match(r.stdout, new RegExp(`^dup2 to 1048575: ${want};`, "m"), `--mem ${mem}: ${explain(r)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fs.file-max: processes of a user opening files get ENFILE; file-nr shows the live count", { skip: skipNoCC, timeout: 120_000 }, () => {
  const dir = share();
  try {
    const r = tsix(["run", "--mem", "64M", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c",
      "cat /proc/sys/fs/file-max; /mnt/h/sec_hostmem enfile 1000 3"]);
    assert.equal(r.status, 0, explain(r));
    // Linux's default for 64 MiB: 10% of RAM at 1 KiB a file, at least 8192.
    assert.match(r.stdout, /^8192$/m, explain(r));
    assert.match(r.stdout, /sec_hostmem enfile: ok/, explain(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tmpfs: half of RAM by default, size= and nr_inodes= honoured, ENOSPC when full, remount, df shows it; host RSS bounded", { skip: skipNoCC, timeout: 240_000 }, async () => {
  const dir = share();
  try {
    const limit = await bound("64M", 64 * MiB);
    const r = await measured(["run", "--mem", "64M", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c",
      "df -k / | tail -1; /mnt/h/sec_hostmem fill /tmp/big; rm /tmp/big; " +
      "mkdir /x; mount -t tmpfs -o size=1M,nr_inodes=100 tmpfs /x && df -k /x | tail -1; grep ' /x ' /proc/mounts; " +
      "/mnt/h/sec_hostmem files /x; /mnt/h/sec_hostmem fill /x/big; " +
      "mount -o remount,size=512k /x; echo shrink=$?; rm /x/big; mount -o remount,size=2M /x; echo grow=$?; df -k /x | tail -1; " +
      "/mnt/h/sec_hostmem fill /x/big; rm /x/big; /mnt/h/sec_hostmem mmapfill /x/m 8; echo alive"], limit);
    console.log(`tmpfs fill: peak RSS ${(r.peakKiB / 1024).toFixed(1)} MiB, bound ${(limit / 1024).toFixed(1)} MiB`);
    assert.ok(!r.killed, show(r));
    // The root file system is a tmpfs of half of RAM: 32 MiB.
    assert.match(r.stdout, /^tmpfs\s+32768\s/m, show(r));
    const fills = [...r.stdout.matchAll(/^fill (\d+) KiB errno (\w+)$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    assert.equal(fills.length, 3, show(r));
    assert.ok(fills.every(([, e]) => e === "ENOSPC"), show(r));
    assert.ok(fills[0][0] > 28 * 1024 && fills[0][0] <= 32 * 1024, show(r));
    assert.equal(fills[1][0], 1024, show(r));
    assert.equal(fills[2][0], 2048, show(r));
    assert.match(r.stdout, /^tmpfs\s+1024\s+0\s+1024\s+0% \/x$/m, show(r));
    assert.match(r.stdout, /^tmpfs \/x tmpfs rw,relatime,size=1024k,nr_inodes=100 0 0$/m, show(r));
    // nr_inodes=100: the root directory is one of them.
    assert.match(r.stdout, /^files 99 errno ENOSPC$/m, show(r));
    assert.match(r.stdout, /^shrink=[1-9]/m, show(r));
    assert.match(r.stdout, /^grow=0$/m, show(r));
    assert.match(r.stdout, /^tmpfs\s+2048\s/m, show(r));
    // Stores through a shared mapping past the size get SIGBUS (as on Linux, see below: 1 page of slack).
    const mf = /^mmapfill (\d+) KiB SIGBUS$/m.exec(r.stdout);
    assert.ok(mf && Number(mf[1]) >= 2044 && Number(mf[1]) <= 2052, show(r));
    assert.match(r.stdout, /^alive$/m, show(r));
    assert.ok(r.peakKiB < limit, show(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("unmounting a tmpfs frees its files: mount, write 20 MiB, umount - four times under --mem 64M", { timeout: 120_000 }, () => {
  const r = tsix(["run", "--mem", "64M", "--", "sh", "-c",
    "free0=$(awk '/MemFree/ {print $2}' /proc/meminfo); mkdir /x; " +
    "for i in 1 2 3 4; do mount -t tmpfs tmpfs /x && mkdir /x/d && dd if=/dev/zero of=/x/d/f bs=1M count=20 2>&1 | grep -c '^20+0 records out'; umount /x; done; " +
    // Lazily unmounted with a file open: the file lives on until it is closed.
    "mount -t tmpfs tmpfs /x; echo hello > /x/f; exec 3</x/f; umount -l /x; cat <&3; exec 3<&-; " +
    "free1=$(awk '/MemFree/ {print $2}' /proc/meminfo); echo lost=$((free0 - free1))"]);
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout.match(/^1$/gm)?.length, 4, explain(r));
  assert.match(r.stdout, /^hello$/m, explain(r));
  const lost = Number(/^lost=(-?\d+)$/m.exec(r.stdout)?.[1]);
  assert.ok(lost < 1024, explain(r));
});

// The tmpfs limits held to Linux: the same program on a host tmpfs with the same options.
const canMount = have("qemu-riscv64") && typeof process.getuid === "function" && process.getuid() === 0;
test("sec_hostmem files/fill/mmapfill give the same results on a Linux tmpfs under qemu-riscv64", { skip: skipNoCC || (!canMount ? "needs qemu-riscv64 and root" : false), timeout: 120_000 }, (t) => {
  const dir = share();
  const mnt = join(dir, "mnt");
  mkdirSync(mnt);
  const m = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1M,nr_inodes=100", "tmpfs", mnt], { encoding: "utf8" });
  if (m.status !== 0) { rmSync(dir, { recursive: true, force: true }); t.skip(`cannot mount a tmpfs here: ${m.stderr.trim()}`); return; }
  try {
    const q = (args: string[]): string => {
      const r = spawnSync("qemu-riscv64", [join(dir, "sec_hostmem"), ...args], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    assert.match(q(["files", mnt]), /^files 99 errno ENOSPC$/m);
    assert.match(q(["fill", join(mnt, "big")]), /^fill 1024 KiB errno ENOSPC$/m);
    rmSync(join(mnt, "big"));
    const mf = /^mmapfill (\d+) KiB SIGBUS$/m.exec(q(["mmapfill", join(mnt, "m"), "4"]));
    assert.ok(mf && Number(mf[1]) >= 1020 && Number(mf[1]) <= 1028, `mmapfill on Linux: ${mf?.[0]}`);
    assert.match(readFileSync("/proc/mounts", "utf8"), new RegExp(`^tmpfs ${mnt} tmpfs rw,relatime,size=1024k,nr_inodes=100 0 0$`, "m"));
  } finally {
    spawnSync("umount", [mnt]);
    rmSync(dir, { recursive: true, force: true });
  }
});
