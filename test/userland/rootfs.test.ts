// Unit tests of the image builder's pieces that need no network: apt source
// parsing, apt's file names, the in-memory root file system (merged /usr,
// links, exclusions), update-alternatives and busybox applet links.
// Concepts: C90 (deb packages), C64 (links).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  debFileName, parseDeb822Sources, parseSimulation, parseSourcesList,
} from "../../userland/image/apt.js";
import {
  addBaseFiles, addBusyboxLinks, applyAlternatives, createRootFs, finalizeRootFs, isExcluded, lookup, parseAlternatives,
  resolvePath, scanBusyboxApplets, toCpioEntries, unpackTarItems, DEFAULT_EXCLUDES, type TarItem,
} from "../../userland/image/rootfs.js";
import { parseCpio, writeCpio, S_IFLNK, S_IFMT } from "../../kernel/fs/cpio.js";
import { programOptions } from "../../userland/image/programs.js";

test("one-line and deb822 apt sources are parsed", () => {
  const list = parseSourcesList(
    "# comment\ndeb [signed-by=/k.gpg arch=amd64] http://mirror.example/debian bookworm main contrib\ndeb-src http://x/debian bookworm main\n",
  );
  assert.equal(list.length, 2);
  assert.deepEqual(list[0]!.uris, ["http://mirror.example/debian"]);
  assert.deepEqual(list[0]!.components, ["main", "contrib"]);
  const d = parseDeb822Sources(
    "Types: deb\n# note\nURIs: http://a.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /k.gpg\n\n" +
      "Types: deb\nURIs: http://b.example/debian-security\nSuites: bookworm-security\nComponents: main\nEnabled: no\n",
  );
  assert.equal(d.length, 2);
  assert.deepEqual(d[0]!.suites, ["bookworm", "bookworm-updates"]);
  assert.equal(d[0]!.enabled, true);
  assert.equal(d[1]!.enabled, false);
});

test("apt-get -s output and archive file names", () => {
  const sim = parseSimulation(
    "Inst busybox-static (1:1.37.0-6+b9 Debian:13.7/stable [riscv64])\n" +
      "Inst libgcc-s1 (14.2.0-19 Debian:13.7/stable [riscv64]) []\n" +
      "Inst readline-common (8.2-6 Debian:13.7/stable [all])\nConf busybox-static (1:1.37.0-6+b9 Debian:13.7/stable [riscv64])\n",
  );
  assert.deepEqual(sim, [
    { name: "busybox-static", version: "1:1.37.0-6+b9", arch: "riscv64" },
    { name: "libgcc-s1", version: "14.2.0-19", arch: "riscv64" },
    { name: "readline-common", version: "8.2-6", arch: "all" },
  ]);
  assert.equal(debFileName(sim[0]!), "busybox-static_1%3a1.37.0-6+b9_riscv64.deb");
});

function item(path: string, type: TarItem["type"], extra: Partial<TarItem> = {}): TarItem {
  return { path, type, mode: type === "dir" ? 0o755 : 0o644, uid: 0, gid: 0, mtime: 1000, data: new Uint8Array(0), linkpath: "", devmajor: 0, devminor: 0, ...extra };
}

test("packages unpack through the merged-/usr links; docs are left out; hard links share a node", () => {
  const fs = createRootFs();
  const stats = unpackTarItems(fs, [
    item("./", "dir"),
    item("./lib/", "dir"),
    item("./lib/riscv64-linux-gnu/", "dir"),
    item("./lib/riscv64-linux-gnu/libfoo.so.1", "file", { data: new TextEncoder().encode("ELF"), mode: 0o755, mtime: 2000 }),
    item("./bin/", "dir"),
    item("./bin/tool", "file", { data: new TextEncoder().encode("#!") }),
    item("./usr/bin/tool2", "hardlink", { linkpath: "./bin/tool" }),
    item("./usr/lib/libfoo.so", "symlink", { linkpath: "riscv64-linux-gnu/libfoo.so.1" }),
    item("./usr/share/doc/foo/changelog.gz", "file"),
    item("./usr/share/doc/foo/copyright", "file"),
    item("./usr/share/man/man1/tool.1.gz", "file"),
  ], "foo", DEFAULT_EXCLUDES);
  assert.equal(stats.files, 3); // libfoo, tool, copyright
  assert.equal(stats.hardlinks, 1);
  assert.equal(stats.skipped, 2);
  assert.equal(fs.nodes.get("lib")?.kind, "symlink"); // the directory entry kept the link
  assert.equal(fs.nodes.get("usr/lib/riscv64-linux-gnu/libfoo.so.1")?.kind, "file");
  assert.equal(fs.nodes.get("usr/bin/tool"), fs.nodes.get("usr/bin/tool2"));
  assert.equal(resolvePath(fs, "/lib/libfoo.so"), "usr/lib/riscv64-linux-gnu/libfoo.so.1");
  assert.equal(lookup(fs, "bin/tool")?.kind, "file");
  assert.ok(!fs.nodes.has("usr/share/man/man1/tool.1.gz"));
  assert.ok(fs.nodes.has("usr/share/doc/foo/copyright"));
  assert.ok(isExcluded("usr/share/locale/de/LC_MESSAGES/x.mo", DEFAULT_EXCLUDES));
  assert.equal(fs.mtime, 2000);

  finalizeRootFs(fs);
  assert.ok(!fs.nodes.has("lib64"), "lib64 is dropped when no package uses it");
  const entries = parseCpio(writeCpio(toCpioEntries(fs)));
  const tool = entries.find((e) => e.path === "usr/bin/tool")!;
  const tool2 = entries.find((e) => e.path === "usr/bin/tool2")!;
  assert.equal(tool.ino, tool2.ino);
  assert.equal(tool.nlink, 2);
  assert.equal(new TextDecoder().decode(tool2.data), "#!");
  assert.equal(entries[0]!.path, ".");
  // Every directory precedes its contents.
  const seen = new Set<string>();
  for (const e of entries) {
    const parent = e.path.includes("/") ? e.path.slice(0, e.path.lastIndexOf("/")) : ".";
    if (e.path !== ".") assert.ok(seen.has(parent), `${e.path} after its parent`);
    seen.add(e.path);
  }
});

test("symlink loops are reported, not followed forever", () => {
  const fs = createRootFs();
  unpackTarItems(fs, [item("./a", "symlink", { linkpath: "b" }), item("./b", "symlink", { linkpath: "a" })], "loop");
  assert.throws(() => resolvePath(fs, "a/x"), /too many levels of symbolic links/);
});

test("update-alternatives calls in a postinst become /etc/alternatives links", () => {
  const script = `#!/bin/sh
set -e
case "$1" in
    configure)
        update-alternatives \\
            --install /usr/bin/lua lua-interpreter /usr/bin/lua5.4 20 \\
            --slave /usr/share/man/man1/lua.1.gz lua-manual \\
                /usr/share/man/man1/lua5.4.1.gz
        update-alternatives --install /usr/bin/lua lua-interpreter /usr/bin/lua5.3 10
        ;;
esac
`;
  const alts = parseAlternatives(script);
  assert.equal(alts.length, 2);
  assert.deepEqual(alts[0], {
    link: "/usr/bin/lua", name: "lua-interpreter", path: "/usr/bin/lua5.4", priority: 20,
    slaves: [{ link: "/usr/share/man/man1/lua.1.gz", name: "lua-manual", path: "/usr/share/man/man1/lua5.4.1.gz" }],
  });
  const fs = createRootFs();
  unpackTarItems(fs, [item("./usr/bin/lua5.4", "file", { mode: 0o755 }), item("./usr/bin/lua5.3", "file")], "lua");
  assert.deepEqual(applyAlternatives(fs, alts), ["/usr/bin/lua"]); // the man page is not in the image
  assert.equal(resolvePath(fs, "usr/bin/lua"), "usr/bin/lua5.4");
  assert.equal(fs.nodes.get("etc/alternatives/lua-interpreter")?.kind, "symlink");
});

test("busybox applet links: merged /usr, relative targets, packages win, /bin/sh always", () => {
  const fs = createRootFs();
  unpackTarItems(fs, [item("./usr/bin/busybox", "file", { mode: 0o755 }), item("./usr/bin/sqlite3", "file")], "pkgs");
  const n = addBusyboxLinks(fs, ["bin/ash", "sbin/init", "usr/sbin/chroot", "usr/bin/sqlite3", "bin/busybox", "linuxrc"]);
  assert.equal(n, 4); // ash, init, chroot and the implicit sh
  const sh = fs.nodes.get("usr/bin/sh");
  assert.equal(sh?.kind === "symlink" ? sh.target : "", "busybox");
  const init = fs.nodes.get("usr/sbin/init");
  assert.equal(init?.kind === "symlink" ? init.target : "", "../bin/busybox");
  assert.equal(resolvePath(fs, "/sbin/init"), "usr/bin/busybox");
  assert.equal(fs.nodes.get("usr/bin/sqlite3")?.kind, "file");
  assert.ok(!fs.nodes.has("linuxrc"));

  const table = new TextEncoder().encode("junk\0[\0[[\0acpid\0ash\0zcat\0\0more");
  assert.deepEqual(scanBusyboxApplets(table), ["[", "[[", "acpid", "ash", "zcat"]);
});

test("base files: users, groups, sticky /tmp, the user's home", () => {
  const fs = createRootFs();
  addBaseFiles(fs, { suite: "trixie", arch: "riscv64", packages: [{ name: "libc6", version: "2.41", arch: "riscv64" }] });
  const text = (p: string): string => {
    const n = fs.nodes.get(p);
    return n?.kind === "file" ? new TextDecoder().decode(n.data) : "";
  };
  assert.match(text("etc/passwd"), /^root:x:0:0:root:\/root:\/bin\/sh$/m);
  assert.match(text("etc/passwd"), /^user:x:1000:1000:/m);
  assert.match(text("etc/passwd"), /^nobody:x:65534:/m);
  assert.match(text("etc/group"), /^root:x:0:/m);
  assert.equal(text("etc/hostname"), "tsix\n");
  assert.match(text("etc/profile"), /PATH=/);
  assert.match(text("etc/profile"), /PS1=/);
  assert.match(text("etc/tsix-release"), /^ID=tsix$/m);
  assert.equal(fs.nodes.get("tmp")?.mode, 0o1777);
  assert.equal(fs.nodes.get("var/tmp")?.mode, 0o1777);
  assert.equal(fs.nodes.get("home/user")?.uid, 1000);
  for (const d of ["proc", "dev", "sys", "run", "mnt", "root"]) assert.equal(fs.nodes.get(d)?.kind, "dir", d);
  const entries = toCpioEntries(fs);
  assert.equal(entries.find((e) => e.path === "bin")!.mode & S_IFMT, S_IFLNK);
});

test("a program's tsix-build directive", () => {
  assert.deepEqual(programOptions("int main(){}"), { static: true, installDir: "/usr/lib/tsix/bin", extra: [] });
  assert.deepEqual(programOptions("/* tsix-build: dynamic install=/usr/local/bin -lm */"), { static: false, installDir: "/usr/local/bin", extra: ["-lm"] });
});
