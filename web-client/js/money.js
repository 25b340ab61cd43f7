// Amounts in dispute: typed in yuan as a decimal, sent and stored as whole
// fen (1/100 yuan), never through a binary float. Pure, importable from Node.

/** The server's ceiling: one hundred billion yuan. */
export const MAX_FEN = 10_000_000_000_000;

/**
 * Parses what a person typed as an amount in yuan ("1234.5", "1,234.50",
 * "¥ 800"). Returns `{ fen }` (null when empty) or `{ error }`, where error is
 * "negative", "decimals" (more than two), "too_large" or "format".
 */
export function parseYuan(text) {
  const s = String(text ?? '')
    .normalize('NFKC') // full-width digits and points, as Chinese keyboards may type them
    .replace(/[\s,]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  if (s === '') return { fen: null };
  if (s.startsWith('-')) return { error: 'negative' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s) || /^()\.(\d+)$/.exec(s);
  if (!m) return { error: 'format' };
  const fraction = m[2] || '';
  if (fraction.length > 2) return { error: 'decimals' };
  const whole = m[1].replace(/^0+(?=\d)/, '') || '0';
  if (whole.length > 12) return { error: 'too_large' };
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (fen > MAX_FEN) return { error: 'too_large' };
  return { fen };
}

/** Whole fen as a plain yuan decimal for an input: 123450 → "1234.50", 100 → "1". */
export function fenToYuan(fen) {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen) || fen < 0) return '';
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, '0')}`;
}
