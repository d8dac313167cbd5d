// Security: hostile ext3 orphan lists (C65 journaling). The read-write mount
// walks s_last_orphan through the inodes' i_dtime fields and frees what it
// finds; an image can make that list loop, point out of the inode table, at
// a free inode, at the root, or run through thousands of inodes. Each such
// image must mount (the damaged list is left alone with a log line, for
// e2fsck) without an exception or a hang, and `e2fsck -fy` must still repair
// it (exit 0, 1 or 2).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { haveE2fs, mkfs } from "../kernel/fs/ext2/images.js";
import { e2fsck, mountRwUnmount, tmpWork } from "../kernel/fs/jbd2/crashlib.js";

const skip = !haveE2fs ? "e2fsprogs is not installed" : false;
const work = tmpWork("tsix-ext3-orphan-");
after(() => rmSync(work, { recursive: true, force: true }));

/** An 8 MiB ext3 (4096 inodes) with a.txt (inode 12), changed by debugfs -w commands. */
function image(name: string, cmds: string[]): Uint8Array {
  const tree = join(work, `tree-${name}`);
  mkdirSync(tree, { recursive: true });
  writeFileSync(join(tree, "a.txt"), "hello\n");
  const f = join(work, `${name}.img`);
  mkfs(f, { blockSize: 1024, sizeMiB: 8, journal: true, inodes: 4096 }, tree);
  const r = spawnSync("debugfs", ["-w", "-f", "-", f], { input: cmds.join("\n") + "\n", encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return new Uint8Array(readFileSync(f));
}

const CASES: [string, string[], RegExp][] = [
  ["loop", ["ssv last_orphan 12", "sif <12> links_count 0", "sif <12> dtime 12"], /orphan list is damaged/],
  ["out of range", ["ssv last_orphan 4294967295"], /orphan list is damaged/],
  ["reserved inode", ["ssv last_orphan 2"], /orphan list is damaged/],
  ["free inode", ["ssv last_orphan 3000"], /orphan list is damaged/],
  ["linked inode", ["ssv last_orphan 12"], /0 orphan inodes deleted/],
  ["two-inode loop", ["ssv last_orphan 12", "sif <12> links_count 0", "sif <12> dtime 13", "sif <13> mode 0100644", "sif <13> dtime 12"], /orphan list is damaged/],
];

for (const [name, cmds, want] of CASES) {
  test(`a hostile orphan list (${name}): the mount survives and says so, e2fsck -fy repairs the image`, { skip, timeout: 120_000 }, () => {
    const m = mountRwUnmount(image(name.replace(/ /g, "-"), cmds));
    assert.doesNotMatch(m.result, /EXCEPTION/, m.result);
    assert.doesNotMatch(m.log, /internal error|BUG/, m.log);
    assert.equal(m.result, "mounted rw", m.log);
    assert.match(m.log, want, m.log);
    const f = join(work, "after.img");
    writeFileSync(f, m.img);
    const fy = e2fsck(f, ["-fy"]);
    assert.ok(fy.status >= 0 && fy.status <= 2, `e2fsck -fy exit ${fy.status}:\n${fy.out}`);
  });
}
