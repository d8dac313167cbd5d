// ext2/ext3 mount options (`mount -o ...`), parsed as Linux's ext4 driver
// parses them when it mounts an ext2 or ext3 file system:
//   data=ordered            the only journaling mode built; data=journal and
//                           data=writeback are refused (EINVAL) with a log
//                           line naming the mode, never silently ignored;
//   errors=continue|remount-ro|panic
//                           what a detected inconsistency does (the default
//                           comes from the superblock's s_errors, as Linux);
//   noload, norecovery      do not load the journal: no replay, no
//                           journaling; only on a read-only mount (tsix has
//                           no unjournaled read-write ext3);
//   barrier, barrier=N, nobarrier
//                           whether a commit may rely on cache flushes
//                           (accepted and shown; tsix's disks have no
//                           volatile cache, see docs/storage.md);
//   commit=N                the journal's commit interval in seconds
//                           (0: the default 5), read by the jbd2 timer;
//   ro, rw                  as the VFS's flags (mount(8) normally turns
//                           them into MS_RDONLY itself).
// Anything else is "Unrecognized mount option" and EINVAL, as Linux. The
// result is plain data kept in the mounted file system's state; /proc/mounts
// shows the options that differ from the defaults (Linux's show_options).
//
// Concepts: C68 (mounts and their options), C65 (journaling: commit interval).

/** What a detected inconsistency does (ext2's s_errors: 1 continue, 2 remount-ro, 3 panic). */
export type ErrorsBehavior = "continue" | "remount-ro" | "panic";

export interface Ext2MountOpts {
  errors: ErrorsBehavior;
  /** errors= was given (else it is the superblock's default). */
  errorsGiven: boolean;
  noload: boolean;
  barrier: boolean;
  /** The journal's commit interval in seconds. */
  commitSec: number;
}

/** Linux's JBD2_DEFAULT_MAX_COMMIT_AGE. */
export const DEFAULT_COMMIT_SEC = 5;
/** Linux refuses commit intervals past INT_MAX / HZ (HZ = 250 here). */
const MAX_COMMIT_SEC = Math.floor(0x7fffffff / 250);

/** The superblock's s_errors as a behaviour (unknown values: continue, as Linux's default). */
export function errorsFromSuper(sErrors: number): ErrorsBehavior {
  return sErrors === 2 ? "remount-ro" : sErrors === 3 ? "panic" : "continue";
}

export function defaultOpts(sErrors: number): Ext2MountOpts {
  return { errors: errorsFromSuper(sErrors), errorsGiven: false, noload: false, barrier: true, commitSec: DEFAULT_COMMIT_SEC };
}

/**
 * Parse `data` over `base` (the defaults at mount, the current options at
 * remount). A string is the log line's reason for EINVAL.
 */
export function parseExt2Opts(data: string, base: Ext2MountOpts, remount: boolean): Ext2MountOpts | { bad: string } {
  const o: Ext2MountOpts = { ...base };
  for (const item of data.split(",").filter((s) => s !== "")) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    const val = eq < 0 ? undefined : item.slice(eq + 1);
    const uint = (): number | null => (val !== undefined && /^\d{1,10}$/.test(val) ? Number(val) : null);
    switch (key) {
      case "ro": case "rw":
        if (val !== undefined) return { bad: `Unrecognized mount option "${item}" or missing value` };
        break;
      case "data":
        if (val === "ordered") break;
        if (val === "journal" || val === "writeback") {
          return { bad: remount ? "Cannot change data mode on remount" : `data=${val} is not supported (only data=ordered is built)` };
        }
        return { bad: `Unrecognized mount option "${item}" or missing value` };
      case "errors":
        if (val !== "continue" && val !== "remount-ro" && val !== "panic") return { bad: `Unrecognized mount option "${item}" or missing value` };
        o.errors = val;
        o.errorsGiven = true;
        break;
      case "noload": case "norecovery":
        if (val !== undefined) return { bad: `Unrecognized mount option "${item}" or missing value` };
        // Linux ignores it on remount (the journal is loaded or not from the mount on).
        if (!remount) o.noload = true;
        break;
      case "barrier": {
        if (val === undefined) { o.barrier = true; break; }
        const n = uint();
        if (n === null) return { bad: `Unrecognized mount option "${item}" or missing value` };
        o.barrier = n !== 0;
        break;
      }
      case "nobarrier":
        if (val !== undefined) return { bad: `Unrecognized mount option "${item}" or missing value` };
        o.barrier = false;
        break;
      case "commit": {
        const n = uint();
        if (n === null) return { bad: `Unrecognized mount option "${item}" or missing value` };
        if (n > MAX_COMMIT_SEC) return { bad: `Invalid commit interval ${n}, must be smaller than ${MAX_COMMIT_SEC}` };
        o.commitSec = n === 0 ? DEFAULT_COMMIT_SEC : n;
        break;
      }
      default:
        return { bad: `Unrecognized mount option "${item}" or missing value` };
    }
  }
  return o;
}

/** The options /proc/mounts shows: those that differ from the defaults (`sErrors`: the superblock's), as Linux. */
export function showExt2Opts(o: Ext2MountOpts, sErrors: number): string {
  const out: string[] = [];
  if (o.errors !== errorsFromSuper(sErrors)) out.push(`errors=${o.errors}`);
  if (o.noload) out.push("norecovery");
  if (!o.barrier) out.push("nobarrier");
  if (o.commitSec !== DEFAULT_COMMIT_SEC) out.push(`commit=${o.commitSec}`);
  return out.join(",");
}
