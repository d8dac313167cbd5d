#!/bin/sh
# Installs the Debian packages tsix's tests and image builder use: the riscv64
# cross toolchain (tsix's own programs), qemu-user (the reference machine),
# dtc (device-tree checks), cpio (image cross-checks) and e2fsprogs (mke2fs,
# e2fsck and debugfs: tsix mkfs/fsck/image build and the ext2 tests; Debian
# ships it in most installs, but a minimal one may lack it), dosfstools and
# mtools (mkfs.vfat, fsck.fat, mcopy: the vfat tests and tsix fslab), sqlite3 (the
# host's, to check databases read out of power-cut ext3 images, and the
# storage benchmark's host column) and python3 (the python scripts of
# test/kernel/py also run on the host, so their expectations are Linux's). Uses sudo when not
# run as root. README.md's quick start and .ci/run both call this.
set -e
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu qemu-user device-tree-compiler cpio e2fsprogs dosfstools mtools sqlite3 python3
