/**
 * The metric names and label names a PromQL expression uses, for the dashboard check: label matchers in
 * {…} and by/without (…) lists give label names, ranges […] and numbers are dropped, identifiers called
 * as functions are functions, and every other identifier is a metric name. Enough for the expressions a
 * dashboard holds (no subqueries, no strings with braces).
 */
export interface PromqlUse {
  readonly metrics: readonly string[];
  readonly labels: readonly string[];
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

export function promqlUse(expr: string): PromqlUse {
  const labels: string[] = [];
  let rest = expr.replace(/\{([^}]*)\}/g, (_m, inner: string) => {
    for (const m of inner.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.push(m[1]!);
    return ' ';
  });
  rest = rest.replace(/\b(by|without|on|ignoring)\s*\(([^)]*)\)/g, (_m, _k: string, inner: string) => {
    labels.push(...inner.split(',').map((s) => s.trim()).filter((s) => s.length > 0));
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ');
  const metrics: string[] = [];
  for (const m of rest.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    const word = m[0].replace(/\s*\($/, '');
    if (m[1] !== undefined || KEYWORDS.has(word)) continue;
    metrics.push(word);
  }
  return { metrics, labels };
}
