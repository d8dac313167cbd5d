// The NS16550A serial port of the QEMU `virt` machine, at 0x10000000 on PLIC
// source 10: the console a kernel prints its first words on. Guest writes to
// THR reach the host through `onTransmit`; host input pushed with receive()
// arrives in the 16-byte receive FIFO and interrupts the guest when IER asks.
//
// Registers (byte offsets; DLAB = LCR bit 7 switches 0 and 1 to the divisor):
//   0 RBR (read) / THR (write) / DLL      4 MCR  modem control (bit 4 loopback)
//   1 IER / DLM                            5 LSR  line status (DR, THRE, TEMT)
//   2 IIR (read) / FCR (write)             6 MSR  modem status
//   3 LCR  line control (bit 7 DLAB)       7 SCR  scratch
//
// Interrupts, highest priority first as IIR reports them (the 16550
// datasheet): receiver line status (0x06) never happens here, because nothing
// is lost and no byte is malformed; received data available (0x04) when the
// FIFO holds at least the trigger level; character timeout (0x0C) when it
// holds fewer (reported at once: there is no line time to wait for);
// transmitter holding register empty (0x02); modem status (0x00) never
// happens. Transmission is instantaneous, so THR is always empty: the THRE
// interrupt is re-armed after every THR write and when IER.ETBEI is turned on,
// and cleared by a THR write or by reading IIR while it is the reported cause.
//
// The host side can push any amount of input: bytes wait in a host buffer (the
// "wire") and move into the 16-byte FIFO as the guest drains it, so the guest
// sees standard FIFO semantics and no overruns.
//
// Concepts: C13 (a device controller and its driver; polling LSR vs
// interrupts), C11 (an interrupt line with several causes).

import type { IrqLine, MmioDevice } from './device.js';
import { UART_BASE, UART_IRQ } from '../core/layout.js';

export const UART_SIZE = 0x100;
export const UART_FIFO_SIZE = 16;

// Register offsets.
const RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
// IER bits.
export const IER_ERBFI = 0x01; // received data available
export const IER_ETBEI = 0x02; // transmitter holding register empty
export const IER_ELSI = 0x04;  // receiver line status
export const IER_EDSSI = 0x08; // modem status
// IIR values (bits 3..1 = cause; bit 0 = 1 when nothing is pending; bits 7..6 = FIFOs on).
export const IIR_NONE = 0x01;
export const IIR_RLS = 0x06;
export const IIR_RDA = 0x04;
export const IIR_CTI = 0x0c;
export const IIR_THRE = 0x02;
export const IIR_MSI = 0x00;
export const IIR_FIFO = 0xc0;
// LCR / MCR / LSR bits.
export const LCR_DLAB = 0x80;
export const MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
export const LSR_DR = 0x01, LSR_THRE = 0x20, LSR_TEMT = 0x40;
// MSR bits.
const MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
// FCR bits.
const FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;

export interface Uart16550Options {
  /** Called with every byte the guest transmits (not in loopback mode). */
  onTransmit: (byte: number) => void;
  irqLine?: IrqLine;
  irq?: number;
  base?: number;
}

/** The UART's registers and buffers, as plain data. */
export interface UartState {
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  dll: number;
  dlm: number;
  fifoEnabled: boolean;
  trigger: number;
  thrIpending: boolean;      // THRE interrupt armed
  readonly fifo: Uint8Array; // receive FIFO, a ring of UART_FIFO_SIZE
  fifoHead: number;
  fifoCount: number;
  host: Uint8Array;          // host-side input buffer, a growable ring
  hostHead: number;
  hostCount: number;
  irqLevel: boolean;
  txBytes: number;
  rxBytes: number;
}

/**
 * A copy of the UART's state for a machine snapshot (hw/snapshot.ts): the
 * registers, the receive FIFO and the host input not yet in the FIFO.
 */
export interface UartSaved {
  ier: number; lcr: number; mcr: number; scr: number; dll: number; dlm: number;
  fifoEnabled: boolean; trigger: number; thrIpending: boolean;
  fifo: Uint8Array; fifoHead: number; fifoCount: number;
  /** Host input waiting behind the FIFO, oldest first. */
  input: Uint8Array;
  irqLevel: boolean; txBytes: number; rxBytes: number;
}

export interface Uart16550 extends MmioDevice {
  readonly state: UartState;
  /** A copy of the whole state (snapshot). */
  save(): UartSaved;
  /** Take a saved state (throws RangeError on a malformed one, before changing anything); drives no IRQ line. */
  load(saved: UartSaved): void;
  /** Push host input (keyboard, pipe) towards the guest. */
  receive(bytes: Uint8Array): void;
  /** Bytes received from the host that the guest has not read yet. */
  readonly rxPending: number;
}

export function createUart16550(opts: Uart16550Options): Uart16550 {
  const irq = opts.irq ?? UART_IRQ;
  const irqLine = opts.irqLine;
  const onTransmit = opts.onTransmit;
  const s: UartState = {
    ier: 0, lcr: 0, mcr: 0, scr: 0, dll: 12, dlm: 0, // 12 = 9600 baud at 1.8432 MHz
    fifoEnabled: false, trigger: 1, thrIpending: false,
    fifo: new Uint8Array(UART_FIFO_SIZE), fifoHead: 0, fifoCount: 0,
    host: new Uint8Array(256), hostHead: 0, hostCount: 0,
    irqLevel: false, txBytes: 0, rxBytes: 0,
  };

  /** The FIFO holds 16 bytes when enabled, one (the holding register) when not. */
  function capacity(): number {
    return s.fifoEnabled ? UART_FIFO_SIZE : 1;
  }

  /** Move bytes from the host buffer into the FIFO while it has room. */
  function refill(): void {
    const cap = capacity();
    while (s.fifoCount < cap && s.hostCount > 0) {
      const b = s.host[s.hostHead];
      s.hostHead = (s.hostHead + 1) % s.host.length;
      s.hostCount--;
      s.fifo[(s.fifoHead + s.fifoCount) % UART_FIFO_SIZE] = b;
      s.fifoCount++;
    }
  }

  function hostPush(bytes: Uint8Array): void {
    if (s.hostCount + bytes.length > s.host.length) {
      let size = s.host.length * 2;
      while (size < s.hostCount + bytes.length) size *= 2;
      const grown = new Uint8Array(size);
      for (let i = 0; i < s.hostCount; i++) grown[i] = s.host[(s.hostHead + i) % s.host.length];
      s.host = grown;
      s.hostHead = 0;
    }
    for (let i = 0; i < bytes.length; i++) {
      s.host[(s.hostHead + s.hostCount) % s.host.length] = bytes[i];
      s.hostCount++;
    }
  }

  /** The cause IIR reports now, by the datasheet's priorities. */
  function cause(): number {
    if ((s.ier & IER_ERBFI) !== 0 && s.fifoCount > 0) {
      if (!s.fifoEnabled || s.fifoCount >= s.trigger) return IIR_RDA;
      return IIR_CTI;
    }
    if ((s.ier & IER_ETBEI) !== 0 && s.thrIpending) return IIR_THRE;
    return IIR_NONE;
  }

  function updateIrq(): void {
    const level = cause() !== IIR_NONE;
    if (level !== s.irqLevel) {
      s.irqLevel = level;
      if (irqLine !== undefined) irqLine.setLevel(irq, level);
    }
  }

  function lsr(): number {
    return (s.fifoCount > 0 ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
  }

  function msr(): number {
    if ((s.mcr & MCR_LOOP) === 0) return MSR_CTS | MSR_DSR | MSR_DCD; // a cable with a terminal on it
    // Loopback wires the modem-control outputs back to the modem-status inputs.
    return ((s.mcr & MCR_RTS) !== 0 ? MSR_CTS : 0) | ((s.mcr & MCR_DTR) !== 0 ? MSR_DSR : 0) |
      ((s.mcr & MCR_OUT1) !== 0 ? MSR_RI : 0) | ((s.mcr & MCR_OUT2) !== 0 ? MSR_DCD : 0);
  }

  function transmit(byte: number): void {
    s.thrIpending = false;
    s.txBytes++;
    if ((s.mcr & MCR_LOOP) !== 0) {
      hostPush(Uint8Array.of(byte));
      refill();
    } else {
      onTransmit(byte);
    }
    s.thrIpending = true; // sent at once: THR is empty again
    updateIrq();
  }

  function readReg(reg: number): number {
    const dlab = (s.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case RBR_THR_DLL: {
        if (dlab) return s.dll;
        if (s.fifoCount === 0) return 0;
        const b = s.fifo[s.fifoHead];
        s.fifoHead = (s.fifoHead + 1) % UART_FIFO_SIZE;
        s.fifoCount--;
        s.rxBytes++;
        refill();
        updateIrq();
        return b;
      }
      case IER_DLM:
        return dlab ? s.dlm : s.ier;
      case IIR_FCR: {
        const c = cause();
        if (c === IIR_THRE) { // reading IIR acknowledges a THRE interrupt
          s.thrIpending = false;
          updateIrq();
        }
        return c | (s.fifoEnabled ? IIR_FIFO : 0);
      }
      case LCR: return s.lcr;
      case MCR: return s.mcr;
      case LSR: return lsr();
      case MSR: return msr();
      case SCR: return s.scr;
      default: return 0;
    }
  }

  function writeReg(reg: number, v: number): void {
    const dlab = (s.lcr & LCR_DLAB) !== 0;
    switch (reg) {
      case RBR_THR_DLL:
        if (dlab) s.dll = v;
        else transmit(v);
        return;
      case IER_DLM: {
        if (dlab) { s.dlm = v; return; }
        const changed = s.ier ^ (v & 0x0f);
        s.ier = v & 0x0f;
        // Enabling ETBEI with THR empty raises THRE at once (the 16550 does).
        if ((changed & IER_ETBEI) !== 0) s.thrIpending = (s.ier & IER_ETBEI) !== 0;
        updateIrq();
        return;
      }
      case IIR_FCR: {
        const enable = (v & FCR_ENABLE) !== 0;
        // Switching the FIFOs on or off empties them; so does bit 1 (RX clear).
        // Bit 2 (TX clear) has nothing to clear: transmission is instantaneous.
        if (enable !== s.fifoEnabled || (v & FCR_CLEAR_RX) !== 0) {
          s.fifoHead = 0;
          s.fifoCount = 0;
        }
        s.fifoEnabled = enable;
        s.trigger = TRIGGER_LEVELS[(v >>> 6) & 3];
        refill();
        updateIrq();
        return;
      }
      case LCR: s.lcr = v; return;
      case MCR: s.mcr = v & 0x1f; return;
      case SCR: s.scr = v; return;
      default: return; // LSR and MSR are read-only
    }
  }

  return {
    name: 'uart16550',
    base: opts.base ?? UART_BASE,
    size: UART_SIZE,
    state: s,
    read(offset: number, _width: number): number {
      // Byte registers: a wider read sees the register at the low byte only.
      return offset < 8 ? readReg(offset) : 0;
    },
    write(offset: number, _width: number, value: number): void {
      if (offset < 8) writeReg(offset, value & 0xff);
    },
    receive(bytes: Uint8Array): void {
      if (bytes.length === 0) return;
      hostPush(bytes);
      refill();
      updateIrq();
    },
    save(): UartSaved {
      const input = new Uint8Array(s.hostCount);
      for (let i = 0; i < s.hostCount; i++) input[i] = s.host[(s.hostHead + i) % s.host.length];
      return {
        ier: s.ier, lcr: s.lcr, mcr: s.mcr, scr: s.scr, dll: s.dll, dlm: s.dlm,
        fifoEnabled: s.fifoEnabled, trigger: s.trigger, thrIpending: s.thrIpending,
        fifo: s.fifo.slice(), fifoHead: s.fifoHead, fifoCount: s.fifoCount, input,
        irqLevel: s.irqLevel, txBytes: s.txBytes, rxBytes: s.rxBytes,
      };
    },
    load(v: UartSaved): void {
      const byte = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xff;
      if (!(v.fifo instanceof Uint8Array) || v.fifo.length !== UART_FIFO_SIZE || !(v.input instanceof Uint8Array) ||
        ![v.ier, v.lcr, v.mcr, v.scr, v.dll, v.dlm].every(byte) || !TRIGGER_LEVELS.some((t) => t === v.trigger) ||
        !(Number.isInteger(v.fifoHead) && v.fifoHead >= 0 && v.fifoHead < UART_FIFO_SIZE) ||
        !(Number.isInteger(v.fifoCount) && v.fifoCount >= 0 && v.fifoCount <= UART_FIFO_SIZE)) {
        throw new RangeError('uart16550: malformed saved state');
      }
      s.ier = v.ier; s.lcr = v.lcr; s.mcr = v.mcr; s.scr = v.scr; s.dll = v.dll; s.dlm = v.dlm;
      s.fifoEnabled = v.fifoEnabled; s.trigger = v.trigger; s.thrIpending = v.thrIpending;
      s.fifo.set(v.fifo); s.fifoHead = v.fifoHead; s.fifoCount = v.fifoCount;
      let size = 256;
      while (size < v.input.length) size *= 2;
      s.host = new Uint8Array(size);
      s.host.set(v.input);
      s.hostHead = 0;
      s.hostCount = v.input.length;
      s.irqLevel = v.irqLevel; s.txBytes = v.txBytes; s.rxBytes = v.rxBytes;
    },
    get rxPending(): number {
      return s.fifoCount + s.hostCount;
    },
  };
}
