// Append-only typed arrays: per-record facts (label index, length, timestamp) without an object per record.

type TypedArray = Uint32Array | Float64Array;

class Growable<T extends TypedArray> {
  private data: T;
  length = 0;
  private readonly make: (size: number) => T;

  constructor(make: (size: number) => T) {
    this.make = make;
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }

  /** A view of the filled part (shares memory). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class GrowableUint32 extends Growable<Uint32Array> {
  constructor() {
    super((size) => new Uint32Array(size));
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor() {
    super((size) => new Float64Array(size));
  }
}
