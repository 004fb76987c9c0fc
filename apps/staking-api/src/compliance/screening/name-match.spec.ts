import { nameSimilarity, normaliseName } from './name-match.js';

describe('name matching', () => {
  it('normalises case, diacritics, punctuation and word order', () => {
    expect(normaliseName('  José  MARÍA, de la Peña ')).toBe('de jose la maria pena');
    expect(normaliseName('PEÑA de la José María')).toBe(normaliseName('José María de la Peña'));
  });

  it('another word order and one typo still score above 0.85; a different person does not', () => {
    expect(nameSimilarity('Yasin Abdul Rahmn', 'ABDUL RAHMAN YASIN')).toBeGreaterThan(0.85);
    expect(nameSimilarity('Yasin Abdul Rahmn', 'ABDUL RAHMAN YASIN')).toBeLessThan(1);
    expect(nameSimilarity('Abdul Rahman Yasin', 'Yasin, ABDUL RAHMAN')).toBe(1);
    expect(nameSimilarity('John Smith', 'ABDUL RAHMAN YASIN')).toBeLessThan(0.5);
    // A name that only shares one word with a listed one is not a hit.
    expect(nameSimilarity('Abdul Karim', 'ABDUL RAHMAN YASIN')).toBeLessThan(0.85);
  });

  it('empty names never match', () => {
    expect(nameSimilarity('', 'x')).toBe(0);
    expect(nameSimilarity('---', '---')).toBe(0);
  });
});
