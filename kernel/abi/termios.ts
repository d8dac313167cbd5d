// Terminal settings (termios) as the Linux riscv64 ABI defines them
// (asm-generic/termbits.h): the flag bits of c_iflag/c_oflag/c_cflag/c_lflag,
// the indices of c_cc, the defaults a fresh tty starts with (tty_std_termios),
// and the two user-visible layouts:
//   struct termios  (TCGETS/TCSETS*): 4 x u32 flags, c_line, c_cc[19] = 36 bytes
//   struct termios2 (TCGETS2/TCSETS2*): the same plus c_ispeed, c_ospeed = 44 bytes
// Baud rates live in c_cflag (CBAUD); the speeds of termios2 are derived.
//
// Concepts: C26 (the controlling terminal's modes: canonical vs raw, echo, signals).

import { layout, pack, unpack } from "./layout.js";

export const NCCS = 19;
/** struct termios: the four flag words and c_line; c_cc[NCCS] is a byte array at 17. */
export const TERMIOS = layout(36, { c_iflag: [0, "u32"], c_oflag: [4, "u32"], c_cflag: [8, "u32"], c_lflag: [12, "u32"], c_line: [16, "u8"] });
/** struct termios2: termios plus the input and output speeds. */
export const TERMIOS2 = layout(44, { ...TERMIOS.fields, c_ispeed: [36, "u32"], c_ospeed: [40, "u32"] });
/** The old struct termio (TCGETA/TCSETA*): 16-bit flags, c_line, and c_cc[8] at 9. */
export const TERMIO = layout(18, { c_iflag: [0, "u16"], c_oflag: [2, "u16"], c_cflag: [4, "u16"], c_lflag: [6, "u16"], c_line: [8, "u8"] });
/** Where c_cc starts in termios/termios2 and in termio. */
export const TERMIOS_CC = 17, TERMIO_CC = 9, NCC = 8;
/** struct winsize (TIOCGWINSZ/TIOCSWINSZ). */
export const WINSIZE = layout(8, { ws_row: [0, "u16"], ws_col: [2, "u16"], ws_xpixel: [4, "u16"], ws_ypixel: [6, "u16"] });
export const TERMIOS_SIZE = TERMIOS.size;
export const TERMIOS2_SIZE = TERMIOS2.size;

// c_cc indices
export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSWTC = 7,
  VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15,
  VEOL2 = 16;

// c_iflag
export const IGNBRK = 0x1, BRKINT = 0x2, IGNPAR = 0x4, PARMRK = 0x8, INPCK = 0x10, ISTRIP = 0x20,
  INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IUCLC = 0x200, IXON = 0x400, IXANY = 0x800, IXOFF = 0x1000,
  IMAXBEL = 0x2000, IUTF8 = 0x4000;

// c_oflag
export const OPOST = 0x1, OLCUC = 0x2, ONLCR = 0x4, OCRNL = 0x8, ONOCR = 0x10, ONLRET = 0x20,
  OFILL = 0x40, OFDEL = 0x80, TABDLY = 0x1800, XTABS = 0x1800;

// c_cflag
export const CBAUD = 0x100f, CBAUDEX = 0x1000, CSIZE = 0x30, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80,
  PARENB = 0x100, PARODD = 0x200, HUPCL = 0x400, CLOCAL = 0x800, BOTHER = 0x1000;
export const B38400 = 0xf, B115200 = 0x1002;

// c_lflag
export const ISIG = 0x1, ICANON = 0x2, XCASE = 0x4, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20,
  ECHONL = 0x40, NOFLSH = 0x80, TOSTOP = 0x100, ECHOCTL = 0x200, ECHOPRT = 0x400, ECHOKE = 0x800,
  FLUSHO = 0x1000, PENDIN = 0x4000, IEXTEN = 0x8000, EXTPROC = 0x10000;

/** A tty's settings, as plain data. */
export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  line: number;
  cc: number[];
}

/** Baud rate codes (CBAUD values) and their speeds, in code order. */
const BAUD_CODES: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [1, 50], [2, 75], [3, 110], [4, 134], [5, 150], [6, 200], [7, 300], [8, 600], [9, 1200],
  [10, 1800], [11, 2400], [12, 4800], [13, 9600], [14, 19200], [15, 38400], [0x1001, 57600],
  [0x1002, 115200], [0x1003, 230400], [0x1004, 460800], [0x1005, 500000], [0x1006, 576000],
  [0x1007, 921600], [0x1008, 1000000], [0x1009, 1152000], [0x100a, 1500000], [0x100b, 2000000],
  [0x100c, 2500000], [0x100d, 3000000], [0x100e, 3500000], [0x100f, 4000000],
];

export function baudOf(cflag: number): number {
  const code = cflag & CBAUD;
  for (const [c, s] of BAUD_CODES) if (c === code) return s;
  return 0;
}

/** The defaults of a new tty (Linux tty_std_termios): cooked mode, echo, signals, 38400 8N1. */
export function defaultTermios(): Termios {
  const cc = new Array<number>(NCCS).fill(0);
  cc[VINTR] = 0x03;    // ^C
  cc[VQUIT] = 0x1c;    // ^\
  cc[VERASE] = 0x7f;   // DEL
  cc[VKILL] = 0x15;    // ^U
  cc[VEOF] = 0x04;     // ^D
  cc[VTIME] = 0;
  cc[VMIN] = 1;
  cc[VSTART] = 0x11;   // ^Q
  cc[VSTOP] = 0x13;    // ^S
  cc[VSUSP] = 0x1a;    // ^Z
  cc[VREPRINT] = 0x12; // ^R
  cc[VDISCARD] = 0x0f; // ^O
  cc[VWERASE] = 0x17;  // ^W
  cc[VLNEXT] = 0x16;   // ^V
  return {
    iflag: ICRNL | IXON,
    oflag: OPOST | ONLCR,
    cflag: B38400 | CS8 | CREAD | HUPCL,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    line: 0,
    cc,
  };
}

export function copyTermios(t: Termios): Termios {
  return { ...t, cc: [...t.cc] };
}

/** Encode as struct termios (36 bytes) or, with `two`, struct termios2 (44 bytes). */
export function encodeTermios(t: Termios, two = false): Uint8Array {
  const b = pack(two ? TERMIOS2 : TERMIOS, { c_iflag: t.iflag, c_oflag: t.oflag, c_cflag: t.cflag, c_lflag: t.lflag, c_line: t.line & 0xff });
  for (let i = 0; i < NCCS; i++) b[TERMIOS_CC + i] = t.cc[i] & 0xff;
  if (two) {
    const speed = baudOf(t.cflag);
    pack(TERMIOS2, { c_ispeed: speed, c_ospeed: speed }, b);
  }
  return b;
}

/** Decode struct termios / termios2 bytes (the speeds of termios2 are ignored unless BOTHER). */
export function decodeTermios(b: Uint8Array): Termios {
  const v = unpack(TERMIOS, b);
  const cc: number[] = [];
  for (let i = 0; i < NCCS; i++) cc.push(b[TERMIOS_CC + i]);
  return { iflag: v.c_iflag, oflag: v.c_oflag, cflag: v.c_cflag, lflag: v.c_lflag, line: v.c_line, cc };
}

export const TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3;
export const TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;
export const TIOCM_LE = 0x001, TIOCM_DTR = 0x002, TIOCM_RTS = 0x004, TIOCM_CTS = 0x020, TIOCM_CAR = 0x040, TIOCM_DSR = 0x100;
