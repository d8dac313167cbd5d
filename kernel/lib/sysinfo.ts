// The system's identity as programs see it: the utsname fields (uname(2),
// /proc/sys/kernel/hostname...), the kernel command line (/proc/cmdline) and
// the boot id (/proc/sys/kernel/random/boot_id). Plain data in k.sysinfo,
// made at boot; sethostname and the sysctl files change it.
//
// Concepts: C05 (the ABI programs probe at startup: uname), C10 (the boot
// command line).

/** struct utsname's fields (each at most 64 bytes in the guest). */
export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

/** What uname reports on a fresh boot. */
export const UTS: Readonly<Utsname> = Object.freeze({
  sysname: "Linux", nodename: "tsix", release: "6.1.0-tsix", version: "#1 SMP tsix", machine: "riscv64", domainname: "(none)",
});

export interface SysInfo {
  uts: Utsname;
  /** The kernel command line (/proc/cmdline); boot sets it from PID 1's path and arguments. */
  cmdline: string;
  /** Random per boot, made on first read (null until then). */
  bootId: string | null;
}

export function createSysInfo(): SysInfo {
  return { uts: { ...UTS }, cmdline: "console=ttyS0", bootId: null };
}
