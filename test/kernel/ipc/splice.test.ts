// splice, tee and vmsplice (issue 11: they were ENOSYS; kernel/fs/splice.ts).
// progs/splice.c prints one line per check - file <-> pipe with and without
// offsets, pipe <-> pipe, tee, vmsplice both ways, sockets, the errnos
// (EINVAL, EBADF, ESPIPE, EFAULT, EPIPE, EAGAIN), blocking until a child
// writes or reads, a 300,000-byte copy through a pipe, and sendfile and
// copy_file_range agreeing with splice. The same binary runs under
// qemu-riscv64 (Linux is the reference): the outputs must be identical. It
// runs on tmpfs and on a host directory (hostfs); the key lines are spelled
// out too, so the test means something without qemu.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, explain, skipNoCC, type RunOpts } from "../fs/harness.js";
import { PROGS, onLinux } from "./qemu.js";
import { nodeHostFs } from "../../../host/node/hostfs.js";
import { mountHost } from "../../../kernel/fs/init.js";

const work = mkdtempSync(join(tmpdir(), "tsix-splice-"));
after(() => rmSync(work, { recursive: true, force: true }));

const MUST = [
  "file->pipe off 6: 5", "off now 11, file pos 11", "pipe holds: \"world\"",
  "pipe->file off 2: 5", "file b: \"01hello789X\"",
  "len 0 with bad fds: 0", "offset on pipe in: -1 ESPIPE", "file to file: -1 EINVAL", "append output: -1 EINVAL",
  "write-only input: -1 EBADF", "to self: -1 EINVAL", "full pipe NONBLOCK: -1 EAGAIN",
  "tee: 6", "p after tee: \"eftee!\"", "tee same pipe: -1 EINVAL",
  "vmsplice out: 7", "got \"vm\" \"splic\"", "vmsplice file: -1 EBADF",
  "no reader: -1 EPIPE", "no writer: 0", "blocked pipe->file: 4", "blocked file->pipe: 3",
  "socket got: \"to sock\"", "pipe got: \"from sock\"", "moved 300000", "copy same: 1",
  "sendfile and splice agree: 1 (gnubipwdkr)", "copy_file_range agrees: 1", "splice: done",
];
let linux: string | null | undefined;

async function check(args: string[], setup?: RunOpts["setup"]): Promise<void> {
  const r = await run("splice", { dir: PROGS, args, setup, timeoutMs: 180_000 });
  assert.equal(r.status, 0, explain(r));
  for (const line of MUST) assert.ok(r.out.split("\n").includes(line), `missing "${line}"\n${explain(r)}`);
  linux ??= onLinux("splice");
  if (linux !== null) assert.equal(r.out, linux, "tsix and Linux (qemu-riscv64) print different lines");
}

test("splice/tee/vmsplice on tmpfs, pipes and sockets: the same lines as Linux", { skip: skipNoCC, timeout: 300_000 }, async () => {
  await check([]);
});

test("splice to and from files of a host directory (hostfs)", { skip: skipNoCC, timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(work, "host-"));
  await check(["/host"], (k, t) => assert.equal(mountHost(k, t, "/host", nodeHostFs(dir), dir), 0));
  assert.deepEqual(readdirSync(dir), [], "the program removes its files");
});
