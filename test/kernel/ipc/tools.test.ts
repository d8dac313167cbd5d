// util-linux ipcmk, ipcs and ipcrm at the default image's shell: they read
// /proc/sysvipc/* (kernel/fs/proc/sysvipc.ts, Linux's format) and call
// msgctl/semctl, so objects made by one process are listed and removed by
// others.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sh, explain } from "../harness.js";

test("ipcmk makes a queue and a semaphore set, ipcs lists them from /proc/sysvipc, ipcrm removes them", () => {
  const r = sh([
    "ipcmk -Q -p 0640 >/dev/null",
    "ipcmk -S 3 >/dev/null",
    "ipcs -q | grep -c ' 640 '",
    "ipcs -s | awk '$5 == 3 {print \"sems\", $2, $4, $5}'",
    "ipcs -q -i 0 | grep -o 'mode=0640'",
    "ipcrm -q 0 && ipcrm -s 0",
    "ipcrm -q 0; echo rc=$?",
    "tail -n +2 /proc/sysvipc/msg | wc -l; tail -n +2 /proc/sysvipc/sem | wc -l",
    "ipcs -l | grep 'max ops per semop call'",
  ].join("; "));
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, ["1", "sems 0 644 3", "mode=0640", "rc=1", "0", "0", "max ops per semop call = 500", ""].join("\n"), explain(r));
  assert.match(r.stderr, /ipcrm: invalid id \(0\)/, explain(r));
});
