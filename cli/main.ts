// The `tsix` command line: dispatches subcommands. Every user error is one
// line on stderr and exit status 2, never a stack trace.
import { UsageError } from "./args.js";
import { machineMain } from "./machine.js";

const USAGE = `usage: tsix <command> [options]
commands:
  machine --bare FILE.elf   run a bare-metal program on the emulated RISC-V machine`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "machine": return await machineMain(rest);
      case undefined: case "-h": case "--help": process.stdout.write(USAGE + "\n"); return cmd ? 0 : 2;
      default: throw new UsageError(`unknown command '${cmd}' (see tsix --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tsix: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
