/** Monotonic time and timers. Pure layers take this instead of Date.now()/setTimeout. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(h: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}
