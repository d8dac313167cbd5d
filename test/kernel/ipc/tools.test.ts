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

test("ipcmk -M makes a shared memory segment, ipcs -m lists it from /proc/sysvipc/shm, ipcrm -m and -M remove it", () => {
  const r = sh([
    "ipcmk -M 10000 -p 0640 >/dev/null",
    "ipcmk -M 4096 >/dev/null",
    "ipcs -m | awk '$2 == 0 {print \"seg\", $2, $4, $5, $6}'",
    "ipcs -m -i 0 | grep -o 'bytes=10000'",
    "key=$(ipcs -m | awk '$2 == 1 {print $1}')",
    "ipcrm -m 0 && ipcrm -M $key",
    "ipcrm -m 0; echo rc=$?",
    "tail -n +2 /proc/sysvipc/shm | wc -l",
    "ipcs -l | grep 'max number of segments'",
    "ipcs -m -u | grep 'segments allocated'",
  ].join("; "));
  assert.equal(r.status, 0, explain(r));
  assert.equal(r.stdout, ["seg 0 640 10000 0", "bytes=10000", "rc=1", "0", "max number of segments = 4096", "segments allocated 0", ""].join("\n"), explain(r));
  assert.match(r.stderr, /ipcrm: invalid id \(0\)/, explain(r));
});

test("SysV times follow the guest's wall clock: after date -s (clock_settime), ctime of a queue, a segment and a semaphore set is the new date", () => {
  // 2030-01-02 00:00:00 UTC = 1893542400; the objects are made within a few seconds of it.
  const r = sh([
    "date -u -s '2030-01-02 00:00:00' >/dev/null",
    "ipcmk -Q >/dev/null; ipcmk -M 4096 >/dev/null; ipcmk -S 1 >/dev/null",
    "tail -n 1 /proc/sysvipc/msg | awk '{print \"msg\", $14}'",
    "tail -n 1 /proc/sysvipc/shm | awk '{print \"shm\", $14}'",
    "tail -n 1 /proc/sysvipc/sem | awk '{print \"sem\", $10}'",
  ].join("; "));
  assert.equal(r.status, 0, explain(r));
  const times = [...r.stdout.matchAll(/^(msg|shm|sem) (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
  assert.deepEqual(times.map(([n]) => n), ["msg", "shm", "sem"], explain(r));
  for (const [n, t] of times) assert.ok(t >= 1893542400 && t < 1893542400 + 60, `${n} ctime ${t}: ${explain(r)}`);
});
