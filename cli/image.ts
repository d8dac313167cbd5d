// `tsix image build [...]`: the image builder's command line
// (userland/image/cli.ts), under the `tsix` command.
import { UsageError } from "./args.js";

const USAGE = `usage: tsix image build [--packages a,b,...] [--out FILE] [--refresh] [--force]
       tsix image build [--packages a,b,...] [--size 1G] [--no-journal] -o FILE.img   (a disk: MBR + ext3 partition 1; ext2 with --no-journal)
  (tsix image build --help for details)`;

export async function imageMain(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "build": {
      // -o FILE.img: a disk image (MBR, partition 1 ext2) instead of the initramfs archive.
      if (rest.includes("-o")) return (await import("./disk.js")).imageDiskBuild(rest);
      const { imageBuildMain } = await import("../userland/image/cli.js");
      return imageBuildMain(rest);
    }
    case "-h": case "--help": process.stdout.write(USAGE + "\n"); return 0;
    case undefined: throw new UsageError("tsix image needs a subcommand: build (see tsix image --help)");
    default: throw new UsageError(`unknown image subcommand '${sub}' (see tsix image --help)`);
  }
}
