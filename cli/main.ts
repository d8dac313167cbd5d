// The `tsix` command line: dispatches subcommands. Every user error is one
// line on stderr and exit status 2, never a stack trace.
import { CommandError, UsageError } from "./args.js";
import { machineMain } from "./machine.js";

const USAGE = `usage: tsix [<command> [options]]
commands:
  (none)                    boot tsix to an interactive shell on this terminal
  --disk FILE.img [OPTIONS] the same with run's options, e.g. a disk image (see tsix run --help)
  run [options] -- CMD ...  boot tsix, run one command, exit with its status (tsix run --help)
  restore FILE              continue a system from a snapshot file (tsix restore --help)
  image build [options]     build the root file system image (tsix image build --help)
  trace gantt|report FILE   draw a scheduler trace as a Gantt chart (SVG), or print its per-task report
  schedlab [options] WORKLOAD
                            run a workload under several scheduling policies and compare them (tsix schedlab --help)
  memlab [options] [PROGRAM [ARGS...]]
                            run a program under several page replacement policies and frame counts (tsix memlab --help)
  fslab [--files SPEC] [-o report.svg]
                            lay the same files out on ext2 and FAT32 and compare (tsix fslab --help)
  machine --bare FILE.elf   run a bare-metal program on the emulated RISC-V machine`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "machine": return await machineMain(rest);
      case "run": return await (await import("./run.js")).runMain(rest);
      case "restore": return await (await import("./restore.js")).restoreMain(rest);
      case "image": return await (await import("./image.js")).imageMain(rest);
      case "mkfs": return (await import("./disk.js")).mkfsMain(rest);
      case "fsck": return (await import("./disk.js")).fsckMain(rest);
      case "trace": return await (await import("./trace.js")).traceMain(rest);
      case "schedlab": return await (await import("./schedlab.js")).schedlabMain(rest);
      case "memlab": return await (await import("./memlab.js")).memlabMain(rest);
      case "fslab": return (await import("./fslab.js")).fslabMain(rest);
      case undefined: return await (await import("./run.js")).shellMain();
      case "-h": case "--help": process.stdout.write(USAGE + "\n"); return 0;
      // `tsix --disk FILE.img` (run's options, no command): the interactive shell with them.
      default: if (cmd.startsWith("--")) return await (await import("./run.js")).shellMain(argv);
        throw new UsageError(`unknown command '${cmd}' (see tsix --help)`);
    }
  } catch (e) {
    if (e instanceof CommandError) {
      writeStderr(`tsix: ${e.message}\n`);
      return e.status;
    }
    // A failure the commands did not foresee is a tsix bug, not the user's: still one line (the
    // stack with TSIX_DEBUG=1), and the status of an internal software error (sysexits' EX_SOFTWARE).
    if (process.env.TSIX_DEBUG) throw e;
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    writeStderr(`tsix: internal error: ${first} (run with TSIX_DEBUG=1 for details, and please report it)\n`);
    return 70;
  }
}

/** A last message on stderr; a stderr that is gone (EPIPE) is not worth a crash. */
function writeStderr(text: string): void {
  process.stderr.on("error", () => undefined);
  process.stderr.write(text);
}
