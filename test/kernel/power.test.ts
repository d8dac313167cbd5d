// Power control (issue 7): busybox's poweroff, halt and reboot end or
// restart the system cleanly, the two ways busybox does it:
//   - without -f they signal PID 1 (SIGUSR2, SIGUSR1, SIGTERM), and tsix-init
//     shuts down like busybox's init: SIGTERM, then SIGKILL, to every other
//     process, sync, then reboot(2);
//   - with -f they call reboot(2) at once.
// reboot(2) stops the kernel; the vmm (vmm/vmm.ts) then ends tsix with
// status 0 (power off, halt) or builds a fresh machine and kernel and boots
// again in the same process (reboot): a file in a --mount share survives,
// the tmpfs root and the kernel log start over. At the interactive prompt,
// `poweroff` ends tsix with 0 and gives the host terminal back in cooked mode.
// Concepts: C10 (boot and its end), C25 (init), C44 (signals to init).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sh, tsix, explain, have, TSIX } from "./harness.js";

for (const [cmd, what] of [["poweroff", "power off"], ["halt", "halt"]] as const) {
  test(`${cmd} (through init's signal) stops every process and ends tsix with status 0`, { timeout: 60_000 }, () => {
    // The shell goes on after poweroff returns until init's SIGTERM reaches it: `late` never comes.
    const r = sh(`echo before; ${cmd}; sleep 20; echo late`);
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, "before\n", explain(r));
    assert.match(r.stderr, new RegExp(`going down for ${what}`), explain(r));
    assert.ok(r.ms < 15_000, `took ${r.ms} ms: the sleep was not stopped\n${explain(r)}`);
  });

  test(`${cmd} -f (reboot(2) at once) ends tsix with status 0; the call does not return`, { timeout: 60_000 }, () => {
    const r = sh(`echo before; ${cmd} -f; echo returned $?`);
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, "before\n", explain(r));
  });
}

for (const cmd of ["reboot", "reboot -f"]) {
  test(`${cmd} boots a fresh machine in the same process`, { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "tsix-reboot-"));
    try {
      // First boot: mark the share and the tmpfs root, then reboot. Second boot: the share
      // still has its mark, the root is a fresh unpack, the kernel log has one boot in it.
      const script = `if [ -e /mnt/h/booted ]; then echo "boot 2"; ls /root/mark 2>&1; dmesg | grep -c "Run /sbin/tsix-init"; ` +
        `else echo "boot 1"; touch /mnt/h/booted /root/mark; ${cmd}; sleep 20; echo late; fi`;
      const r = tsix(["run", "--stats", "--mount", `${dir}:/mnt/h`, "--", "sh", "-c", script]);
      assert.equal(r.status, 0, explain(r));
      assert.match(r.stdout, /^boot 1\nboot 2\nls: \/root\/mark: No such file or directory\n1\n$/, explain(r));
      assert.match(r.stderr, /boots=2/, explain(r));
      assert.equal(readFileSync(join(dir, "booted"), "utf8"), "");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("poweroff at the interactive prompt ends tsix with 0 and restores the host terminal",
  { skip: have("script") ? false : "needs util-linux script(1) for a pseudo-terminal", timeout: 120_000 }, async () => {
    // After tsix, the same pty session prints tsix's status and the terminal's modes.
    const p = spawn("script", ["-qfec", `${process.execPath} ${TSIX}; echo tsix-status=$?; stty -a`, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let sent = false;
    p.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d.replaceAll("\r", "");
      if (!sent && out.includes("root@tsix:~# ")) { sent = true; p.stdin.write("poweroff\n"); }
    });
    const timer = setTimeout(() => p.kill("SIGKILL"), 100_000);
    const code = await new Promise<number | null>((res) => p.on("close", res));
    clearTimeout(timer);
    assert.match(out, /tsix-status=0\n/, out);
    // Raw mode is off again: canonical input and echo are back on.
    assert.match(out, /(^|\s)icanon(\s|$)/m, out);
    assert.match(out, /(^|\s)echo(\s|$)/m, out);
    assert.equal(code, 0, out);
  });
