// Runs every compiled test file (dist/test/**/*.test.js) with node's test
// runner. (Given a directory, Node 20 would also load helper modules as tests.)
// The tests run the CLI's default tier, the JIT; TSIX_TEST_JIT=off runs them on
// the interpreter alone (TSIX_TEST_JIT=on: the JIT, as unset). CI runs both (.ci/run).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith(".test.js") ? [join(dir, e.name)] : []);
}
const tier = process.env.TSIX_TEST_JIT;
if (tier !== undefined && tier !== "on" && tier !== "off") {
  console.error(`TSIX_TEST_JIT must be on or off, not '${tier}'`);
  process.exit(2);
}
const files = find("dist/test").sort();
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...process.argv.slice(2), ...files], { stdio: "inherit" });
process.exit(r.status ?? 1);
