// Snapshots from the interactive console (C84): at the shell prompt on a real
// pseudo-terminal, Ctrl-] s writes ./tsix-DATE.snap while the system sits
// idle waiting for input (the request wakes the idle run loop); the session
// goes on. `tsix restore` of that file, on a new terminal, is the same shell:
// a variable set before the snapshot is still set, the shell's PID is the
// same, and its exit status is tsix's. Ctrl-] Ctrl-] sends one Ctrl-] to the
// guest (cat -v shows it as ^]).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TSIX } from "../kernel/harness.js";
import { onPty } from "../kernel/pty.js";

test("Ctrl-] s at the console writes a snapshot; tsix restore continues that shell on a new terminal", { timeout: 300_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), "tsix-console-snap-"));
  const s = onPty(`cd ${cwd} && ${process.execPath} ${TSIX}`);
  try {
    await s.expect(/root@tsix:~# /);
    let mark = s.output.length;
    s.send("MARK=before-the-snapshot; echo pid $$\n");
    await s.expect(/pid (\d+)\n.*root@tsix:~# /s, mark);
    const pid = /pid (\d+)/.exec(s.output.slice(mark))![1];
    // Ctrl-] Ctrl-] reaches the guest as one Ctrl-]: cat -v shows it as ^] (the line's echo shows it too).
    mark = s.output.length;
    s.send("cat -v\n");
    await s.expect(/cat -v\n/, mark);
    await new Promise((r) => setTimeout(r, 2000)); // cat reads the terminal now (nothing on screen says when)
    mark = s.output.length;
    s.send("a\x1d\x1db\n\x04");
    await s.expect(/a\^\]b\n.*root@tsix:~# /s, mark);
    assert.equal((s.output.slice(mark).match(/a\^\]b/g) ?? []).length, 2, `echo and cat -v each show one ^]: ${s.output.slice(mark)}`);
    mark = s.output.length;
    s.send("\x1ds");
    await s.expect(/tsix: snapshot written to \S+tsix-\d{8}-\d{6}\.snap: [\d.]+ MiB/, mark);
    mark = s.output.length;
    s.send("MARK=after; exit 0\n");
    assert.equal(await s.exited, 0, s.output);
    const files = readdirSync(cwd).filter((f) => /^tsix-\d{8}-\d{6}\.snap$/.test(f));
    assert.equal(files.length, 1, `one snapshot file in ${cwd}: ${files.join(", ")}`);
    const r = onPty(`${process.execPath} ${TSIX} restore ${join(cwd, files[0])}`);
    try {
      // The shell was waiting at its prompt: give it a line.
      r.send("echo mark=$MARK pid=$$; exit 5\n");
      await r.expect(new RegExp(`mark=before-the-snapshot pid=${pid}\\n`));
      assert.equal(await r.exited, 5, r.output);
    } finally {
      r.kill();
    }
  } finally {
    s.kill();
  }
});
