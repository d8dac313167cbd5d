// The kernel's identity as uname(2) and /proc/sys/kernel report it: the
// defaults of the UTS fields (hostname and domain name can be changed at run
// time; the rest is fixed). Programs test the release (glibc, python), so it
// names a real Linux version whose syscall ABI tsix follows.
//
// Concepts: C05 (the Linux ABI tsix implements).

export const UTS = { sysname: "Linux", nodename: "tsix", release: "6.1.0-tsix", version: "#1 SMP tsix", machine: "riscv64", domainname: "(none)" };
