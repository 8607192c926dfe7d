/**
 * BOSH "semi-semantic" version ordering, close enough for the simulator: versions split into
 * release part and `+dev.N`-style post-release part, each compared segment by segment, numbers
 * numerically. So "0+dev.9" < "0+dev.17" and "1.404" < "1.445", which a string sort gets wrong.
 */
function segments(part: string): (number | string)[] {
  return part
    .split(/[.-]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function compareSegments(a: (number | string)[], b: (number | string)[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: string, b: string): number {
  const [aRel = '', aPost = ''] = a.split('+', 2);
  const [bRel = '', bPost = ''] = b.split('+', 2);
  const rel = compareSegments(segments(aRel), segments(bRel));
  if (rel !== 0) return rel;
  // A post-release part ("+dev.3") comes after its release: "1.0" < "1.0+dev.3".
  if (aPost === '' && bPost !== '') return -1;
  if (bPost === '' && aPost !== '') return 1;
  return compareSegments(segments(aPost), segments(bPost));
}
