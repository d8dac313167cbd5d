// reboot(2): power off, halt or restart the machine, or switch what
// Ctrl-Alt-Del does. Linux's rules: the caller needs CAP_SYS_BOOT (root
// here; EPERM otherwise, checked before anything else), then both magic
// words must match (EINVAL), then the command decides. The kernel does not
// stop the machine itself: it stops its loop with k.power saying why, and the
// vmm that owns the machine (vmm/) powers off, halts, or builds a fresh
// machine and kernel and boots again. Like Linux, reboot(2) does not sync:
// init does that first (busybox's init, tsix-init); the vmm still writes
// back shared mappings of host files when it stops (kernel/fs/mount.ts
// syncFilesystems).
//
// Concepts: C10 (the boot cycle ends: power off, halt, restart), C27
// (a privileged operation: credentials checked first), C05 (the ABI's magic
// numbers and errnos).
import type { Kernel } from "../kernel.js";
import type { Task } from "../proc/task.js";
import { logInfo } from "../log.js";
import { type SyscallTable, argU, argU32 } from "./args.js";
import { SYS_reboot } from "../abi/sysno.js";
import { copyinString } from "../mm/uaccess.js";
import { EFAULT, EINVAL, EPERM } from "../abi/errno.js";
import * as R from "../abi/reboot.js";

/** Stop the kernel's loop; the vmm does the rest (see the top of this file). */
function stopMachine(k: Kernel, power: "poweroff" | "halt" | "restart", message: string): void {
  logInfo(k, `reboot: ${message}`);
  k.power = power;
  k.exitStatus = 0;
  k.halted = true;
}

function sysReboot(k: Kernel, t: Task): number {
  // CAP_SYS_BOOT first: a non-root caller learns nothing about the magic words.
  if (t.tg.creds.euid !== 0) return -EPERM;
  const magic1 = argU32(k, 0), magic2 = argU32(k, 1), cmd = argU32(k, 2);
  if (magic1 !== R.LINUX_REBOOT_MAGIC1) return -EINVAL;
  if (magic2 !== R.LINUX_REBOOT_MAGIC2 && magic2 !== R.LINUX_REBOOT_MAGIC2A &&
      magic2 !== R.LINUX_REBOOT_MAGIC2B && magic2 !== R.LINUX_REBOOT_MAGIC2C) return -EINVAL;
  switch (cmd) {
    case R.LINUX_REBOOT_CMD_CAD_ON: k.cadReboot = true; return 0;
    case R.LINUX_REBOOT_CMD_CAD_OFF: k.cadReboot = false; return 0;
    case R.LINUX_REBOOT_CMD_POWER_OFF: stopMachine(k, "poweroff", "Power down"); return 0;
    case R.LINUX_REBOOT_CMD_HALT: stopMachine(k, "halt", "System halted"); return 0;
    case R.LINUX_REBOOT_CMD_RESTART: stopMachine(k, "restart", "Restarting system"); return 0;
    case R.LINUX_REBOOT_CMD_RESTART2: {
      // A command string for the firmware (at most 255 bytes); this machine's firmware takes none.
      // Linux copies at most 255 bytes and cuts a longer string there; only a bad pointer is an error.
      const arg = copyinString(k.mmctx, t.mm!, argU(k, 3), 255);
      if (arg === -EFAULT) return -EFAULT;
      stopMachine(k, "restart", typeof arg === "string" ? `Restarting system with command '${arg}'` : "Restarting system");
      return 0;
    }
    // kexec and hibernation: a Linux built without CONFIG_KEXEC_CORE and
    // CONFIG_HIBERNATION answers these with EINVAL, as this kernel does.
    default: return -EINVAL;
  }
}

export function registerRebootSyscalls(table: SyscallTable): void {
  table[SYS_reboot] = sysReboot;
}
