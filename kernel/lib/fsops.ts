// The VFS's operation tables by name: files, inodes and superblocks store the
// name of their FileOps / InodeOps / SuperOps (plain data), and the code is
// looked up here. Each file system, driver and pseudo file defines its
// tables at its module's top level (see lib/registry.ts for why this keeps
// kernel state free of functions).
//
// Concepts: C68 (VFS: one interface, many file systems), C84 (kernel state
// as data).
import { createRegistry, define, lookup } from "./registry.js";
import type { File, FileOps, Inode, InodeOps, SuperBlock, SuperOps } from "../fs/vfs.js";

export const FILE_OPS = createRegistry<FileOps>("file operations");
export const INODE_OPS = createRegistry<InodeOps>("inode operations");
export const SUPER_OPS = createRegistry<SuperOps>("superblock operations");

export function defineFileOps(name: string, ops: FileOps): string { return define(FILE_OPS, name, ops); }
export function defineInodeOps(name: string, ops: InodeOps): string { return define(INODE_OPS, name, ops); }
export function defineSuperOps(name: string, ops: SuperOps): string { return define(SUPER_OPS, name, ops); }

/** The file operations named `name`. */
export function fileOps(name: string): FileOps { return lookup(FILE_OPS, name); }
/** An open file's operations. */
export function fopsOf(f: File): FileOps { return lookup(FILE_OPS, f.ops); }
/** An inode's operations. */
export function iopsOf(ino: Inode): InodeOps { return lookup(INODE_OPS, ino.iops); }
/** The file operations an open of this inode starts with. */
export function inodeFops(ino: Inode): FileOps { return lookup(FILE_OPS, ino.fops); }
/** A superblock's operations (an empty table when it has none). */
export function sopsOf(sb: SuperBlock): SuperOps { return sb.sops === undefined ? NO_SUPER_OPS : lookup(SUPER_OPS, sb.sops); }

const NO_SUPER_OPS: SuperOps = Object.freeze({});

/** No operations at all (special files whose open goes elsewhere, O_PATH files). */
export const NO_FOPS = defineFileOps("none", {});
