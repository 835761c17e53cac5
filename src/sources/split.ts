/**
 * Splits a YAML stream into documents as it arrives, keeping each document's first line
 * number, so files of any size are read in bounded chunks and one oversized document is
 * skipped rather than held in memory. Document markers (`---`, `...`) only count at the
 * start of a line, exactly where YAML itself allows them.
 */

export interface SplitDocument {
  text: string;
  /** 1-based line of the document's first line. */
  startLine: number;
  /** Set when the document exceeded the size limit; `text` is then empty. */
  tooLarge?: boolean;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r]|$)/gm;
const HAS_CONTENT = /^[ \t]*[^#\s]/m;

export class DocumentSplitter {
  private tail = '';
  private parts: string[] = [];
  private size = 0;
  private tooLarge = false;
  private docStart = 1;
  private line = 1;
  private first = true;

  constructor(private readonly maxDocumentBytes: number) {}

  push(chunk: string): SplitDocument[] {
    let data = this.tail + chunk;
    if (this.first) {
      if (data.charCodeAt(0) === 0xfeff) data = data.slice(1);
      if (data.length > 0) this.first = false;
    }
    const cut = data.lastIndexOf('\n');
    if (cut === -1) {
      this.tail = data;
      // One endless line: drop it rather than hold it (it has no newline to count).
      if (this.tail.length > this.maxDocumentBytes) {
        this.overflow();
        this.tail = '';
      }
      return [];
    }
    this.tail = data.slice(cut + 1);
    return this.scan(data.slice(0, cut + 1));
  }

  end(): SplitDocument[] {
    const rest = this.tail;
    this.tail = '';
    const out = rest ? this.scan(`${rest}\n`) : [];
    const last = this.flush();
    if (last) out.push(last);
    return out;
  }

  private scan(block: string): SplitDocument[] {
    const out: SplitDocument[] = [];
    let from = 0;
    MARKER.lastIndex = 0;
    for (let m = MARKER.exec(block); m; m = MARKER.exec(block)) {
      this.append(block.slice(from, m.index));
      const doc = this.flush();
      if (doc) out.push(doc);
      const eol = block.indexOf('\n', m.index);
      // Content after `---` on the marker line (`--- !tag`, `--- |`) belongs to the next document.
      const rest = block.slice(m.index + 3, eol + 1);
      if (m[0] === '---' && HAS_CONTENT.test(rest)) {
        this.docStart = this.line;
        this.append(rest.replace(/^[ \t]+/, ''));
      } else {
        this.line += 1;
        this.docStart = this.line;
      }
      from = eol + 1;
      MARKER.lastIndex = from;
    }
    this.append(block.slice(from));
    return out;
  }

  private append(text: string): void {
    if (!text) return;
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
    this.line += n;
    if (this.tooLarge) return;
    this.size += text.length;
    if (this.size > this.maxDocumentBytes) this.overflow();
    else this.parts.push(text);
  }

  private overflow(): void {
    this.tooLarge = true;
    this.parts = [];
  }

  private flush(): SplitDocument | undefined {
    const startLine = this.docStart;
    const tooLarge = this.tooLarge;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.tooLarge = false;
    if (tooLarge) return { text: '', startLine, tooLarge };
    if (!HAS_CONTENT.test(text)) return undefined;
    return { text, startLine };
  }
}
