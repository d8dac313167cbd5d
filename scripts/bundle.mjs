// Bundles the `tsix` command into one ESM file, dist/bundle/tsix.js, and the
// same as one CommonJS script, dist/bundle/tsix.cjs (and the watchdog worker,
// which node starts as a file of its own, into
// dist/bundle/watchdog_worker.js). bin/tsix.js runs the script, with V8's code
// cache: loading one file instead of ~160 ES modules, and compiling it from
// the cache, is what a boot spends before its first instruction (issue 7).
// Tests that import modules keep using the per-file tsc output in dist/;
// `npm run build` makes both.
//
// Files found at run time. Some modules find files next to themselves through
// import.meta.url (host/node/core.ts: dist/core.wasm; userland/image/
// programs.ts: userland/src; userland/image/build.ts: the builder's own
// compiled files, which are part of the image's cache key). Inside the bundle
// import.meta.url would be the bundle's, so each such module gets the URL its
// tsc twin in dist/ has (computed from the bundle's own URL, so the tree can
// move): every lookup behaves exactly as in the unbundled build, and the
// image cache key is the same for the CLI and for tests that build images
// in-process. The one exception is a `new URL("./x.js", import.meta.url)`
// naming another bundle entry (the watchdog worker): it points at that
// entry's bundle.
//
//   node scripts/bundle.mjs   (npm run build runs it after tsc)
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const outdir = join(dist, "bundle");

/** Source entry -> bundle file name (in outdir). */
const entries = {
  "cli/main.ts": "tsix",
  "host/node/watchdog_worker.ts": "watchdog_worker",
};

/** The dist/ file tsc compiles a source file to. */
const twinOf = (file) => join(dist, relative(root, file)).replace(/\.ts$/, ".js");
/** A relative URL from the bundle directory to `file`. */
const urlFromBundle = (file) => {
  const rel = relative(outdir, file).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
};
const entryByTwin = new Map(Object.entries(entries).map(([src, out]) => [twinOf(join(root, src)), `./${out}.js`]));

const NEW_URL = /new URL\((["'])(\.\.?\/[^"']+)\1,\s*import\.meta\.url\)|import\.meta\.url/g;

/** Gives each bundled module of this tree the import.meta.url of its dist/ twin (see the top). */
const distUrls = {
  name: "dist-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const twin = twinOf(args.path);
      const contents = text.replace(NEW_URL, (all, _q, rel) => {
        if (rel !== undefined) {
          const entry = entryByTwin.get(resolve(dirname(twin), rel));
          if (entry) return `new URL(${JSON.stringify(entry)}, import.meta.url)`;
          return `new URL(${JSON.stringify(rel)}, new URL(${JSON.stringify(urlFromBundle(twin))}, import.meta.url))`;
        }
        return `new URL(${JSON.stringify(urlFromBundle(twin))}, import.meta.url).href`;
      });
      return { contents, loader: "ts" };
    });
  },
};

/** What both builds below share. */
const common = {
  absWorkingDir: root,
  outdir,
  // tar (the image builder's) is bundled too: a package left outside would be loaded module by module again.
  bundle: true,
  platform: "node",
  target: "node20",
  plugins: [distUrls],
  logLevel: "warning",
};

const result = await build({
  ...common,
  entryPoints: Object.entries(entries).map(([src, out]) => ({ in: src, out })),
  format: "esm",
  // For TSIX_DEBUG=1 stacks (bin/tsix.js). The sources are in the checkout: the map need not carry them.
  sourcemap: true,
  sourcesContent: false,
});
if (result.errors.length > 0) process.exit(1);

// The same CLI once more, as one CommonJS script, dist/bundle/tsix.cjs: node's
// ES module loader takes no code cache, and compiling 1.7 MB of JavaScript
// cost every command ~40-50 ms. bin/tsix.js compiles this file with V8's code
// cache instead (the ES module bundle above is what it imports under
// TSIX_DEBUG=1, for the source map). import.meta.url, which a script has not,
// becomes the script's own URL: both files are in dist/bundle/, so every URL
// the distUrls plugin makes relative to it names the same file.
const script = await build({
  ...common,
  entryPoints: [{ in: "cli/main.ts", out: "tsix" }],
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  define: { "import.meta.url": "__tsixBundleUrl" },
  banner: { js: 'var __tsixBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
if (script.errors.length > 0) process.exit(1);
// A real dynamic import() left in the script (esbuild inlines those of the
// tree's own modules, not of node's builtins) would fail once the script is
// compiled from the code cache: V8 does not keep the import callback of
// cached functions ("A dynamic import callback was not specified").
const cjs = await readFile(join(outdir, "tsix.cjs"), "utf8");
const dynamic = cjs.match(/\bimport\(\s*["'`][^"'`]*["'`]\s*\)/g);
if (dynamic) {
  process.stderr.write(`bundle: dist/bundle/tsix.cjs keeps dynamic ${dynamic.join(", ")}: import it statically\n`);
  process.exit(1);
}
