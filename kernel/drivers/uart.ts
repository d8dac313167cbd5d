// The console driver: the NS16550A UART at 0x10000000 (PLIC source 10),
// driven through its registers as a real 8250 driver would.
//   Output: each byte goes into THR once LSR says the holding register is
//   empty. The machine hands every transmitted byte to the kernel
//   (onUartOutput -> consoleTx), which passes them on to the host in one
//   batch per write instead of one call per byte.
//   Input: the host pushes bytes into the UART (consoleInput -> receive);
//   the "received data available" interrupt runs uartInterrupt, which reads
//   RBR while LSR.DR and feeds the tty's line discipline. When the line
//   discipline is full the driver stops reading (and masks the RX interrupt):
//   the rest waits in the UART, nothing is lost, and reading resumes when a
//   reader makes room (unthrottle).
//
// Concepts: C13 (device controller, driver, interrupt-driven I/O), C11 (PLIC
// claim/complete around the handler), C14 (/dev/console, /dev/ttyS0).
import type { Kernel } from "../kernel.js";
import { logInfo } from "../log.js";
import { enableIrq, handleExternalInterrupt, defineIrqHandler } from "./irq.js";
import { makedev } from "../fs/fstypes.js";
import { type Tty, createTty, registerTty, defineTtyDriver, ttys } from "../tty/tty.js";
import { nttyReceive, nttyRoom } from "../tty/n_tty.js";
import { registerTtyDevices, setWinsize } from "../tty/tty_io.js";
import { wakeUp } from "../sched/wait.js";
import { bumpLoadavg } from "../fs/proc/loadavg.js";

export const UART_BASE = 0x10000000;
export const UART_IRQ = 10;
// Registers
const RBR = 0, THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5;
const IIR = 2;
const IER_ERBFI = 0x01;
const LSR_DR = 0x01, LSR_THRE = 0x20;
const LCR_8N1 = 0x03;
const FCR_ENABLE_CLEAR = 0x07;   // FIFOs on, both cleared, RX trigger 1 byte
const MCR_DTR_RTS_OUT2 = 0x0b;

/** Driver state (plain data in k.drivers.uart). */
export interface UartDriver {
  /** The tty on this line (ttyS0). */
  ttyId: number;
  /** Bytes transmitted during the current write, on their way to the host. */
  txBuf: Uint8Array;
  txLen: number;
  /** Inside uartWrite: bytes are batched until the write ends. */
  batching: boolean;
  /** Input is throttled: the RX interrupt is masked until the tty has room. */
  throttled: boolean;
  /** The host said its input has ended. */
  eofRequested: boolean;
  rxBytes: number;
  txBytes: number;
  interrupts: number;
}

function state(k: Kernel): UartDriver | undefined {
  return k.drivers.uart ?? undefined;
}

function reg(k: Kernel, r: number): number {
  return k.machine.bus.read(UART_BASE + r, 1);
}

function setReg(k: Kernel, r: number, v: number): void {
  k.machine.bus.write(UART_BASE + r, 1, v);
}

function flushTx(k: Kernel, s: UartDriver): void {
  if (s.txLen === 0) return;
  const out = s.txBuf.slice(0, s.txLen);
  s.txLen = 0;
  k.host.consoleOut(out);
}

/**
 * A byte left the UART's transmitter (the machine's onUartOutput). Bytes of a
 * write are batched; anything else (early boot writes) goes out at once.
 */
export function consoleTx(k: Kernel, byte: number): void {
  const s = state(k);
  if (!s) { k.host.consoleOut(Uint8Array.of(byte)); return; }
  if (s.txLen === s.txBuf.length) flushTx(k, s);
  s.txBuf[s.txLen++] = byte;
  s.txBytes++;
  if (!s.batching) flushTx(k, s);
}

/** Output path of the tty: every byte through THR. */
function uartWrite(k: Kernel, _tty: Tty, bytes: Uint8Array): void {
  const s = state(k);
  if (!s) return;
  s.batching = true;
  try {
    for (let i = 0; i < bytes.length; i++) {
      // Transmission is instantaneous on this machine, but a driver still asks.
      for (let spin = 0; spin < 16 && !(reg(k, LSR) & LSR_THRE); spin++) { /* wait for THR empty */ }
      setReg(k, THR, bytes[i]);
    }
  } finally {
    s.batching = false;
    flushTx(k, s);
  }
}

/** The line discipline has room again: unmask the RX interrupt (pending input raises it at once). */
function uartUnthrottle(k: Kernel, _tty: Tty): void {
  const s = state(k);
  if (!s || !s.throttled) return;
  s.throttled = false;
  setReg(k, IER, IER_ERBFI);
}

/** Once the host's input has ended and every byte was read, readers get end of file. */
function checkEof(k: Kernel, s: UartDriver, tty: Tty): void {
  if (s.eofRequested && !tty.hostEof && !(reg(k, LSR) & LSR_DR) && k.machine.uart.rxPending === 0) {
    tty.hostEof = true;
    wakeUp(k, tty.wait);
  }
}

/**
 * The UART interrupt handler: drain the receiver into the line discipline.
 * It runs outside any syscall, so a bug here is logged as an oops and the
 * input dropped rather than taking the kernel down.
 */
export function uartInterrupt(k: Kernel, irq: number): void {
  try {
    receiveInterrupt(k, irq);
  } catch (e) {
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    logInfo(k, `oops: uart interrupt: ${msg.split("\n").slice(0, 4).join(" | ")}`);
  }
}

function receiveInterrupt(k: Kernel, _irq: number): void {
  const s = state(k);
  if (!s) return;
  s.interrupts++;
  const tty = ttys(k).get(s.ttyId);
  reg(k, IIR); // identify (and acknowledge a THRE cause)
  if (!tty) {
    while (reg(k, LSR) & LSR_DR) reg(k, RBR); // nobody listens: drop
    return;
  }
  const chunk: number[] = [];
  for (;;) {
    const room = nttyRoom(tty);
    if (room === 0) {
      // Full: leave the rest in the UART and stop the interrupt until a reader makes room.
      s.throttled = true;
      tty.throttled = true;
      setReg(k, IER, 0);
      break;
    }
    while (chunk.length < room && (reg(k, LSR) & LSR_DR)) chunk.push(reg(k, RBR));
    if (chunk.length === 0) break;
    s.rxBytes += chunk.length;
    nttyReceive(k, tty, chunk);
    chunk.length = 0;
  }
  checkEof(k, s, tty);
}

/**
 * Boot: program the UART (8N1, FIFOs, RX interrupt), create its tty
 * (ttyS0, 4:64) as the console, register /dev/console, /dev/tty and
 * /dev/ttyS0, and route PLIC source 10 to uartInterrupt.
 */
export function initConsole(k: Kernel, opts: { rows?: number; cols?: number } = {}): Tty {
  const existing = state(k);
  if (existing) return ttys(k).get(existing.ttyId)!;
  const tty = registerTty(k, createTty(makedev(4, 64), "ttyS0", "uart"));
  tty.winsize = { row: opts.rows ?? 24, col: opts.cols ?? 80, xpixel: 0, ypixel: 0 };
  const s: UartDriver = {
    ttyId: tty.id, txBuf: new Uint8Array(16384), txLen: 0, batching: false, throttled: false,
    eofRequested: false, rxBytes: 0, txBytes: 0, interrupts: 0,
  };
  k.drivers.uart = s;
  registerTtyDevices(k, tty);
  setReg(k, LCR, LCR_8N1);
  setReg(k, FCR, FCR_ENABLE_CLEAR);
  setReg(k, MCR, MCR_DTR_RTS_OUT2);
  enableIrq(k, UART_IRQ, UART_IRQ_HANDLER);
  setReg(k, IER, IER_ERBFI);
  return tty;
}

/**
 * Host input for the console (the CLI calls this with typed or piped bytes):
 * they go down the wire into the UART, whose interrupt does the rest. When
 * every hart is idle, the idle loop takes the interrupt now (an idle hart's
 * wfi would wake for it).
 */
export function consoleInput(k: Kernel, bytes: Uint8Array): void {
  k.machine.uart.receive(bytes);
  bumpLoadavg(k);
  if (k.cpus.every((c) => c.current === null)) handleExternalInterrupt(k, 0);
}

/** The host's input ended (stdin closed): readers of the console see end of file once it is drained. */
export function consoleEndOfInput(k: Kernel): void {
  const s = state(k);
  if (!s) return;
  s.eofRequested = true;
  const tty = ttys(k).get(s.ttyId);
  if (tty) checkEof(k, s, tty);
}

/** The host terminal changed size: TIOCGWINSZ reports it and the foreground group gets SIGWINCH. */
export function consoleResize(k: Kernel, rows: number, cols: number): void {
  const s = state(k);
  const tty = s ? ttys(k).get(s.ttyId) : undefined;
  if (tty) setWinsize(k, tty, rows, cols);
}

/** Driver counters (for /proc/tty/driver/serial and tests). */
export function uartStats(k: Kernel): { rx: number; tx: number; interrupts: number; throttled: boolean } | null {
  const s = state(k);
  return s ? { rx: s.rxBytes, tx: s.txBytes, interrupts: s.interrupts, throttled: s.throttled } : null;
}

// The driver's code, by name (the tty names its driver "uart"; the PLIC source names its handler).
defineTtyDriver("uart", { write: uartWrite, unthrottle: uartUnthrottle });
const UART_IRQ_HANDLER = defineIrqHandler("uart", uartInterrupt);
