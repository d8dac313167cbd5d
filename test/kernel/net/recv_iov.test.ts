// send/sendto/sendmsg and recv/recvfrom/recvmsg on stream sockets copy once,
// straight between the user's iovecs and the socket queue (issue 11;
// kernel/syscalls/socket.ts doSend/doRecv, net/unix.ts unixWriteUser and
// unixReadUser), for AF_UNIX and TCP on lo (progs/recv_iov.c):
//   - a recvmsg whose second iovec is unmapped loses nothing: the bytes that
//     reached the user are the only ones consumed. (Through a kernel buffer,
//     both queued messages were taken off the queue, the copy out failed
//     and the call said EFAULT: 8 bytes were gone.)
//   - MSG_PEEK, three iovecs, MSG_WAITALL across writes, MSG_NOSIGNAL/SIGPIPE
//     keep Linux's behaviour on the direct path.
// The same program passes under qemu-riscv64 (Linux's own sockets).
// Concepts: C45 (sockets), C40 (bounded buffer: only what is taken is consumed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, program, skipNoCC, SRC_ROOT } from "../fs/harness.js";

const PROGS = join(SRC_ROOT, "test/kernel/net/progs");
const haveQemu = spawnSync("sh", ["-c", "command -v qemu-riscv64"], { stdio: "ignore" }).status === 0;

for (const kind of ["unix", "tcp"]) {
  test(`recvmsg/sendmsg on a ${kind} stream copy straight to and from the iovecs: a bad iovec loses no queued byte; PEEK, WAITALL, NOSIGNAL as Linux`, { skip: skipNoCC }, async () => {
    const r = await run("recv_iov", { dir: PROGS, args: [kind] });
    assert.equal(r.status, 0, explain(r));
    assert.doesNotMatch(r.out, /^FAIL/m, explain(r));
    assert.match(r.out, /^recv_iov: ok \(0 failures\)$/m, explain(r));
  });
}

test("recv_iov's expectations hold on Linux (qemu-riscv64)", { skip: skipNoCC || (!haveQemu ? "qemu-riscv64 is not installed" : false), timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "tsix-recv-iov-"));
  try {
    const exe = join(dir, "recv_iov");
    writeFileSync(exe, program("recv_iov", PROGS), { mode: 0o755 });
    for (const kind of ["unix", "tcp"]) {
      const q = spawnSync("qemu-riscv64", [exe, kind], { encoding: "utf8", timeout: 50_000 });
      assert.equal(q.status, 0, `${kind}: ${q.stdout}${q.stderr}`);
      assert.match(q.stdout, /^recv_iov: ok \(0 failures\)$/m);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
