// `tsix` with no arguments: an interactive login shell on this terminal. The
// test gives tsix a real pseudo-terminal (util-linux `script`), types at the
// prompt like a user, interrupts a foreground job with ^C (the host terminal
// is in raw mode, so the byte reaches the guest's line discipline, which sends
// SIGINT to the foreground process group), and leaves with `exit 7`.
// Concepts: C45 (terminals, sessions, job control), C44 (SIGINT from ^C), C25 (init).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { TSIX, have } from "./harness.js";

/** A child on a pty, with expect-style helpers. */
function onPty(cmd: string) {
  const p = spawn("script", ["-qfec", cmd, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let waiting: { re: RegExp; from: number; done: () => void; fail: (e: Error) => void } | null = null;
  const check = (): void => {
    if (waiting && waiting.re.test(out.slice(waiting.from))) { const w = waiting; waiting = null; w.done(); }
  };
  // Line ends arrive as \r\n (the guest's and the pty's output processing): keep plain \n.
  p.stdout.setEncoding("utf8").on("data", (d: string) => { out += d.replaceAll("\r", ""); check(); });
  const exited = new Promise<number | null>((res) => p.on("close", (code) => {
    res(code);
    if (waiting) { const w = waiting; waiting = null; w.fail(new Error(`exited (${code}) while waiting for ${w.re} in:\n${out}`)); }
  }));
  return {
    get output() { return out; },
    /** Wait until `re` appears in what was printed after position `from` (default: everything). */
    expect(re: RegExp, from = 0, ms = 60_000): Promise<void> {
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`timed out waiting for ${re} in:\n${out}`)), ms);
        waiting = { re, from, done: () => { clearTimeout(timer); res(); }, fail: (e) => { clearTimeout(timer); rej(e); } };
        check();
      });
    },
    send(s: string): void { p.stdin.write(s); },
    exited,
    kill(): void { p.kill("SIGKILL"); },
  };
}

test("tsix alone: a login shell on the terminal; ^C interrupts the foreground job; exit status comes back",
  { skip: have("script") ? false : "needs util-linux script(1) for a pseudo-terminal", timeout: 120_000 }, async () => {
    const s = onPty(`${process.execPath} ${TSIX}`);
    try {
      await s.expect(/root@tsix:~# /);
      let mark = s.output.length;
      s.send("echo hi from $$; tty; echo $-\n");
      await s.expect(/hi from 2\n\/dev\/console\n\S*i\S*\n.*root@tsix:~# /s, mark);
      mark = s.output.length;
      s.send("sleep 30\n");
      await s.expect(/sleep 30\n/, mark);
      // Give the shell time to start sleep as the foreground job (nothing on screen says when).
      await new Promise((r) => setTimeout(r, 2000));
      s.send("\x03");
      await s.expect(/\^C\n.*root@tsix:~# /s, mark, 20_000);
      mark = s.output.length;
      s.send("echo status $?\n");
      await s.expect(/status 130\n.*root@tsix:~# /s, mark);
      s.send("exit 7\n");
      assert.equal(await s.exited, 7, s.output);
    } finally {
      s.kill();
    }
  });
