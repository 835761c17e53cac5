/**
 * A strict little XML reader for the tests (no XML library is a dependency): elements,
 * double- or single-quoted attributes, text and the predefined and numeric entity references.
 * It throws on anything not well-formed, so parsing a report is a well-formedness check.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed at ${i}: ${why}: ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  const decode = (s: string): string => {
    if (/[<]/.test(s)) fail('raw < in text or attribute');
    return s.replace(/&([^;]*);|&/g, (m: string, ref: string | undefined) => {
      if (ref === undefined) return fail('bare &');
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ref in named) return named[ref]!;
      const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
      if (!num) return fail(`unknown entity &${ref};`);
      return String.fromCodePoint(num[1]!.startsWith('x') ? parseInt(num[1]!.slice(1), 16) : Number(num[1]));
    });
  };
  const skipSpace = (): void => {
    while (/\s/.test(src[i] ?? '')) i++;
  };
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected <');
    i++;
    const name = NAME.exec(src.slice(i))?.[0] ?? fail('element name');
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (src.startsWith('/>', i)) return (i += 2), el;
      if (src[i] === '>') break;
      const attr = NAME.exec(src.slice(i))?.[0] ?? fail('attribute name');
      i += attr.length;
      if (src[i] !== '=') fail('expected =');
      const quote = src[i + 1];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute');
      const end = src.indexOf(quote!, i + 2);
      if (end < 0) fail('unterminated attribute');
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(src.slice(i + 2, end));
      i = end + 1;
    }
    i++;
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${name}>`);
      el.text += decode(src.slice(i, lt));
      i = lt;
      if (src.startsWith(`</${name}>`, i)) return (i += name.length + 3), el;
      if (src.startsWith('</', i)) fail(`mismatched end tag in <${name}>`);
      el.children.push(element());
    }
  };
  if (src.startsWith('<?xml')) i = src.indexOf('?>') + 2;
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== src.length) fail('content after the root element');
  return root;
}

export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
