/**
 * Money as integer nano-dollars (1e-9 USD). Costs are converted once, when a record is made, and from then on
 * only integers are added, so a million tiny costs sum exactly. Integers stay exact up to
 * Number.MAX_SAFE_INTEGER nano-dollars (about nine million dollars), far beyond any usage total.
 */

/** Nano-dollars in one US dollar. */
export const NANOS_PER_USD = 1_000_000_000;

const NANOS_PER_CENT = 10_000_000;

/**
 * USD as a float (what servers and price tables produce) to integer nano-dollars, rounded to the nearest.
 * Undefined for anything that is not a finite, non-negative amount small enough to stay exact.
 */
export function usdToNanos(usd: number): number | undefined {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) return undefined;
  const nanos = Math.round(usd * NANOS_PER_USD);
  return Number.isSafeInteger(nanos) ? nanos : undefined;
}

/** The exact decimal USD amount, without trailing zeros: 420 → "0.00000042", 1_500_000_000 → "1.5", 0 → "0". */
export function nanosToDecimal(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  const whole = Math.floor(abs / NANOS_PER_USD);
  // `%` on integers is exact, unlike dividing and subtracting floats.
  const frac = String(abs % NANOS_PER_USD).padStart(9, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** 1234567 → "1,234,567". Locale-independent so the output is the same on every machine. */
export function groupDigits(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * A known amount for people: two decimals from a dollar up ("$12.35", "$1,234.57"); below a dollar three
 * significant digits, never fewer than two decimals ("$0.41", "$0.0123", "$0.00042"), so a tiny cost never
 * reads as "$0.00". Only a true zero is "$0.00".
 */
export function formatUsd(nanos: number): string {
  if (nanos < 0) return `-${formatUsd(-nanos)}`;
  if (nanos === 0) return '$0.00';
  if (nanos < NANOS_PER_USD) {
    const digits = String(nanos).padStart(9, '0');
    const firstSignificant = digits.search(/[1-9]/);
    const kept = Math.min(9, firstSignificant + 3);
    const unit = 10 ** (9 - kept);
    const rem = nanos % unit;
    const rounded = nanos - rem + (rem * 2 >= unit ? unit : 0);
    if (rounded < NANOS_PER_USD) {
      let frac = String(rounded).padStart(9, '0').slice(0, kept);
      while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
      return `$0.${frac}`;
    }
    // Rounding carried into a whole dollar ($0.9996 → $1.00): fall through to the dollar format.
  }
  const rem = nanos % NANOS_PER_CENT;
  const cents = (nanos - rem) / NANOS_PER_CENT + (rem * 2 >= NANOS_PER_CENT ? 1 : 0);
  const dollars = Math.floor(cents / 100);
  return `$${groupDigits(dollars)}.${String(cents % 100).padStart(2, '0')}`;
}
