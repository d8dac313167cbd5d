// util-linux's script (in the default image) runs a command on a pty: it
// opens /dev/ptmx, gets the slave with TIOCGPTPEER, makes it the child's
// controlling terminal, reads its signals through a signalfd and copies the
// master's output to stdout and the log. The output went through the slave's
// line discipline (ONLCR: "\r\n"), tty(1) names the slave, the exit status
// comes back with -e, input typed into the master reaches the command (and
// is echoed), and the pair is gone afterwards (/dev/pts holds only ptmx).
// Concepts: C14, C26.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

test("script -qc 'echo hi; tty' /tmp/log: the command runs on /dev/pts/0 and the log has its output", { timeout: 180_000 }, () => {
  const r = sh("script -qc 'echo hi; tty' /tmp/log; echo rc=$?; echo ---; cat /tmp/log; echo ---; ls /dev/pts");
  assert.equal(r.status, 0, explain(r));
  const [out, log, pts] = r.stdout.split("---\n");
  assert.match(out, /^hi\r\n\/dev\/pts\/0\r\nrc=0\n$/, explain(r));
  assert.match(log, /^Script started on .* \[COMMAND="echo hi; tty" <not executed on terminal>\]\nhi\r\n\/dev\/pts\/0\r\n\nScript done on .* \[COMMAND_EXIT_CODE="0"\]\n$/, explain(r));
  assert.equal(pts, "ptmx\n", explain(r));
});

test("script: -e passes the exit status back; stdin reaches the command through the master, echoed by the slave", { timeout: 180_000 }, () => {
  const r = sh("script -qec 'exit 3' /dev/null; echo rc=$?; echo abc | script -qc 'read x; echo got=$x' /dev/null");
  assert.equal(r.status, 0, explain(r));
  assert.match(r.stdout, /^rc=3$/m, explain(r));
  assert.match(r.stdout, /^abc\r\ngot=abc\r\n/m, explain(r));
});
