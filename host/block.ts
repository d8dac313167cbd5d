// The block-device backend: the storage behind a disk device (virtio-blk),
// as a host offers it. A backend is an array of 512-byte sectors addressed by
// LBA. hw/ uses this interface type-only (hw/disk.ts re-exports it); host/node/
// implements it on a file (synchronous and asynchronous), a browser host would
// on OPFS or fetch.
//
// The completion rule (the same for every host interface in host/): an
// operation either completes AT ONCE - it returns undefined and its effect is
// done (the Node fast path: nothing gets slower) - or returns a pending ticket
// ({ ticket }) whose completion the host reports LATER, from its event loop
// and never while the machine is inside a run slice: takeCompleted() hands
// the finished tickets over, and the host calls whatever it registered with
// onCompletion (a host-side function) so that the machine's owner polls the
// device between run slices. The consumer (the device) must handle both: a
// pending request stays in flight until its completion is taken, as a real
// disk's request stays in its controller until the controller interrupts.
// A backend that completes later owns what it was given until then: read
// fills `buf` before it reports completion, write may read `data` until then
// (so the device hands it a buffer of its own, never guest memory that the
// guest could change meanwhile).
//
// Concepts: C13 (a device controller's request completes later and
// interrupts), C60 (sectors addressed by LBA).

/** A request the backend accepted and will finish later. */
export interface BlockPending { readonly ticket: number }

/** A finished ticket: error is null on success, else a one-line reason (the device reports IOERR). */
export interface BlockCompletion { readonly ticket: number; readonly error: string | null }

export interface BlockBackend {
  /** Capacity in 512-byte sectors. */
  readonly sectors: number;
  readonly readOnly: boolean;
  /** Fill buf (a multiple of 512 bytes) from the sectors starting at `sector`. */
  read(sector: number, buf: Uint8Array): void | BlockPending;
  /** Store buf (a multiple of 512 bytes) at the sectors starting at `sector`. */
  write(sector: number, buf: Uint8Array): void | BlockPending;
  /** Make every completed write durable. */
  flush(): void | BlockPending;
  /** Tickets finished since the last call (asynchronous backends only). */
  takeCompleted?(): BlockCompletion[];
  /** Requests accepted and not yet taken back with takeCompleted. */
  inFlight?(): number;
  /** Register the host function called (from the event loop) when a ticket finishes; null to stop. */
  onCompletion?(cb: (() => void) | null): void;
}
