// ioctl request numbers of the Linux riscv64 ABI (asm-generic/ioctls.h):
// the terminal requests (TC*, TIOC*) and the generic file ones (FIO*).
//
// Concepts: C05 (the ABI), C61 (the terminal interface).

export const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCGETA = 0x5405,
  TCSETA = 0x5406, TCSETAW = 0x5407, TCSETAF = 0x5408, TCSBRK = 0x5409, TCXONC = 0x540a, TCFLSH = 0x540b,
  TIOCEXCL = 0x540c, TIOCNXCL = 0x540d, TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410,
  TIOCOUTQ = 0x5411, TIOCSTI = 0x5412, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCMGET = 0x5415,
  TIOCMBIS = 0x5416, TIOCMBIC = 0x5417, TIOCMSET = 0x5418, TIOCGSOFTCAR = 0x5419, TIOCSSOFTCAR = 0x541a,
  FIONREAD = 0x541b, TIOCLINUX = 0x541c, TIOCCONS = 0x541d, TIOCGSERIAL = 0x541e, TIOCSSERIAL = 0x541f,
  TIOCPKT = 0x5420, FIONBIO = 0x5421, TIOCNOTTY = 0x5422, TIOCSETD = 0x5423, TIOCGETD = 0x5424,
  TCSBRKP = 0x5425, TIOCSBRK = 0x5427, TIOCCBRK = 0x5428, TIOCGSID = 0x5429, TCGETS2 = 0x802c542a,
  TCSETS2 = 0x402c542b, TCSETSW2 = 0x402c542c, TCSETSF2 = 0x402c542d, TIOCGDEV = 0x80045432,
  TIOCVHANGUP = 0x5437, TIOCGEXCL = 0x80045440, FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;

// Unix98 pty requests (asm-generic/ioctls.h): the pty number, the slave's
// lock, packet mode, a signal to the slave's foreground group, and an open
// of the slave through the master.
export const TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCSIG = 0x40045436, TIOCGPKT = 0x80045438,
  TIOCGPTLCK = 0x80045439, TIOCGPTPEER = 0x5441;
/** Packet-mode status bytes (the first byte of a master read under TIOCPKT). */
export const TIOCPKT_DATA = 0, TIOCPKT_FLUSHREAD = 1, TIOCPKT_FLUSHWRITE = 2, TIOCPKT_STOP = 4, TIOCPKT_START = 8;
