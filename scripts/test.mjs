// Runs every compiled test file (dist/test/**/*.test.js) with node's test
// runner. (Given a directory, Node 20 would also load helper modules as tests.)
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith(".test.js") ? [join(dir, e.name)] : []);
}
const files = find("dist/test").sort();
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...process.argv.slice(2), ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
