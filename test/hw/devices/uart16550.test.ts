// Tests of the 16550 UART (hw/devices/uart16550.ts) through its registers,
// with a fake IRQ line. Proves: transmitted bytes reach the host, input sets
// LSR.DR and interrupts only when IER asks, IIR reports causes by priority,
// the FIFO trigger level, DLAB, large host input without loss, and loopback
// (C13 polling vs interrupts, C11).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IrqLine } from '../../../hw/devices/device.js';
import { createUart16550, type Uart16550 } from '../../../hw/devices/uart16550.js';

const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function setup(): { uart: Uart16550; out: number[]; irq: { level: boolean; changes: number } } {
  const out: number[] = [];
  const irq = { level: false, changes: 0 };
  const line: IrqLine = {
    setLevel(source: number, level: boolean): void {
      assert.equal(source, 10);
      irq.level = level;
      irq.changes++;
    },
  };
  const uart = createUart16550({ onTransmit: (b) => out.push(b), irqLine: line });
  return { uart, out, irq };
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('bytes written to THR reach onTransmit; LSR shows the transmitter empty', () => {
  const { uart, out } = setup();
  assert.equal(uart.base, 0x10000000);
  for (const b of bytes('hi\n')) uart.write(THR, 1, b);
  assert.deepEqual(out, [0x68, 0x69, 0x0a]);
  assert.equal(uart.read(LSR, 1) & 0x60, 0x60, 'THRE and TEMT');
  assert.equal(uart.state.txBytes, 3);
});

test('receive() sets LSR.DR; the RX interrupt fires only when IER enables it', () => {
  const { uart, irq } = setup();
  assert.equal(uart.read(LSR, 1) & 1, 0);
  uart.receive(bytes('ab'));
  assert.equal(uart.read(LSR, 1) & 1, 1, 'DR');
  assert.equal(irq.level, false, 'IER = 0: polling only');
  assert.equal(uart.read(IIR, 1), 0x01, 'no interrupt pending');
  uart.write(IER, 1, 0x01);
  assert.equal(irq.level, true);
  assert.equal(uart.read(IIR, 1), 0x04, 'received data available');
  assert.equal(uart.read(RBR, 1), 0x61);
  assert.equal(irq.level, true, 'one byte left');
  assert.equal(uart.read(RBR, 1), 0x62);
  assert.equal(irq.level, false);
  assert.equal(uart.read(LSR, 1) & 1, 0);
  uart.write(IER, 1, 0);
  uart.receive(bytes('c'));
  assert.equal(irq.level, false);
});

test('IIR reports RX data before THR empty; reading IIR acknowledges THRE', () => {
  const { uart, irq } = setup();
  uart.write(IER, 1, 0x03);
  assert.equal(irq.level, true, 'enabling ETBEI with THR empty interrupts at once');
  assert.equal(uart.read(IIR, 1), 0x02);
  assert.equal(irq.level, false, 'IIR read cleared THRE');
  assert.equal(uart.read(IIR, 1), 0x01);
  uart.write(THR, 1, 0x41);
  assert.equal(irq.level, true, 'THR empty again after the byte went out');
  uart.receive(bytes('x'));
  assert.equal(uart.read(IIR, 1), 0x04, 'RX outranks THRE');
  assert.equal(uart.read(RBR, 1), 0x78);
  assert.equal(uart.read(IIR, 1), 0x02, 'then THRE');
  assert.equal(uart.read(IIR, 1), 0x01);
  assert.equal(irq.level, false);
});

test('FIFO: trigger level, character timeout, IIR FIFO bits, clearing', () => {
  const { uart, irq } = setup();
  uart.write(FCR, 1, 0x81); // enable, trigger 8
  uart.write(IER, 1, 0x01);
  assert.equal(uart.read(IIR, 1), 0xc1, 'FIFOs enabled, nothing pending');
  uart.receive(bytes('1234567'));
  assert.equal(uart.read(IIR, 1), 0xcc, 'below the trigger: character timeout');
  uart.receive(bytes('8'));
  assert.equal(uart.read(IIR, 1), 0xc4, 'trigger level reached');
  assert.equal(irq.level, true);
  uart.write(FCR, 1, 0x83); // clear the RX FIFO
  assert.equal(uart.read(LSR, 1) & 1, 0);
  assert.equal(irq.level, false);
});

test('host input larger than the FIFO is delivered in order, nothing lost', () => {
  const { uart } = setup();
  uart.write(FCR, 1, 0xc7);
  const input = new Uint8Array(1000).map((_, i) => (i * 7) & 0xff);
  uart.receive(input.subarray(0, 600));
  uart.receive(input.subarray(600));
  assert.equal(uart.state.fifoCount, 16, 'the guest sees a 16-byte FIFO');
  const got: number[] = [];
  while ((uart.read(LSR, 1) & 1) !== 0) got.push(uart.read(RBR, 1));
  assert.deepEqual(got, [...input]);
  assert.equal(uart.rxPending, 0);
});

test('DLAB switches offsets 0 and 1 to the divisor latch', () => {
  const { uart, out } = setup();
  uart.write(IER, 1, 0x05);
  uart.write(LCR, 1, 0x83);
  uart.write(DLL, 1, 0x01);
  uart.write(DLM, 1, 0x02);
  assert.equal(uart.read(DLL, 1), 0x01);
  assert.equal(uart.read(DLM, 1), 0x02);
  assert.deepEqual(out, [], 'a DLL write is not a transmission');
  uart.write(LCR, 1, 0x03);
  assert.equal(uart.read(LCR, 1), 0x03);
  assert.equal(uart.read(IER, 1), 0x05, 'IER untouched by the divisor writes');
  uart.write(SCR, 1, 0x5a);
  assert.equal(uart.read(SCR, 1), 0x5a);
});

test('loopback: THR comes back on RBR, MSR mirrors MCR', () => {
  const { uart, out } = setup();
  uart.write(MCR, 1, 0x10 | 0x02 | 0x01);
  assert.equal(uart.read(MSR, 1) & 0xf0, 0x30, 'CTS <- RTS, DSR <- DTR');
  uart.write(THR, 1, 0x55);
  assert.deepEqual(out, []);
  assert.equal(uart.read(LSR, 1) & 1, 1);
  assert.equal(uart.read(RBR, 1), 0x55);
  uart.write(MCR, 1, 0);
  assert.equal(uart.read(MSR, 1), 0xb0);
});
