import { describe, expect, it } from 'vitest';
import { attributesNamed, attributesOf, decodeXml, xmlScanner } from '../../../../src/report/read/xml/xml-scanner.ts';

/** The events of a scan, text wanted everywhere and joined between tags. */
function events(pieces: readonly string[]): string[] {
  const found: string[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') found.push(`text ${text}`);
    text = '';
  };
  const scanner = xmlScanner({
    open: (name, attributes, selfClosing) => {
      flush();
      found.push(`open ${name}${selfClosing ? '/' : ''} ${attributes.trim()}`.trimEnd());
    },
    close: (name) => {
      flush();
      found.push(`close ${name}`);
    },
    wantsText: () => true,
    text: (piece) => (text += piece),
  });
  for (const piece of pieces) scanner.feed(piece);
  scanner.end();
  flush();
  return found;
}

const document =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- a comment with <c> inside -->' +
  '<x:row r="2" note=\'a > b\'><c r="A2" t="inlineStr"><is><t xml:space="preserve">Bản &amp; Thôn &#7853;&#x1ea1; &lt;1&gt;</t></is></c>' +
  '<c r="B2"/><c r="C2"><v><![CDATA[<raw & kept>]]></v></c></x:row>';

describe('xmlScanner', () => {
  it('reports elements without their prefix, decodes entities and character references, keeps CDATA as written and skips comments', () => {
    expect(events([document])).toEqual([
      'text \n',
      'open row r="2" note=\'a > b\'',
      'open c r="A2" t="inlineStr"',
      'open is',
      'open t xml:space="preserve"',
      'text Bản & Thôn ậạ <1>',
      'close t',
      'close is',
      'close c',
      'open c/ r="B2"',
      'close c',
      'open c r="C2"',
      'open v',
      'text <raw & kept>',
      'close v',
      'close c',
      'close row',
    ]);
  });

  it('gives the same events however the text is cut into pieces, even inside a tag, an entity or a comment', () => {
    const whole = events([document]);
    for (let cut = 1; cut < document.length; cut++)
      expect(events([document.slice(0, cut), document.slice(cut)])).toEqual(whole);
    expect(events([...document])).toEqual(whole);
  });

  it('does not decode the text nobody wants, and holds back only a possible entity', () => {
    const texts: string[] = [];
    let inside = false;
    const scanner = xmlScanner({
      open: (name) => (inside = name === 'v'),
      close: () => (inside = false),
      wantsText: () => inside,
      text: (piece) => texts.push(piece),
    });
    scanner.feed('<c>skipped &amp; text<v>12');
    scanner.feed('34 &am');
    expect(texts).toEqual(['12', '34 ']);
    scanner.feed('p;</v></c>');
    scanner.end();
    expect(texts.join('')).toBe('1234 &');
  });

  it('throws at the end of a text cut inside a tag, and on a tag longer than a mebibyte', () => {
    const cut = xmlScanner({
      open: () => undefined,
      close: () => undefined,
      wantsText: () => false,
      text: () => undefined,
    });
    cut.feed('<row r="1"><c r="A1" t=');
    expect(() => cut.end()).toThrow('truncated XML');
    const long = xmlScanner({
      open: () => undefined,
      close: () => undefined,
      wantsText: () => false,
      text: () => undefined,
    });
    expect(() => long.feed(`<c r="${'A'.repeat(2 << 20)}`)).toThrow('markup too long');
  });
});

describe('attributes', () => {
  it('reads attributes in either quote, decoded, by the name as written', () => {
    expect(attributesOf(` r="A1" t='s' r:id="rId&amp;1"\n s = "3" `)).toEqual({
      r: 'A1',
      t: 's',
      'r:id': 'rId&1',
      s: '3',
    });
    expect(attributesNamed(' ref="A1:B2" r="B2" s="1"', ['r', 's', 't'])).toEqual(['B2', '1', undefined]);
    // A name inside another attribute's value is no attribute.
    expect(attributesNamed(' note="r=&quot;X&quot;" t="n"', ['r', 't'])).toEqual([undefined, 'n']);
  });

  it('leaves unknown entities and out-of-range references as written', () => {
    expect(decodeXml('&nbsp; &#x110000; &#65;&#x42;')).toBe('&nbsp; &#x110000; AB');
  });
});
