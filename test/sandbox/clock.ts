/**
 * The fake Hub's idea of "now". Fixture dates are relative to the start time a test chooses; the
 * clock then runs forward in real time from there. Token lifetimes (JWT `iat`/`exp`) use the real
 * clock instead, because the real registry checks them against the machine's time.
 */
export interface Clock {
  now(): Date;
}

export function startClock(start: Date = new Date()): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
