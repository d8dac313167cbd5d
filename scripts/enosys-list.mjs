#!/usr/bin/env node
// Print the system calls that still return ENOSYS, derived from the kernel's
// syscall table (kernel/syscalls/enosys.ts, built into dist/ by `npm run
// build`), with the reason for each: one "NR<TAB>NAME<TAB>WHY" line per call.
// `--markdown` prints the table docs/kernel.md carries instead.
import { enosysList } from "../dist/kernel/syscalls/enosys.js";

const { missing, total } = enosysList();
if (process.argv.includes("--markdown")) {
  console.log(`${missing.length} of the ${total} system calls of the riscv64 table return ENOSYS:\n`);
  console.log("| number | name | why |\n|---|---|---|");
  for (const m of missing) console.log(`| ${m.nr} | ${m.name} | ${m.why ?? ""} |`);
} else {
  for (const m of missing) console.log(`${m.nr}\t${m.name}\t${m.why ?? "(no reason written)"}`);
  console.error(`${missing.length} of ${total} return ENOSYS`);
}
