// The `tsix` command runs one bundled file (scripts/bundle.mjs, issue 7:
// loading ~160 ES modules one by one cost every boot 25-50 ms and more),
// compiled with V8's code cache (compiling the bundle cost every command
// another ~40-50 ms), and the bundle still finds what it reads at run time
// the way the per-module build does. (The watchdog worker, a file of its own beside the bundle, is
// checked by test/security/freeze.test.ts.) With TSIX_DEBUG=1 an internal
// error's stack names the TypeScript sources (the bundle's source map).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SRC_ROOT, TSIX, defaultImage, explain, tsix } from "../kernel/harness.js";

test("tsix run loads bin/tsix.js, which runs the bundle as one script, and no other module of the tree (but the watchdog's bundle)", () => {
  // A module hook (node:module register) that names every file module node loads.
  const dir = mkdtempSync(join(tmpdir(), "tsix-bundle-"));
  try {
    writeFileSync(join(dir, "hooks.mjs"), [
      'import { writeSync } from "node:fs";',
      "export async function load(url, context, next) {",
      '  if (url.startsWith("file:")) writeSync(2, `tsix-test-load ${url}\\n`);',
      "  return next(url, context);",
      "}",
    ].join("\n"));
    writeFileSync(join(dir, "register.mjs"), 'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n');
    const r = spawnSync(process.execPath, ["--import", pathToFileURL(join(dir, "register.mjs")).href, TSIX, "run", "--", "true"],
      { encoding: "utf8", timeout: 120_000 });
    const res = { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: 0 };
    assert.equal(r.status, 0, explain(res));
    const loaded = [...r.stderr.matchAll(/^tsix-test-load (\S+)$/gm)].map((m) => m[1]!);
    const root = pathToFileURL(SRC_ROOT).href + "/";
    const files = loaded.map((u) => (u.startsWith(root) ? u.slice(root.length) : u));
    // The watchdog thread's file shows too when its thread starts before tsix exits (a race): it is a bundle of its own.
    // The bundle itself is no module: bin/tsix.js compiles dist/bundle/tsix.cjs as a script.
    assert.deepEqual(files.filter((f) => f !== "dist/bundle/watchdog_worker.js"), ["bin/tsix.js"], explain(res));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundle computes the same image cache key as the image builder's own modules", async () => {
  // The key hashes the builder's compiled files, found through import.meta.url: a bundle that
  // looked next to itself would get another key and rebuild the default image on every switch
  // between `tsix run` and the tests that build images in-process.
  const img = await defaultImage();
  const r = tsix(["run", "--", "true"]);
  assert.equal(r.status, 0, explain(r));
  const manifest = JSON.parse(readFileSync(`${img.path}.json`, "utf8")) as { key: string };
  assert.equal(manifest.key, img.key, "tsix run rebuilt the default image under another key");
});

/**
 * A temporary tree holding a copy of the launcher (bin/tsix.js), the named
 * files of dist/bundle/, a package.json and tiny.cpio, an empty archive to
 * give `--image` (which keeps the image cache out of it).
 */
function launcherTree(prefix: string, bundleFiles: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, "bin"));
  mkdirSync(join(dir, "dist/bundle"), { recursive: true });
  copyFileSync(TSIX, join(dir, "bin/tsix.js"));
  for (const f of bundleFiles) copyFileSync(join(SRC_ROOT, "dist/bundle", f), join(dir, "dist/bundle", f));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const trailer = "070701" + "0".repeat(88) + "0000000B" + "00000000" + "TRAILER!!!\0";
  writeFileSync(join(dir, "tiny.cpio"), trailer + "\0".repeat(512 - trailer.length));
  return dir;
}

test("bin/tsix.js without a build says how to build, in one line, with status 2", () => {
  const dir = launcherTree("tsix-unbuilt-", []);
  try {
    const r = spawnSync(process.execPath, [join(dir, "bin/tsix.js"), "run", "--", "true"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, "tsix: not built yet; run `npm install` (or `npm run build`) in the tsix checkout\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an internal error is one line, and with TSIX_DEBUG=1 its stack names the TypeScript sources", () => {
  // A copy of the launcher and the bundle without dist/core.wasm: loading the core fails, which
  // is no user error. --image (a tiny archive) keeps the image cache out of it.
  const dir = launcherTree("tsix-nocore-", ["tsix.js", "tsix.js.map", "tsix.cjs"]);
  try {
    const args = [join(dir, "bin/tsix.js"), "run", "--image", join(dir, "tiny.cpio"), "--", "true"];
    const env = { ...process.env };
    delete env.TSIX_DEBUG;
    const plain = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 60_000, env });
    assert.equal(plain.status, 70, plain.stderr);
    assert.match(plain.stderr, /^tsix: internal error: the wasm core is missing \(.*\); run `npm run build` first \(run with TSIX_DEBUG=1 for details, and please report it\)\n$/);
    const debug = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 60_000, env: { ...env, TSIX_DEBUG: "1" } });
    assert.notEqual(debug.status, 0, debug.stderr);
    const frames = debug.stderr.split("\n").filter((l) => /^\s+at /.test(l));
    assert.match(frames[0] ?? "", /^\s+at loadCore \(.*[/]host[/]node[/]core\.ts:\d+:\d+\)$/, debug.stderr);
    assert.ok(frames.some((l) => /[/]cli[/]run\.ts:\d+:\d+\)$/.test(l)), debug.stderr);
    assert.ok(!frames.some((l) => l.includes("dist/bundle/tsix.js")), debug.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundle is compiled from V8's code cache, written by the first run and again only when stale or made by a command that boots nothing", () => {
  // A copy of the launcher and the script bundle: `tsix --help` needs nothing else.
  const dir = launcherTree("tsix-cache-", ["tsix.js", "tsix.cjs"]);
  try {
    const bundle = join(dir, "dist/bundle/tsix.cjs");
    const cache = `${bundle}.cache`;
    const help = (): void => {
      const r = spawnSync(process.execPath, [join(dir, "bin/tsix.js"), "--help"], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^usage: tsix/);
    };
    const stamp = (): string => readFileSync(cache, "latin1").split("\n", 1)[0]!;
    help();
    assert.ok(existsSync(cache), "the first run writes the cache");
    const st = statSync(bundle);
    assert.equal(stamp(), `tsix-cache ${st.size} ${st.mtimeMs} other`, "the cache names the bundle it was made from (and that no system booted)");
    assert.ok(statSync(cache).size > 100_000, "V8's code for the bundle follows");
    // Accepted: not written again.
    const before = statSync(cache).mtimeMs;
    help();
    assert.equal(statSync(cache).mtimeMs, before, "a run that used the cache does not write it");
    // Made from another build (V8 would check only the length): ignored and replaced.
    writeFileSync(cache, `tsix-cache ${st.size} 1 other\n` + "x".repeat(4096));
    help();
    assert.equal(stamp(), `tsix-cache ${st.size} ${st.mtimeMs} other`, "a stale cache is replaced");
    // A rebuilt bundle (a new mtime) makes the cache stale too.
    utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
    help();
    assert.equal(stamp(), `tsix-cache ${st.size} ${statSync(bundle).mtimeMs} other`, "the cache follows the rebuilt bundle");
    // A command that boots (here `tsix run`, which fails for want of the core: it gets as far as
    // loading it) writes it once more, with the boot's functions; `--help` then leaves it alone.
    const boot = spawnSync(process.execPath, [join(dir, "bin/tsix.js"), "run", "--image", join(dir, "tiny.cpio"), "--", "true"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(boot.status, 70, boot.stderr);
    assert.equal(stamp(), `tsix-cache ${st.size} ${statSync(bundle).mtimeMs} boot`, "a booting command's cache replaces --help's");
    const booted = statSync(cache).mtimeMs;
    help();
    assert.equal(statSync(cache).mtimeMs, booted, "--help keeps a booting command's cache");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
