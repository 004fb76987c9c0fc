import { readFileSync } from 'node:fs';
import { ListFormatError, parseList } from './list-parsers.js';

const fixture = (name: string) => readFileSync(`test/fixtures/compliance/${name}`, 'utf8');

describe('sanctions list parsers (official formats)', () => {
  it('SDN.CSV: TRX addresses from the remarks, names with the ALT.CSV aliases', () => {
    const parties = parseList('ofac-sdn-csv', {
      main: fixture('SDN.CSV'),
      aliases: fixture('ALT.CSV'),
    });
    expect(parties).toHaveLength(6);
    const garantex = parties.find((p) => p.ref === 'SDN-39012')!;
    expect(garantex.addresses).toEqual(['TVG65TedJ1x7UxsLwLYgoFcFAS7s1yVtpn']);
    expect(garantex.names).toEqual(['GARANTEX EUROPE OU', 'GARANTEX']);
    // An ETH address in the remarks is not a TRON address.
    expect(parties.find((p) => p.ref === 'SDN-45678')!.addresses).toEqual([]);
    expect(parties.find((p) => p.ref === 'SDN-306')!.names).toContain('NATIONAL BANK OF CUBA');
  });

  it('SDN_ADVANCED.XML: only features of type "Digital Currency Address - TRX", primary name first', () => {
    const parties = parseList('ofac-advanced-xml', { main: fixture('SDN_ADVANCED.XML') });
    expect(parties).toHaveLength(2);
    expect(parties[0]).toMatchObject({
      ref: 'SDN-52011',
      names: ['NETEX24 EXCHANGE LTD', 'NETEX24'],
      addresses: ['TV5oQPViERSPMbLwfxb7cRTMyu6LFXqZ9r'],
    });
    expect(parties[1]).toMatchObject({ names: ['Ivan PETROV'], addresses: [] });
  });

  it('UN consolidated XML: individuals and entities with their aliases', () => {
    const parties = parseList('un-xml', { main: fixture('un-consolidated.xml') });
    expect(parties.map((p) => p.ref)).toEqual(['QDi.999', 'CDi.998', 'KPe.997']);
    expect(parties[0]!.names).toEqual(['ABDUL RAHMAN YASIN', 'Abd al-Rahman Yasin', 'Aboud']);
    expect(parties[2]!.names).toEqual(['NORTHERN STAR TRADING COMPANY', 'Pukkuksong Trading']);
  });

  it('plain address,label CSV', () => {
    expect(parseList('csv', { main: fixture('blocked-addresses.csv') })).toEqual([
      expect.objectContaining({ addresses: ['TPg7oFyzYASUFnUhW1a86k6yuKLNGrMnZM'] }),
    ]);
  });

  it('malformed documents are refused, not half-read', () => {
    const xml = fixture('SDN_ADVANCED.XML');
    expect(() => parseList('ofac-advanced-xml', { main: xml.slice(0, xml.length / 2) })).toThrow(
      ListFormatError,
    );
    expect(() => parseList('un-xml', { main: '<html>maintenance</html>' })).toThrow(
      ListFormatError,
    );
    expect(() => parseList('ofac-sdn-csv', { main: '36,"AEROCARIBBEAN' })).toThrow(ListFormatError);
    expect(() => parseList('ofac-sdn-csv', { main: '<html>503</html>\n' })).toThrow(
      ListFormatError,
    );
    expect(() => parseList('csv', { main: 'not-an-address,x\n' })).toThrow(ListFormatError);
  });
});
