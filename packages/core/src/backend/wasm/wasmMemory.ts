import { maxPages } from "./kernels.wasm.js";

const PAGE = 65536;
/** Size of an unshared memory, fixed at creation: growing it would detach every view handed out. */
const UNSHARED_PAGES = 2048; // 128 MiB, committed lazily by the OS

/**
 * The linear memory the kernels work on, and a bump allocator over it. Buffers are Float32Array
 * views; kernels recognise them by their ArrayBuffer.
 *
 * A shared memory (SharedArrayBuffer: Node, workers, cross-origin-isolated pages) grows without
 * detaching earlier views, so it grows on demand up to 1 GiB. An unshared memory cannot grow safely
 * and has a fixed size. When either is full, `allocate` returns a plain array, which the kernels
 * then run on the TypeScript path: slower, never wrong.
 */
export class WasmMemory {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  private readonly ours = new WeakSet<ArrayBufferLike>();
  private top = 0;

  constructor(shared: boolean) {
    this.shared = shared;
    this.memory = shared
      ? new WebAssembly.Memory({ initial: 16, maximum: maxPages, shared: true })
      : new WebAssembly.Memory({ initial: UNSHARED_PAGES, maximum: UNSHARED_PAGES });
  }

  /** Sets where allocation starts (past the module's static data). */
  start(heapBase: number): void {
    this.top = Math.max(this.top, heapBase);
  }

  /** Whether `x` lives in this memory. */
  owns(x: ArrayBufferView): boolean {
    return this.ours.has(x.buffer);
  }

  /** A zero-filled float32 buffer in this memory, or a plain one when the memory is full. */
  allocateF32(length: number): Float32Array {
    const at = this.reserve(length * 4);
    if (at < 0) return new Float32Array(length);
    // a grown shared memory may hand out a new SharedArrayBuffer object on each access: record the
    // very object this view holds
    const buffer = this.memory.buffer;
    this.ours.add(buffer);
    return new Float32Array(buffer, at, length);
  }

  /**
   * A scratch area: called with the bytes needed, returns its byte offset (−1 when they do not
   * fit). Grown geometrically; the old area is abandoned (the allocator never frees).
   */
  scratch(): (bytes: number) => number {
    let at = 0, size = 0;
    return (bytes) => {
      if (bytes > size) {
        size = Math.max(bytes, 2 * size);
        at = this.reserve(size);
        if (at < 0) size = 0;
      }
      return at;
    };
  }

  /** Byte offset of `bytes` fresh, 16-byte aligned bytes, or −1 when they do not fit. */
  reserve(bytes: number): number {
    const at = (this.top + 15) & ~15;
    const end = at + bytes;
    if (end > this.memory.buffer.byteLength) {
      if (!this.shared) return -1;
      const pages = Math.ceil((end - this.memory.buffer.byteLength) / PAGE);
      try {
        this.memory.grow(pages);
      } catch {
        return -1;
      }
    }
    this.top = end;
    return at;
  }
}
