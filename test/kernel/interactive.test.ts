// `tsix` with no arguments: an interactive login shell on this terminal. The
// test gives tsix a real pseudo-terminal (util-linux `script`), types at the
// prompt like a user, interrupts a foreground job with ^C (the host terminal
// is in raw mode, so the byte reaches the guest's line discipline, which sends
// SIGINT to the foreground process group), and leaves with `exit 7`.
// Concepts: C45 (terminals, sessions, job control), C44 (SIGINT from ^C), C25 (init).
import { test } from "node:test";
import assert from "node:assert/strict";
import { TSIX, have } from "./harness.js";
import { onPty } from "./pty.js";

test("tsix alone: a login shell on the terminal; ^C interrupts the foreground job; exit status comes back",
  { skip: have("script") ? false : "needs util-linux script(1) for a pseudo-terminal", timeout: 120_000 }, async () => {
    const s = onPty(`${process.execPath} ${TSIX}`);
    try {
      await s.expect(/root@tsix:~# /);
      let mark = s.output.length;
      s.send("echo hi from $$; tty; echo $-\n");
      // PID 1 is init, PID 2 the kernel thread kswapd0 (kernel/proc/kthread.ts): the login shell is PID 3.
      await s.expect(/hi from 3\n\/dev\/console\n\S*i\S*\n.*root@tsix:~# /s, mark);
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
