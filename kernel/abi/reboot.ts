// reboot(2)'s numbers (include/uapi/linux/reboot.h): the two magic words a
// caller must pass, and the commands.
// Concepts: C05 (the system-call ABI), C10 (the end of the boot cycle: power off, restart).

export const LINUX_REBOOT_MAGIC1 = 0xfee1dead;
/** The four accepted second magic words (Torvalds' and his daughters' birthdays). */
export const LINUX_REBOOT_MAGIC2 = 672274793;
export const LINUX_REBOOT_MAGIC2A = 85072278;
export const LINUX_REBOOT_MAGIC2B = 369367448;
export const LINUX_REBOOT_MAGIC2C = 537993216;

export const LINUX_REBOOT_CMD_RESTART = 0x01234567;
export const LINUX_REBOOT_CMD_HALT = 0xcdef0123;
export const LINUX_REBOOT_CMD_CAD_ON = 0x89abcdef;
export const LINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
export const LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
export const LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;
export const LINUX_REBOOT_CMD_SW_SUSPEND = 0xd000fce2;
export const LINUX_REBOOT_CMD_KEXEC = 0x45584543;
