// Kernel object handles. Handles are small multiples of 4, as on Windows; pseudo handles
// (the current process -1, the current thread -2) are not in the table.

export interface FileObject {
  kind: 'file';
  /** Host file descriptor. */
  fd: number;
  guestPath: string;
  hostPath: string;
  canRead: boolean;
  canWrite: boolean;
  /** FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end. */
  appendOnly: boolean;
  position: number;
  deleteOnClose: boolean;
  /** FILE_SHARE_READ 1 | FILE_SHARE_WRITE 2 | FILE_SHARE_DELETE 4, as the opener allowed. */
  shareMode: number;
}

/** The process's standard input, output or error, whatever the host connected them to. */
export interface StdStreamObject { kind: 'std'; fd: 0 | 1 | 2 }
export interface NullDeviceObject { kind: 'null' }
export interface EventObject { kind: 'event'; signaled: boolean; manualReset: boolean }
export interface MutexObject { kind: 'mutex'; owned: number }
export interface SemaphoreObject { kind: 'semaphore'; count: number; max: number }
export interface FindObject { kind: 'find'; entries: { name: string; isDir: boolean; size: number; mtimeMs: number }[]; next: number }
export interface ThreadObject { kind: 'thread'; id: number }
export interface ProcessObject { kind: 'process'; id: number }

export type KernelObject = FileObject | StdStreamObject | NullDeviceObject | EventObject
  | MutexObject | SemaphoreObject | FindObject | ThreadObject | ProcessObject;

export const PSEUDO_CURRENT_PROCESS = -1;
export const PSEUDO_CURRENT_THREAD = -2;

export class HandleTable {
  private next = 0x40;
  private readonly objects = new Map<number, KernelObject>();
  private readonly refs = new Map<KernelObject, number>();

  add(o: KernelObject): number {
    const h = this.next;
    this.next += 4;
    this.objects.set(h, o);
    this.refs.set(o, (this.refs.get(o) ?? 0) + 1);
    return h;
  }

  get(h: number): KernelObject | undefined { return this.objects.get(h); }

  /** Removes the handle; returns the object when this was its last handle (the caller releases it). */
  close(h: number): { object: KernelObject; last: boolean } | undefined {
    const o = this.objects.get(h);
    if (!o) return undefined;
    this.objects.delete(h);
    const n = (this.refs.get(o) ?? 1) - 1;
    if (n <= 0) this.refs.delete(o); else this.refs.set(o, n);
    return { object: o, last: n <= 0 };
  }

  /** Every open object of a kind, e.g. to flush files at exit. */
  *all(): IterableIterator<[number, KernelObject]> { yield* this.objects.entries(); }
}
