// Registries of code by name. Kernel state must be plain data (a snapshot
// copies it with structuredClone, and two kernels in one process share no
// state), so kernel objects never hold function values: an open file, an
// inode, a character device, a file-system type or a tty refers to its
// operation table by name, and the tables live here, in module-level
// registries that hold only code.
//
// A registry is filled while the modules load (each module defines its own
// tables at its top level, as Linux's static const struct file_operations)
// and never changes afterwards: the same names mean the same code in every
// kernel of the process, and in a process that restores a snapshot. A name
// defined twice is a programming error and throws at load time.
//
// Concepts: C68 (one interface, many implementations: the VFS's operation
// tables), C84 (state as data, the precondition of snapshot and restore).

export interface Registry<T> {
  /** What the registry holds, for error messages ("file operations"). */
  readonly what: string;
  readonly byName: ReadonlyMap<string, T>;
}

export function createRegistry<T>(what: string): Registry<T> {
  return { what, byName: new Map<string, T>() };
}

/** Define `name` (at module load). Returns the name, which is what kernel objects store. */
export function define<T>(r: Registry<T>, name: string, value: T): string {
  const m = r.byName as Map<string, T>;
  if (m.has(name)) throw new Error(`${r.what} '${name}' defined twice`);
  m.set(name, value);
  return name;
}

/** The code registered as `name`; a missing name is a kernel bug (a state that names code this build lacks). */
export function lookup<T>(r: Registry<T>, name: string): T {
  const v = r.byName.get(name);
  if (v === undefined) throw new Error(`no ${r.what} named '${name}'`);
  return v;
}
