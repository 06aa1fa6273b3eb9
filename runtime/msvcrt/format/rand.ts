// msvcrt's rand()/srand(): a linear congruential generator, one state per thread, seed 1 at
// thread start. rand() returns bits 16..30 of the new state (0..RAND_MAX = 32767).

export const RAND_MAX = 0x7fff;

export class MsvcrtRandom {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  srand(seed: number): void {
    this.state = seed >>> 0;
  }

  rand(): number {
    this.state = (Math.imul(this.state, 214013) + 2531011) >>> 0;
    return (this.state >>> 16) & RAND_MAX;
  }
}
