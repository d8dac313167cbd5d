#!/bin/sh
# Rebuild the bundled bare-metal demo (needs gcc-riscv64-linux-gnu).
set -e
cd "$(dirname "$0")"
riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -nostdlib -nostartfiles \
  -ffreestanding -static -fno-pic -no-pie -T ../../test/hw/common/link.ld -Wl,--build-id=none \
  -Wl,--no-warn-rwx-segments -s -o "${1:-hello.elf}" start.S hello.c
