/** A source of uniformly distributed unsigned 32-bit integers (the kernel's prandom_u32). */
export type Random = () => number;
